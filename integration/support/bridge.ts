/** The bridge of the running stack: signed reads of its delivery log, and stop/start for fault tests. */
import path from 'node:path';
import { stopGroup } from '../../dev/src/processes';
import { callBridge } from '../../dev/src/seed';
import { startBridge } from '../../dev/src/services';
import { writeStack, type StackSite } from '../../dev/src/stack-file';
import { stackFile } from '../../dev/src/paths';
import { answers, waitUntil } from '../../dev/src/wait';
import { stack } from './stack';

export interface DeliveryView {
	id: string;
	state: string;
	result_status?: string | null;
	user_id?: number | null;
	error?: unknown;
	attempts?: unknown[];
}

export function delivery( id: string ): Promise< DeliveryView > {
	return callBridge(
		stack(),
		'GET',
		`/v1/deliveries/${ encodeURIComponent( id ) }`
	) as Promise< DeliveryView >;
}

export async function waitForDelivery(
	id: string,
	states = [ 'done', 'failed' ],
	timeoutMs = 60000
): Promise< DeliveryView > {
	let last: DeliveryView | null = null;
	await waitUntil(
		`delivery ${ id } to reach ${ states.join( '|' ) }`,
		async () => {
			last = await delivery( id );
			return states.includes( last.state );
		},
		timeoutMs
	);
	return last as unknown as DeliveryView;
}

function bridgeProcess() {
	return stack().processes.find( ( owned ) => owned.name === 'bridge' );
}

export async function killBridge(
	signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'
): Promise< void > {
	const owned = bridgeProcess();
	if ( ! owned ) {
		throw new Error( 'the stack has no bridge process' );
	}
	if ( signal === 'SIGKILL' ) {
		process.kill( -owned.pid, 'SIGKILL' );
	}
	await stopGroup( owned.pid, 5000 );
}

/** Start the bridge again with the stack's configuration and record its new PID. */
export async function startStackBridge(): Promise< void > {
	const info = stack();
	const file = process.env.PULSE_STACK_FILE ?? stackFile();
	const dir = path.dirname( file );
	const port = Number( new URL( info.bridgeUrl ).port );
	const pid = startBridge(
		{
			port,
			siteUrl: info.siteUrl,
			secret: info.bridgeSecret,
			dbFile: path.join( dir, 'bridge.sqlite' ),
		},
		info.logDir
	);
	info.processes = info.processes
		.filter( ( owned ) => owned.name !== 'bridge' )
		.concat( { name: 'bridge', pid } );
	writeStack( info, file );
	await waitUntil(
		'the bridge',
		() => answers( `${ info.bridgeUrl }/v1/health` ),
		30000
	);
}

/**
 * Wait until the bridge has nothing queued or running, then until the plugin has forgotten any
 * backlog it was told about (it remembers one for 10 s and answers 202 without waiting meanwhile),
 * so that a test about answers starts from a quiet site. That also outlasts a storm the bridge
 * saw (it ends 10 s after the last burst), during which it answers 202 without waiting too.
 * @param timeoutMs How long the queue may take to drain.
 * @param site      Whose queue: the stack's first site unless told (PULSE_STACK_SITES).
 */
export async function waitForQuiet(
	timeoutMs = 120000,
	site: Pick< StackSite, 'bridgeUrl' | 'bridgeSecret' > = stack()
): Promise< void > {
	await waitUntil(
		'the bridge queue to drain',
		async () => {
			const status = ( await callBridge(
				site,
				'GET',
				'/v1/status'
			) ) as {
				queue: { pending: number; in_progress: number };
			};
			return status.queue.pending === 0 && status.queue.in_progress === 0;
		},
		timeoutMs
	);
	await new Promise( ( resolve ) =>
		setTimeout( resolve, PLUGIN_BACKLOG_MEMORY_MS )
	);
}

/** How long the plugin remembers a reported backlog (filter pulse_sync_backlog_memory_seconds). */
const PLUGIN_BACKLOG_MEMORY_MS = 11000;
