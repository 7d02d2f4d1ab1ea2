/**
 * The release journey, from the two artifacts alone, on a WordPress that has never had the
 * plugin (the stack started with PULSE_STACK_PLUGIN=none: MariaDB, mail, WordPress and the CRM
 * sandbox, no bridge): a site owner uploads the zip in wp-admin » Plugins » Add New » Upload
 * Plugin in Chromium, activates it, opens every screen of the panel without console errors; then
 * runs the bridge installed from its tarball in an empty folder (`npx pulse-sync-bridge start`,
 * its own data folder, loopback, a free port), pairs it with the command Pulse Sync » Status shows,
 * connects the CRM sandbox in the panel through the CRM's consent page, adds the CRM workflow that
 * sends the Webhooks screen's URL when a tag is applied, applies the tag in the CRM, and finds the
 * user under Users; then deletes the plugin from the Plugins screen, after which none of its
 * options or tables is left in the database.
 *
 * The zip is `PULSE_RELEASE_ZIP`, else the one `npm run release` writes for the current version.
 * The bridge comes from the folder `PULSE_RELEASE_BRIDGE_INSTALL` (`npm test` installs the tarball
 * there once for both WordPress versions), else its tarball is installed now
 * (e2e/support/installed-bridge.ts). Until the bridge is paired, the screens that ask it show that
 * it is not reachable, and the only failed requests allowed are those the plugin answers with its
 * 502.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { SCREEN_NAMES } from '../../admin-ui/src/routes';
import { pluginZipPath, PLUGIN_SLUG } from '../../dev/src/release';
import { REQUIRED_FILES } from '../../dev/src/release/plugin-files';
import { BRIDGE_INSTALL_TIMEOUT_MS } from '../../dev/src/release/bridge-install';
import { sourceVersion } from '../../dev/src/release/version';
import { zipEntries } from '../../dev/src/release/zip';
import { DEMO_CLIENT } from '../../dev/src/seed';
import { waitUntil } from '../../dev/src/wait';
import { control, newContacts } from '../../integration/support/sandbox';
import { usersForContact } from '../../integration/support/stack';
import {
	installedBridgeDir,
	InstalledBridge,
	listFiles,
	newWorkDir,
	packageDir,
} from '../support/installed-bridge';
import { authorizeOnConsentPage } from '../support/crm-consent';
import { pluginData } from '../support/plugin-data';
import { logIn, openScreen, screenshotPath, stack } from '../support/stack';

test.describe.configure( { mode: 'serial' } );

/** The CRM sandbox's first tag (crm-sandbox/src/data/seed.ts). */
const TAG = 'Website Access';

let workDir = '';
let bridge: InstalledBridge;
/** The bridge secret pairing wrote into config.json: no output may contain it. */
let bridgeSecret = '';

test.beforeAll( async () => {
	// Only when the tarball is installed here (the spec run alone): `npm test` installed it.
	test.setTimeout( BRIDGE_INSTALL_TIMEOUT_MS + 60_000 );
	workDir = newWorkDir();
	bridge = new InstalledBridge( installedBridgeDir( workDir ), workDir );
} );

test.afterAll( async () => {
	bridge?.kill();
	// Workflows of this site's URL, so a CRM sandbox that outlives the site sends none.
	const { rules } = await control< {
		rules: Array< { id: number; url: string } >;
	} >( 'GET', 'webhooks' );
	for ( const rule of rules ) {
		if ( rule.url.startsWith( stack().siteUrl ) ) {
			await control( 'DELETE', `webhooks/${ rule.id }` );
		}
	}
	if ( workDir !== '' ) {
		fs.rmSync( workDir, { recursive: true, force: true } );
	}
} );

function escaped( text: string ): string {
	return text.replace( /[.*+?^${}()|[\]\\]/g, '\\$&' );
}

const zip = process.env.PULSE_RELEASE_ZIP ?? pluginZipPath( sourceVersion() );
const installedDir = () =>
	path.join( stack().wpDir, 'wp-content', 'plugins', PLUGIN_SLUG );

/**
 * Console errors on the page, minus two kinds of failed request: the panel routes the plugin
 * answered with its 502 REST error (no bridge is paired yet when the screens are first opened:
 * the bridge is not reachable, `pulse_sync_bridge_unavailable`, or whatever listens on the default
 * bridge port refuses this site's signature; the screens say so), and WordPress's own requests to
 * other hosts (Gravatar), which this offline machine cannot reach.
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

test( 'the bridge installed from its tarball alone: compiled JavaScript and its runtime dependencies', () => {
	const packaged = packageDir( bridge.installDir );
	const files = listFiles( packaged );
	expect( files ).toContain( 'dist/cli.js' );
	// The wire contracts are a workspace of this repository, not published: bundled, compiled.
	expect( files ).toContain(
		'node_modules/@pulse-sync/contracts/dist/index.js'
	);
	expect(
		files.filter(
			( file ) =>
				! /^(node_modules\/@pulse-sync\/contracts\/)?(dist\/.*\.js|package\.json)$/.test(
					file
				)
		)
	).toEqual( [] );
	// Tests by their folder or suffix: a contract named test-webhook.js is the product's own.
	const developerOnly = /(^|\/)(tests?|__tests__)\/|\.test\.js$|\.map$|\.ts$/;
	expect( files.some( ( file ) => developerOnly.test( file ) ) ).toBe(
		false
	);
	const installed = fs.readdirSync(
		path.join( bridge.installDir, 'node_modules' )
	);
	expect( installed ).toEqual(
		expect.arrayContaining( [
			'better-sqlite3',
			'standardwebhooks',
			'zod',
		] )
	);
	expect( installed ).not.toContain( 'typescript' );
	expect( installed ).not.toContain( 'jest' );
	expect( bridge.command( [ '--version' ] ) ).toEqual( {
		status: 0,
		out: `${ JSON.parse( fs.readFileSync( path.join( packaged, 'package.json' ), 'utf8' ) ).version }\n`,
	} );
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
		// Tab ids are `tab-panel-<n>-<screen>` ("-import" also ends "-bulk-import").
		await expect(
			panel.locator( '[role="tab"][aria-selected="true"]' )
		).toHaveAttribute( 'id', new RegExp( `\\d-${ screen }$` ) );
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

test.describe( 'the owner, with the installed bridge', () => {
	test.beforeEach( async ( { page } ) => {
		// Commands, the bridge and the CRM's webhook queue on a shared machine: thrice the timeout.
		test.slow();
		await logIn( page );
	} );

	test( 'npx pulse-sync-bridge start, then the command Status » Pair a bridge shows pairs it', async ( {
		page,
	} ) => {
		await bridge.start();
		// Not paired yet: alive, not ready.
		expect( await bridge.readyStatus() ).toBe( 503 );

		await openScreen( page, 'status', 'Status' );
		const card = page.locator( '.components-card' ).filter( {
			has: page.getByRole( 'heading', { name: 'Pair a bridge' } ),
		} );
		await card
			.getByRole( 'button', { name: 'Generate pairing code' } )
			.click();
		const command = String(
			await card.getByTestId( 'pairing-command' ).textContent()
		);
		expect( command ).toMatch(
			new RegExp(
				`^npx pulse-sync-bridge pair ${ escaped( stack().siteUrl ) } --code [0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$`
			)
		);
		// Exactly what the page shows, typed in the install folder.
		const paired = bridge.run( command );
		expect( paired.status ).toBe( 0 );
		const configFile = path.join( bridge.dataDir, 'config.json' );
		expect(
			( fs.statSync( configFile ).mode % 0o1000 ).toString( 8 )
		).toBe( '600' );
		const stored = JSON.parse( fs.readFileSync( configFile, 'utf8' ) );
		expect( stored.siteUrl ).toBe( stack().siteUrl );
		expect( stored.secret ).toMatch( /^whsec_/ );
		bridgeSecret = stored.secret;
		expect( paired.out ).not.toContain( bridgeSecret );
		// The running bridge picks the pairing up from config.json, without a restart.
		await waitUntil(
			'the bridge to be ready',
			async () => ( await bridge.readyStatus() ) === 200,
			20_000
		);
		await page.reload();
		await expect( page.getByTestId( 'pairing-state' ) ).toContainText(
			`Paired: bridge at ${ bridge.url }`,
			{ timeout: 15000 }
		);
		await expect( page.locator( '#pulse-sync-admin' ) ).not.toContainText(
			/whsec_/
		);
		await page.screenshot( {
			path: screenshotPath( 'release-paired' ),
			fullPage: true,
		} );
	} );

	test( 'CRM connection: the account URL, client ID and secret typed in, then the CRM’s consent page', async ( {
		page,
	} ) => {
		await openScreen( page, 'crm', 'CRM connection' );
		await page
			.getByLabel( 'Account URL', { exact: true } )
			.fill( stack().crmSandboxUrl );
		await page
			.getByLabel( 'OAuth client ID', { exact: true } )
			.fill( DEMO_CLIENT.id );
		await page
			.getByLabel( 'OAuth client secret', { exact: true } )
			.fill( DEMO_CLIENT.secret );
		await page
			.getByRole( 'button', { name: 'Connect', exact: true } )
			.click();
		await authorizeOnConsentPage( page );
		await page.screenshot( {
			path: screenshotPath( 'release-crm-connected' ),
			fullPage: true,
		} );

		const status = bridge.command( [ 'status' ] );
		expect( status.out ).toMatch( /^site reachable: yes/m );
		expect( status.out ).toMatch( /^signature accepted: yes/m );
		expect( status.out ).toMatch( /^CRM connected: yes/m );
		expect( status.status ).toBe( 0 );
		expect( status.out ).not.toContain( bridgeSecret );
	} );

	test( 'a CRM workflow sends the Webhooks screen’s URL when the tag is applied: the user exists', async ( {
		page,
	} ) => {
		await openScreen( page, 'webhooks', 'Webhooks' );
		await page
			.getByLabel( 'Action', { exact: true } )
			.selectOption( 'add' );
		const webhookUrl = await page
			.getByLabel( 'Webhook URL', { exact: true } )
			.inputValue();
		expect( webhookUrl ).toMatch(
			new RegExp(
				`^${ escaped( stack().siteUrl ) }/?\\?wpf_action=add&access_key=[^&]+$`
			)
		);

		// The workflow, set up in the CRM's own interface.
		await page.goto( `${ stack().crmSandboxUrl }/crm/webhooks` );
		await page.getByLabel( 'Trigger' ).selectOption( 'tag_applied' );
		await page.getByLabel( 'Tag (for "Tag applied")' ).selectOption( {
			label: TAG,
		} );
		await page.getByLabel( 'URL' ).fill( webhookUrl );
		await page.getByLabel( 'Format' ).selectOption( 'json' );
		await page.getByRole( 'button', { name: 'Add webhook' } ).click();
		await expect( page.locator( 'tbody' ) ).toContainText(
			`When tag "${ TAG }" is applied`
		);

		const [ contactId ] = await newContacts( 1 );
		await page.goto(
			`${ stack().crmSandboxUrl }/crm/contact/${ contactId }/edit`
		);
		await page.getByLabel( 'Tag to apply' ).selectOption( { label: TAG } );
		await page.getByRole( 'button', { name: 'Apply tag' } ).click();

		await waitUntil(
			'the user of the tagged contact',
			() => usersForContact( contactId as number ).length === 1,
			60_000
		);
		const [ user ] = usersForContact( contactId as number );
		await page.goto(
			`${ stack().adminUrl }users.php?s=${ encodeURIComponent( user?.email ?? '' ) }`
		);
		await expect( page.locator( '#the-list' ) ).toContainText(
			user?.email ?? '(no email)'
		);
		await page.screenshot( {
			path: screenshotPath( 'release-user-created' ),
			fullPage: true,
		} );
		// The installed bridge did the work (it logs the job once WordPress has answered).
		const done = new RegExp(
			`"event":"job.done".*"contact_id":${ contactId }`
		);
		await waitUntil(
			'the job.done line',
			() => done.test( bridge.log ),
			20_000
		);
	} );
} );

test( 'the bridge stops on SIGTERM and never wrote its secret', async () => {
	await bridge.stop();
	expect( bridge.log ).toContain( '"event":"bridge.stopped"' );
	expect( bridge.log ).not.toContain( bridgeSecret );
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
