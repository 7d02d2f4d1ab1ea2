/**
 * The site owner's whole journey through the panel, in Chromium on the real stack: connect the
 * CRM through the sandbox's consent page, choose the Return Password field, build and copy a
 * webhook URL, send a test webhook, let a CRM workflow create a user, find it in the delivery log
 * and under Users, then make a delivery fail, read why, fix it and replay it. A screenshot of
 * every screen is saved under e2e/screenshots/.
 */
import { expect, test } from '@playwright/test';
import {
	control,
	crmApi,
	newContacts,
	contact as crmContact,
} from '../../integration/support/sandbox';
import { waitUntil } from '../../dev/src/wait';
import { waitForQuiet } from '../../integration/support/bridge';
import {
	usersForContact,
	usersWithEmail,
} from '../../integration/support/stack';
import { authorizeOnConsentPage } from '../support/crm-consent';
import {
	collectErrors,
	logIn,
	openScreen,
	screenshotPath,
	stack,
} from '../support/stack';

test.describe.configure( { mode: 'serial' } );

let errors: string[] = [];

test.beforeEach( async ( { page, context } ) => {
	errors = collectErrors( page );
	await context.grantPermissions( [ 'clipboard-read', 'clipboard-write' ], {
		origin: stack().siteUrl,
	} );
	await logIn( page );
} );

test.afterEach( () => {
	// A REST error the panel shows as a notice is fine; an uncaught script error is not.
	expect(
		errors.filter(
			( error ) => ! error.includes( 'Failed to load resource' )
		)
	).toEqual( [] );
} );

test( 'connect the CRM through its consent page', async ( { page } ) => {
	await openScreen( page, 'crm', 'CRM connection' );
	const disconnect = page.getByRole( 'button', { name: 'Disconnect' } );
	if ( await disconnect.isVisible() ) {
		await disconnect.click();
		await expect(
			page.getByText( 'Disconnected from the CRM.' ).first()
		).toBeVisible();
	}
	await page.getByRole( 'button', { name: /^(Connect|Reconnect)$/ } ).click();
	await authorizeOnConsentPage( page, 'crm-consent' );
	await page.screenshot( {
		path: screenshotPath( 'crm-connection' ),
		fullPage: true,
	} );
} );

test( 'choose the Return Password field; it is still chosen after a reload', async ( {
	page,
} ) => {
	await openScreen( page, 'return-password', 'Return Password' );
	const enabled = page.getByRole( 'checkbox' ).first();
	await enabled.check();
	const field = page.getByRole( 'combobox' ).first();
	await expect(
		field
			.locator( 'option', { hasText: 'wp_password' } )
			.or( field.locator( 'option[value="wp_password"]' ) )
	).toHaveCount( 1, { timeout: 15000 } );
	await field.selectOption( 'wp_password' );
	await page.getByRole( 'button', { name: 'Save' } ).click();
	await expect(
		page.locator( '.components-notice.is-success' )
	).toBeVisible();
	await page.reload();
	await expect( page.getByRole( 'checkbox' ).first() ).toBeChecked();
	await expect( page.getByRole( 'combobox' ).first() ).toHaveValue(
		'wp_password'
	);
	await page.screenshot( {
		path: screenshotPath( 'return-password' ),
		fullPage: true,
	} );
} );

test( 'build a webhook URL, copy it, and send a test webhook', async ( {
	page,
} ) => {
	await openScreen( page, 'webhooks', 'Webhooks' );
	await page
		.getByLabel( 'Action', { exact: true } )
		.selectOption( 'update_tags' );
	const url = page.getByLabel( 'Webhook URL', { exact: true } );
	await expect( url ).toHaveValue(
		new RegExp( `wpf_action=update_tags&access_key=${ stack().accessKey }` )
	);
	await page.getByRole( 'button', { name: 'Copy webhook URL' } ).click();
	const copied = await page.evaluate( () => navigator.clipboard.readText() );
	expect( copied ).toBe( await url.inputValue() );
	await page.getByRole( 'button', { name: 'Send test webhook' } ).click();
	await expect( page.getByText( 'HTTP status: 200' ) ).toBeVisible( {
		timeout: 15000,
	} );
	await page.screenshot( {
		path: screenshotPath( 'webhooks' ),
		fullPage: true,
	} );
} );

test( 'a CRM workflow creates a user, seen in the delivery log and under Users', async ( {
	page,
} ) => {
	const [ id ] = await newContacts( 1 );
	const email = String( ( await crmContact( id as number ) ).email );
	const url = `${ stack().siteUrl }/?wpf_action=add&access_key=${ stack().accessKey }`;
	const rule = await control< { id: number } >( 'POST', 'webhooks', {
		trigger: 'tag_applied',
		tag_id: 1,
		url,
		format: 'json',
	} );
	try {
		// The owner applies the tag in the CRM's own interface.
		await page.goto(
			`${ stack().crmSandboxUrl }/crm/contact/${ id }/edit`
		);
		await page
			.getByLabel( 'Tag to apply' )
			.selectOption( { label: 'Website Access' } );
		await page.getByRole( 'button', { name: 'Apply tag' } ).click();
		await page.screenshot( {
			path: screenshotPath( 'crm-sandbox-contact' ),
			fullPage: true,
		} );

		await openScreen( page, 'deliveries', 'Delivery log' );
		await page.getByLabel( 'Contact ID or email' ).fill( String( id ) );
		const row = page.locator( 'tr', { hasText: email } ).or(
			page.locator( 'tr', {
				has: page.getByRole( 'link', {
					name: String( id ),
					exact: true,
				} ),
			} )
		);
		await expect( row.first() ).toBeVisible( { timeout: 30000 } );
		await expect( row.first() ).toContainText( /done/i, {
			timeout: 30000,
		} );
		await page.screenshot( {
			path: screenshotPath( 'delivery-log' ),
			fullPage: true,
		} );
	} finally {
		await control( 'DELETE', `webhooks/${ rule.id }` );
	}
	await page.goto(
		`${ stack().adminUrl }users.php?s=${ encodeURIComponent( email ) }`
	);
	await expect( page.locator( '#the-list' ) ).toContainText( email );
} );

test( 'a failing delivery shows why, and Replay completes it once fixed', async ( {
	page,
} ) => {
	const [ id ] = await newContacts( 1 );
	// A permanent CRM error (422) fails the delivery at once, with the CRM's message.
	await control( 'POST', 'faults', {
		path_pattern: `/api/v1/contacts/${ id }/tags`,
		status: 422,
	} );
	try {
		const answer = await fetch(
			`${ stack().siteUrl }/?wpf_action=add&access_key=${ stack().accessKey }&contact_id=${ id }`
		);
		expect( answer.status ).toBeGreaterThanOrEqual( 400 );
	} finally {
		await control( 'DELETE', 'faults' );
	}
	await openScreen( page, 'deliveries', 'Delivery log' );
	await page.getByLabel( 'Contact ID or email' ).fill( String( id ) );
	const row = page
		.locator( 'tbody tr' )
		.filter( { hasText: /failed/i } )
		.first();
	await expect( row ).toBeVisible( { timeout: 30000 } );
	await row.getByRole( 'button', { name: 'Details' } ).click();
	const dialog = page.getByRole( 'dialog' );
	await expect( dialog ).toContainText( /422|error/i );
	await page.screenshot( {
		path: screenshotPath( 'delivery-detail' ),
		fullPage: true,
	} );
	await dialog.getByRole( 'button', { name: 'Replay' } ).click();
	await expect(
		page.getByText( 'The delivery was queued again.' ).first()
	).toBeVisible();
	await expect(
		page.locator( 'tbody tr' ).filter( { hasText: /done/i } ).first()
	).toBeVisible( { timeout: 30000 } );
} );

test( 'the Status screen pairs a bridge with a one-time code and shows no secret', async ( {
	page,
} ) => {
	await openScreen( page, 'status', 'Status' );
	const card = page.locator( '.components-card' ).filter( {
		has: page.getByRole( 'heading', { name: 'Pair a bridge' } ),
	} );
	await expect( page.getByTestId( 'pairing-state' ) ).toBeVisible( {
		timeout: 15000,
	} );
	await card.getByRole( 'button', { name: 'Generate pairing code' } ).click();
	const code = card.getByTestId( 'pairing-code' );
	await expect( code ).toHaveText(
		/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/
	);
	const command = card.getByTestId( 'pairing-command' );
	await expect( command ).toHaveText(
		`npx pulse-sync-bridge pair ${ stack().siteUrl } --code ${ await code.textContent() }`
	);
	await card
		.getByRole( 'button', { name: 'Copy the pairing command' } )
		.click();
	expect( await page.evaluate( () => navigator.clipboard.readText() ) ).toBe(
		await command.textContent()
	);
	await expect( page.locator( '#pulse-sync-admin' ) ).not.toContainText(
		/whsec_|PULSE_SYNC_BRIDGE_SECRET/
	);
	await page.screenshot( {
		path: screenshotPath( 'status-pairing' ),
		fullPage: true,
	} );
} );

test( 'a second contact with a linked user’s email fails; linking it by hand moves the link and replays it', async ( {
	page,
} ) => {
	// It waits for the site to be quiet (waitForQuiet: 11 s at least) on top of the panel's work.
	test.slow();
	const [ first, second ] = await newContacts( 2 );
	const hook = ( id: number ) =>
		fetch(
			`${ stack().siteUrl }/?wpf_action=add&access_key=${ stack().accessKey }&contact_id=${ id }`
		);
	expect( ( await hook( first as number ) ).status ).toBeLessThan( 300 );
	// A 202 is still being processed: the user must exist before its contact's email moves.
	await waitUntil(
		`the user of contact ${ first }`,
		() => usersForContact( first as number ).length === 1
	);
	const email = String( ( await crmContact( first as number ) ).email );
	await crmApi( 'PUT', `contacts/${ first }`, { email: `moved-${ email }` } );
	await crmApi( 'PUT', `contacts/${ second }`, { email } );
	// The stack's CRM workflow "contact updated → update" (dev/src/seed.ts) answers each PUT
	// above, and the bridge's write-back of the first contact's Return Password field, with a
	// webhook of its own. While those wait on the bridge they hold the site's waiting slots
	// (max_waiting_workers, 2), and the webhook below is answered 202 at once, as designed:
	// this failed on WordPress 6.8, whose slower requests overlap them. So the CRM sends
	// them and the bridge goes quiet first.
	await control( 'POST', 'webhooks/flush' );
	await waitForQuiet();
	expect( ( await hook( second as number ) ).status ).toBe( 422 );

	await openScreen( page, 'deliveries', 'Delivery log' );
	await page.getByLabel( 'Contact ID or email' ).fill( String( second ) );
	const row = page
		.locator( 'tbody tr' )
		.filter( { hasText: /failed/i } )
		.first();
	await expect( row ).toBeVisible( { timeout: 30000 } );
	await row.getByRole( 'button', { name: 'Details' } ).click();
	const dialog = page.getByRole( 'dialog' );
	await expect( dialog ).toContainText( 'user_linked_to_other_contact' );
	await expect( dialog ).toContainText( `linked to contact ${ first }` );
	await dialog
		.getByRole( 'button', { name: /^Link this contact to user / } )
		.click();
	await expect(
		page.getByText( 'Linked. The delivery was queued again.' ).first()
	).toBeVisible();
	await expect(
		page.locator( 'tbody tr' ).filter( { hasText: /done/i } ).first()
	).toBeVisible( { timeout: 30000 } );
	expect( usersWithEmail( email ).map( ( user ) => user.contactId ) ).toEqual(
		[ second ]
	);
} );

test( 'every screen renders (screenshots)', async ( { page } ) => {
	const screens: Array< [ string, string ] > = [
		[ 'webhooks', 'Webhooks' ],
		[ 'return-password', 'Return Password' ],
		[ 'crm', 'CRM connection' ],
		[ 'import', 'Import settings' ],
		[ 'mapping', 'Field mapping' ],
		[ 'status', 'Status' ],
		[ 'deliveries', 'Delivery log' ],
	];
	for ( const [ screen, tab ] of screens ) {
		await openScreen( page, screen, tab );
		await expect(
			page.locator( '#pulse-sync-admin .components-spinner' )
		).toHaveCount( 0, { timeout: 15000 } );
		await page.screenshot( {
			path: screenshotPath( `screen-${ screen }` ),
			fullPage: true,
		} );
	}
} );
