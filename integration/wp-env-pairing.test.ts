/**
 * The part of `npm run wp-env:bridge` that talks to WordPress, run against the stack's real site
 * (wp-env's own containers cannot run here): it logs in as a browser does, gets a REST nonce and
 * asks for a one-time pairing code from the panel route of "Pair a bridge".
 */
import { requestPairingCode, wpAdminSession } from '../dev/src/wp-env-bridge';
import { stack } from './support/stack';

test( 'logs in to wp-admin and gets a REST nonce', async () => {
	const info = stack();
	const session = await wpAdminSession(
		info.siteUrl,
		info.adminUser,
		info.adminPassword
	);
	expect( session.cookie ).toContain( 'wordpress_logged_in_' );
	expect( session.nonce ).toMatch( /^[0-9a-f]{10}$/ );
} );

test( 'a wrong password is refused, with no session', async () => {
	const info = stack();
	await expect(
		wpAdminSession( info.siteUrl, info.adminUser, 'not-the-password' )
	).rejects.toThrow( /could not log in/ );
} );

test( 'gets a one-time pairing code in the contract’s format', async () => {
	const info = stack();
	const code = await requestPairingCode(
		info.siteUrl,
		await wpAdminSession( info.siteUrl, info.adminUser, info.adminPassword )
	);
	expect( code ).toMatch(
		/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/
	);
} );
