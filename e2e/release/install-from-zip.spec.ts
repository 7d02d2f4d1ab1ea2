/**
 * A site owner installs the release zip: wp-admin » Plugins » Add New » Upload Plugin in Chromium
 * on a WordPress that has never had the plugin (the stack started with PULSE_STACK_PLUGIN=none),
 * activates it, opens every screen of the panel without console errors, then deletes the plugin
 * from the Plugins screen, after which none of its options or tables is left in the database.
 *
 * The zip is `PULSE_RELEASE_ZIP`, else the one `npm run release` writes for the current version.
 * No bridge is paired with this site: the screens that ask the bridge show that it is not
 * reachable, and the only failed requests allowed are those the plugin answers with its 502.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { SCREEN_NAMES } from '../../admin-ui/src/routes';
import { pluginZipPath, PLUGIN_SLUG } from '../../dev/src/release';
import { REQUIRED_FILES } from '../../dev/src/release/plugin-files';
import { sourceVersion } from '../../dev/src/release/version';
import { zipEntries } from '../../dev/src/release/zip';
import { pluginData } from '../support/plugin-data';
import { logIn, screenshotPath, stack } from '../support/stack';

test.describe.configure( { mode: 'serial' } );

const zip = process.env.PULSE_RELEASE_ZIP ?? pluginZipPath( sourceVersion() );
const installedDir = () =>
	path.join( stack().wpDir, 'wp-content', 'plugins', PLUGIN_SLUG );

/**
 * Console errors on the page, minus two kinds of failed request: the panel routes the plugin
 * answered with its 502 REST error (no bridge of this site runs in this test: the bridge is not
 * reachable, `pulse_sync_bridge_unavailable`, or whatever listens on the default bridge port
 * refuses this site's signature; the screens say so), and WordPress's own requests to other hosts
 * (Gravatar), which this offline machine cannot reach.
 */
function watchConsole( page: Page ): () => Promise< string[] > {
	const site = new URL( stack().siteUrl ).host;
	const elsewhere = ( url: string ) =>
		url !== '' && new URL( url ).host !== site;
	const errors: Array< { text: string; url: string } > = [];
	const bridgeDown = new Set< string >();
	const reading: Array< Promise< void > > = [];
	page.on( 'response', ( response ) => {
		if (
			response.status() !== 502 ||
			! response.url().includes( '/pulse-sync/v1/' )
		) {
			return;
		}
		reading.push(
			response
				.json()
				.then(
					( body: {
						code?: unknown;
						data?: { status?: unknown };
					} ) => {
						// A WordPress REST error: the plugin's answer, not a crash.
						if (
							typeof body.code === 'string' &&
							body.data?.status === 502
						) {
							bridgeDown.add( response.url() );
						}
					}
				)
				.catch( () => undefined )
		);
	} );
	page.on( 'console', ( message ) => {
		if ( message.type() === 'error' ) {
			errors.push( {
				text: message.text(),
				url: message.location().url,
			} );
		}
	} );
	page.on( 'pageerror', ( error ) =>
		errors.push( { text: error.message, url: '' } )
	);
	return async () => {
		await Promise.all( reading );
		return errors
			.filter(
				( error ) =>
					! (
						error.text.startsWith( 'Failed to load resource' ) &&
						( bridgeDown.has( error.url ) ||
							elsewhere( error.url ) )
					)
			)
			.map( ( error ) => `${ error.text } (${ error.url })` );
	};
}

test( 'the zip holds the plugin under pulse-sync/ and nothing for developers', () => {
	const entries = zipEntries( zip );
	expect(
		entries.every( ( entry ) => entry.startsWith( `${ PLUGIN_SLUG }/` ) )
	).toBe( true );
	expect( entries ).toEqual(
		expect.arrayContaining(
			REQUIRED_FILES.map( ( file ) => `${ PLUGIN_SLUG }/${ file }` )
		)
	);
	expect(
		entries.filter( ( entry ) =>
			/\/tests\/|\.(tsx?|map|md|json|dist|xml)$|\/(src|node_modules|vendor)\//.test(
				entry
			)
		)
	).toEqual( [] );
} );

test( 'the site has never had the plugin', () => {
	expect( fs.existsSync( installedDir() ) ).toBe( false );
	expect( pluginData( stack() ) ).toEqual( { options: [], tables: [] } );
} );

test( 'upload the zip under Plugins » Add New » Upload Plugin, then activate it', async ( {
	page,
} ) => {
	await logIn( page );
	await page.locator( '#menu-plugins > a' ).click();
	await page.waitForURL( /plugins\.php/ );
	await page.locator( '.page-title-action' ).first().click();
	await page.waitForURL( /plugin-install\.php/ );
	await page.locator( '.upload-view-toggle' ).click();
	await page.locator( '#pluginzip' ).setInputFiles( zip );
	await page.locator( '#install-plugin-submit' ).click();
	await expect( page.locator( '#wpbody-content' ) ).toContainText(
		'Plugin installed successfully.',
		{ timeout: 30000 }
	);
	await page.screenshot( {
		path: screenshotPath( 'release-installed' ),
		fullPage: true,
	} );
	// Installed from the upload: a real folder, not a link into the repository.
	expect( fs.lstatSync( installedDir() ).isDirectory() ).toBe( true );
	expect(
		fs.existsSync(
			path.join( installedDir(), 'languages', 'pulse-sync.pot' )
		)
	).toBe( true );

	await page.getByRole( 'link', { name: 'Activate Plugin' } ).click();
	await page.waitForURL( /plugins\.php/ );
	await expect( page.locator( '#message' ) ).toContainText( 'activated' );
	await expect(
		page.locator( `tr[data-slug="${ PLUGIN_SLUG }"]` )
	).toHaveClass( /\bactive\b/ );
	const data = pluginData( stack() );
	expect( data.options.length ).toBeGreaterThan( 0 );
	expect( data.tables.length ).toBeGreaterThan( 0 );
} );

test( 'every screen of the panel renders without console errors', async ( {
	page,
} ) => {
	const consoleErrors = watchConsole( page );
	await logIn( page );
	await page
		.locator( '#adminmenu' )
		.getByRole( 'link', { name: 'Pulse Sync', exact: true } )
		.click();
	await page.waitForURL( /page=pulse-sync/ );
	const panel = page.locator( '#pulse-sync-admin' );
	for ( const screen of SCREEN_NAMES ) {
		await page.evaluate( ( hash ) => {
			window.location.hash = hash;
		}, `#/${ screen }` );
		await expect(
			panel.locator( `[role="tab"][id$="-${ screen }"]` )
		).toHaveAttribute( 'aria-selected', 'true' );
		await expect( panel.locator( '[role="tabpanel"]' ) ).not.toBeEmpty();
		await expect( panel.locator( '.components-spinner' ) ).toHaveCount( 0, {
			timeout: 15000,
		} );
		await page.screenshot( {
			path: screenshotPath( `release-screen-${ screen }` ),
			fullPage: true,
		} );
		expect(
			await consoleErrors(),
			`console errors on #/${ screen }`
		).toEqual( [] );
	}
} );

test( 'deleting it on the Plugins screen removes its options and tables', async ( {
	page,
} ) => {
	await logIn( page );
	await page.goto( `${ stack().adminUrl }plugins.php` );
	const row = () => page.locator( `tr[data-slug="${ PLUGIN_SLUG }"]` );
	await row()
		.getByRole( 'link', { name: /^Deactivate/ } )
		.click();
	await expect( page.locator( '#message' ) ).toContainText( 'deactivated' );
	page.once( 'dialog', ( dialog ) => dialog.accept() );
	await row()
		.getByRole( 'link', { name: /^Delete/ } )
		.click();
	await expect( page.locator( '#wpbody-content' ) ).toContainText(
		'was successfully deleted',
		{ timeout: 30000 }
	);
	expect( fs.existsSync( installedDir() ) ).toBe( false );
	expect( pluginData( stack() ) ).toEqual( { options: [], tables: [] } );
} );
