import type { AddressInfo } from 'node:net';
import { DebouncedSaver, loadStateFile } from './persistence';
import { createSandboxServer } from './server';
import { SandboxState } from './state';

export { SandboxState } from './state';
export { DEMO_CLIENT } from './oauth/grants';
export { DEMO_TAGS, DEMO_CONTACT_COUNT } from './data/seed';
export { PAGE_SIZE } from './api/paginate';
export type { WebhookRule } from './webhooks/rules';
export type { WebhookReportEntry } from './webhooks/dispatcher';
export type { FaultRule } from './control/faults';
export type { RequestLogEntry } from './control/request-log';

export interface SandboxOptions {
	/** 0 (the default) picks a free port. */
	port?: number;
	host?: string;
	/** Seed the demo account (default true); ignored when a state file was loaded. */
	seed?: boolean;
	/** Access-token lifetime; default 3600 s. */
	tokenTtlSeconds?: number;
	/** How many webhooks are in flight at once; default 32. */
	webhookConcurrency?: number;
	webhookTimeoutMs?: number;
	/** A JSON file that keeps contacts, tags, tokens and webhook rules across restarts. */
	stateFile?: string;
}

export interface RunningSandbox {
	/** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`; also the account URL. */
	url: string;
	state: SandboxState;
	close: () => Promise< void >;
}

export async function startSandbox(
	options: SandboxOptions = {}
): Promise< RunningSandbox > {
	const state = new SandboxState( options );
	const loaded = options.stateFile
		? loadStateFile( state, options.stateFile )
		: false;
	if ( ! loaded ) {
		state.reset( options.seed !== false );
	}
	const saver = options.stateFile
		? new DebouncedSaver( state, options.stateFile )
		: null;
	const server = createSandboxServer( state, () => saver?.schedule() );
	const host = options.host ?? '127.0.0.1';
	await new Promise< void >( ( resolve, reject ) => {
		server.once( 'error', reject );
		server.listen( options.port ?? 0, host, () => {
			server.off( 'error', reject );
			resolve();
		} );
	} );
	const { port } = server.address() as AddressInfo;
	const urlHost = host.includes( ':' ) ? `[${ host }]` : host;
	return {
		url: `http://${ urlHost }:${ port }`,
		state,
		close: async () => {
			await state.dispatcher.stop();
			saver?.flush();
			await new Promise< void >( ( resolve, reject ) => {
				server.close( ( error ) =>
					error ? reject( error ) : resolve()
				);
				// Kept-alive client sockets would hold close() open until they time out.
				server.closeAllConnections();
			} );
		},
	};
}
