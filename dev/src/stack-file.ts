/**
 * `.stack/stack.json`: what a running stack is, for people (printed by `npm start`), for the
 * tests (they read URLs and credentials from it) and for `stack:down` (the PIDs it owns).
 */
import fs from 'node:fs';
import { stackFile } from './paths';
import type { WebServer } from './web-server';

export interface OwnedProcess {
	name: string;
	pid: number;
}

/** One WordPress site of the stack (PULSE_STACK_SITES); the first is also StackInfo's own fields. */
export interface StackSite {
	siteUrl: string;
	adminUrl: string;
	accessKey: string;
	bridgeSecret: string;
	/** The URL this site's plugin calls: the stack's bridge URL, or its `/sites/<id>` route there. */
	bridgeUrl: string;
	dbName: string;
	wpDir: string;
}

export interface StackInfo {
	wpVersion: string;
	/** What serves WordPress (PULSE_STACK_SERVER): php -S, or nginx + PHP-FPM. */
	server: WebServer;
	siteUrl: string;
	adminUrl: string;
	adminUser: string;
	adminPassword: string;
	accessKey: string;
	bridgeSecret: string;
	/** What the plugin calls: the bridge, or the nginx in front of several (PULSE_STACK_BRIDGES). */
	bridgeUrl: string;
	/** With PULSE_STACK_DB=postgres: the shared database (no password) and each bridge's own URL. */
	bridgeFleet?: { databaseUrl: string; bridgeUrls: string[] };
	crmSandboxUrl: string;
	mailDir: string;
	smtpPort: number;
	dbSocket: string;
	dbName: string;
	wpDir: string;
	logDir: string;
	/** Every site, the first one included (the fields above are the first site's). */
	sites: StackSite[];
	processes: OwnedProcess[];
	startedAt: string;
}

export function readStack( file = stackFile() ): StackInfo | null {
	try {
		return JSON.parse( fs.readFileSync( file, 'utf8' ) ) as StackInfo;
	} catch {
		return null;
	}
}

export function writeStack( info: StackInfo, file = stackFile() ): void {
	// Written through a temporary file so a reader never sees half a document.
	const tmp = `${ file }.${ process.pid }.tmp`;
	fs.writeFileSync( tmp, JSON.stringify( info, null, 2 ) + '\n', {
		mode: 0o600,
	} );
	fs.renameSync( tmp, file );
}
