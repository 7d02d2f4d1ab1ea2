/**
 * The bridges of a stack started with PULSE_STACK_DB=postgres PULSE_STACK_BRIDGES=N
 * (dev/src/bridge-fleet.ts): kill one, restart one on its port, recording its new PID so that
 * `stack:down` still stops it.
 */
import path from 'node:path';
import { stackFile } from '../../dev/src/paths';
import { stopGroup } from '../../dev/src/processes';
import { startBridge } from '../../dev/src/services';
import { writeStack } from '../../dev/src/stack-file';
import { answers, waitUntil } from '../../dev/src/wait';
import { stack } from './stack';

function fleet() {
	const info = stack();
	if ( ! info.bridgeFleet ) {
		throw new Error(
			'the stack has one bridge: start it with PULSE_STACK_DB=postgres PULSE_STACK_BRIDGES=3'
		);
	}
	return { info, ...info.bridgeFleet };
}

/**
 * Stops bridge `n` (1-based): SIGKILL as a crash, or SIGTERM as a restart does.
 * @param n      Which bridge.
 * @param signal How.
 */
export async function stopFleetBridge(
	n: number,
	signal: 'SIGKILL' | 'SIGTERM'
): Promise< void > {
	const owned = stack().processes.find(
		( process ) => process.name === `bridge-${ n }`
	);
	if ( ! owned ) {
		throw new Error( `the stack has no bridge-${ n }` );
	}
	if ( signal === 'SIGKILL' ) {
		process.kill( -owned.pid, 'SIGKILL' );
	}
	await stopGroup( owned.pid, 10000 );
}

/**
 * Starts bridge `n` again on its port with the shared database.
 * @param n Which bridge.
 */
export async function startFleetBridge( n: number ): Promise< void > {
	const { info, databaseUrl, bridgeUrls } = fleet();
	const url = bridgeUrls[ n - 1 ] as string;
	const file = process.env.PULSE_STACK_FILE ?? stackFile();
	const name = `bridge-${ n }`;
	const pid = startBridge(
		{
			name,
			port: Number( new URL( url ).port ),
			siteUrl: info.siteUrl,
			secret: info.bridgeSecret,
			dbFile: path.join( path.dirname( file ), name, 'bridge.sqlite' ),
			databaseUrl,
		},
		info.logDir
	);
	info.processes = info.processes
		.filter( ( owned ) => owned.name !== name )
		.concat( { name, pid } );
	writeStack( info, file );
	await waitUntil( name, () => answers( `${ url }/v1/health` ), 30000 );
}
