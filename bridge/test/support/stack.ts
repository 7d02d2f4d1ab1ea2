import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	DEMO_CLIENT,
	startSandbox,
	type RunningSandbox,
} from '../../../crm-sandbox/src';
import type { BridgeConfig } from '../../src/config';
import { startBridge, type RunningBridge } from '../../src/index';
import type { Logger } from '../../src/log';
import { Signer } from '../../src/signature';
import { FakeWordPress, type FakeSettings } from './fake-wordpress';
import { bridgeCaller } from './signed-fetch';

export const TEST_SECRET = `whsec_${ Buffer.alloc( 32, 42 ).toString( 'base64' ) }`;
export const OAUTH_REDIRECT =
	'http://127.0.0.1/wp-admin/admin.php?page=pulse-sync&pulse_sync_oauth=callback';

export function defaultSettings( sandboxUrl: string ): FakeSettings {
	return {
		rev: 1,
		field_mapping: [
			{ wp: 'user_email', crm: 'email' },
			{ wp: 'first_name', crm: 'first_name' },
			{ wp: 'last_name', crm: 'last_name' },
		],
		return_password: { enabled: true, field: 'custom_password' },
		crm: {
			account_url: sandboxUrl,
			portal_url: sandboxUrl,
			client_id: DEMO_CLIENT.id,
			client_secret: DEMO_CLIENT.secret,
		},
	};
}

/** A log sink that keeps every line, so tests can assert that no secret was written. */
export function capturingLogger(): Logger & { lines: string[] } {
	const lines: string[] = [];
	return {
		lines,
		log( level, event, data = {} ) {
			lines.push( JSON.stringify( { level, event, ...data } ) );
		},
	};
}

export interface TestStack {
	sandbox: RunningSandbox;
	wordpress: FakeWordPress;
	dir: string;
	config: BridgeConfig;
	close: () => Promise< void >;
}

/**
 * The real CRM sandbox, the fake plugin, a temp directory and a bridge config for them.
 * @param overrides Bridge config fields to replace.
 */
export async function startStack(
	overrides: Partial< BridgeConfig > = {}
): Promise< TestStack > {
	const sandbox = await startSandbox( { port: 0, seed: false } );
	const wordpress = new FakeWordPress(
		new Signer( [ TEST_SECRET ], 'plugin' ),
		defaultSettings( sandbox.url )
	);
	await wordpress.start();
	const dir = fs.mkdtempSync( path.join( os.tmpdir(), 'pulse-bridge-' ) );
	return {
		sandbox,
		wordpress,
		dir,
		config: {
			dataDir: dir,
			host: '127.0.0.1',
			port: 0,
			publicUrl: 'http://127.0.0.1:0',
			allowHttpSite: false,
			siteUrl: wordpress.url,
			secrets: [ TEST_SECRET ],
			previousSecretUntil: null,
			dbPath: path.join( dir, 'bridge.db' ),
			databaseUrl: null,
			queueLeaseMs: 300_000,
			crmConcurrency: 4,
			crmRequestsPerSecond: 50,
			wpConcurrency: 2,
			wpBatchSize: 25,
			workers: 3,
			retryScheduleMs: [ 100, 200 ],
			logRetentionDays: 30,
			stormRatePerSecond: 20,
			stormSettleMs: 30_000,
			stormSettleCapMs: 300_000,
			shutdownGraceMs: 8000,
			...overrides,
		},
		close: async () => {
			await wordpress.close();
			await sandbox.close();
			fs.rmSync( dir, { recursive: true, force: true } );
		},
	};
}

/**
 * Connects the bridge to the sandbox through the bridge's own OAuth route.
 * @param bridge The running bridge.
 * @param stack  The sandbox to take a code from.
 */
export async function connectCrm(
	bridge: RunningBridge,
	stack: TestStack
): Promise< void > {
	const code = stack.sandbox.state.grants.issueCode(
		DEMO_CLIENT.id,
		OAUTH_REDIRECT
	);
	const answer = await bridgeCaller( bridge.url, TEST_SECRET )(
		'POST',
		'/v1/crm/oauth/exchange',
		{
			code,
			redirect_uri: OAUTH_REDIRECT,
		}
	);
	if ( answer.status !== 200 || answer.json.connected !== true ) {
		throw new Error(
			`OAuth exchange failed: ${ JSON.stringify( answer.json ) }`
		);
	}
}

export { startBridge };
