/**
 * The two ways a webhook is answered give the same answer and the same user: the lean endpoint
 * (plugin/webhook.php, WordPress loaded as SHORTINIT), reached through the web-server rule of
 * deploy/nginx/wordpress-pulse-sync.conf on the nginx stack (directly by its URL on php -S,
 * which has no rules), and the fallback, the listener inside WordPress (`/index.php?wpf_action=`,
 * which no rule touches).
 *
 * On the nginx stack the access log also shows which script answered and which FPM pool ran it:
 * webhooks in Pulse Sync's pool, pages in the visitors' pool, and never the access key.
 */
import fs from 'node:fs';
import path from 'node:path';
import { newContacts, removeWebhookRules } from './support/sandbox';
import {
	configure,
	currentSettings,
	stack,
	usersForContact,
} from './support/stack';
import { waitForQuiet } from './support/bridge';

const LEAN_SCRIPT = '/wp-content/plugins/pulse-sync/webhook.php';

type Path = 'lean' | 'fallback';

function url( via: Path, params: Record< string, string > ): string {
	const info = stack();
	const query = new URLSearchParams( params ).toString();
	if ( via === 'fallback' ) {
		return `${ info.siteUrl }/index.php?${ query }`;
	}
	// nginx: the site's own address, as the CRM is given it; the rule does the rest.
	return info.server === 'nginx'
		? `${ info.siteUrl }/?${ query }`
		: `${ info.siteUrl }${ LEAN_SCRIPT }?${ query }`;
}

async function webhook(
	via: Path,
	action: string,
	extra: Record< string, string > = {},
	key = stack().accessKey
): Promise< { status: number; body: Record< string, unknown > } > {
	const response = await fetch(
		url( via, { wpf_action: action, access_key: key, ...extra } ),
		{ method: 'POST', signal: AbortSignal.timeout( 60000 ) }
	);
	expect( response.headers.get( 'content-type' ) ).toContain(
		'application/json'
	);
	return {
		status: response.status,
		body: ( await response.json() ) as Record< string, unknown >,
	};
}

/** An answer without what differs between any two deliveries. */
function comparable(
	body: Record< string, unknown >
): Record< string, unknown > {
	const { delivery_id: deliveryId, ...rest } = body;
	expect( typeof deliveryId ).toBe( 'string' );
	return rest;
}

let settingsBefore: Record< string, unknown > = {};

beforeAll( async () => {
	await removeWebhookRules();
	settingsBefore = currentSettings();
	await waitForQuiet();
	// The largest wait budget, so a busy machine does not turn a 200 into a 202 on one path only.
	configure( { wait_budget_ms: 20000 } );
}, 180000 );

afterAll( () => {
	configure( settingsBefore );
} );

test( 'test: the same 200 through the lean endpoint and through the fallback', async () => {
	const lean = await webhook( 'lean', 'test' );
	const fallback = await webhook( 'fallback', 'test' );
	expect( lean.status ).toBe( 200 );
	expect( lean ).toEqual( fallback );
} );

test( 'a wrong key: the same 403 through both', async () => {
	const lean = await webhook( 'lean', 'test', {}, 'not-the-key' );
	const fallback = await webhook( 'fallback', 'test', {}, 'not-the-key' );
	expect( lean.status ).toBe( 403 );
	expect( lean ).toEqual( fallback );
} );

test( 'add: the lean endpoint creates the user, and both paths then answer alike for the same user', async () => {
	const [ id ] = await newContacts( 1, [ 2 ] );
	const contactId = String( id );
	const created = await webhook( 'lean', 'add', { contact_id: contactId } );
	expect( created.status ).toBe( 200 );
	expect( created.body.status ).toBe( 'created' );
	const userId = created.body.user_id;
	expect( typeof userId ).toBe( 'number' );

	const fallback = await webhook( 'fallback', 'add', {
		contact_id: contactId,
	} );
	const lean = await webhook( 'lean', 'add', { contact_id: contactId } );
	expect( fallback.status ).toBe( 200 );
	expect( fallback.body.user_id ).toBe( userId );
	expect( comparable( lean.body ) ).toEqual( comparable( fallback.body ) );
	expect( lean.status ).toBe( fallback.status );
	expect(
		usersForContact( id as number ).map( ( user ) => user.id )
	).toEqual( [ userId ] );
} );

const onNginx = () => stack().server === 'nginx';

( onNginx() ? describe : describe.skip )(
	'nginx: the rule and the pools',
	() => {
		const accessLog = () => path.join( stack().logDir, 'nginx-access.log' );
		const linesAfter = async (
			send: () => Promise< unknown >
		): Promise< string[] > => {
			const before = fs.statSync( accessLog() ).size;
			await send();
			// nginx writes the line once the answer is sent; give it a moment to reach the file.
			for ( let attempt = 0; attempt < 50; attempt++ ) {
				if ( fs.statSync( accessLog() ).size > before ) {
					break;
				}
				await new Promise( ( resolve ) => setTimeout( resolve, 20 ) );
			}
			const fd = fs.openSync( accessLog(), 'r' );
			const length = fs.fstatSync( fd ).size - before;
			const buffer = Buffer.alloc( Math.max( length, 0 ) );
			fs.readSync( fd, buffer, 0, buffer.length, before );
			fs.closeSync( fd );
			return buffer.toString( 'utf8' ).split( '\n' ).filter( Boolean );
		};

		test( '/?wpf_action= runs webhook.php, /index.php?wpf_action= runs WordPress, both in Pulse Sync’s pool', async () => {
			const lean = await linesAfter( () => webhook( 'lean', 'test' ) );
			const fallback = await linesAfter( () =>
				webhook( 'fallback', 'test' )
			);
			expect( lean ).toHaveLength( 1 );
			expect( lean[ 0 ] ).toContain( `"POST ${ LEAN_SCRIPT } ` );
			expect( lean[ 0 ] ).toContain( 'pool=pulse_sync_webhooks' );
			expect( fallback ).toHaveLength( 1 );
			expect( fallback[ 0 ] ).toContain( '"POST /index.php ' );
			expect( fallback[ 0 ] ).toContain( 'pool=pulse_sync_webhooks' );
		} );

		test( 'a page is served by the visitors’ pool', async () => {
			const lines = await linesAfter( () =>
				fetch( `${ stack().siteUrl }/wp-login.php` ).then(
					( response ) => response.text()
				)
			);
			expect( lines[ 0 ] ).toContain( '"GET /wp-login.php ' );
			expect( lines[ 0 ] ).toContain( 'pool=pulse_sync_visitors' );
		} );

		test( 'the access log never holds the access key', async () => {
			await webhook( 'lean', 'test' );
			await webhook( 'fallback', 'test' );
			const logs = [ 'nginx-access.log', 'nginx.log' ].map( ( name ) =>
				fs.readFileSync( path.join( stack().logDir, name ), 'utf8' )
			);
			for ( const log of logs ) {
				expect( log ).not.toContain( stack().accessKey );
			}
		} );
	}
);
