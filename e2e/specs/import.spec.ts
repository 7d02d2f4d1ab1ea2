/**
 * The Import users screen on the stack: the tag's count, the progress bar of a run the bridge
 * works on (right again after a reload of the page), pause and resume, and the users it made.
 */
import { expect, test } from '@playwright/test';
import {
	clearFaults,
	control,
	newContacts,
} from '../../integration/support/sandbox';
import { usersForContact } from '../../integration/support/stack';
import { collectErrors, logIn, screenshotPath, stack } from '../support/stack';

test( 'an import by tag shows its progress, survives a reload, pauses, resumes and creates the users', async ( {
	page,
} ) => {
	test.setTimeout( 180000 );
	const errors = collectErrors( page );
	const tagName = `E2E import ${ Date.now().toString( 36 ) }`;
	const tag = await control< { id: number } >( 'POST', 'tags', {
		name: tagName,
	} );
	const ids = await newContacts( 40, [ tag.id ] );
	// A slow CRM keeps the run going long enough to watch, pause and reload.
	await control( 'POST', 'latency', { latency_ms: 150 } );
	try {
		await logIn( page );
		await page.goto(
			`${ stack().adminUrl }admin.php?page=pulse-sync#/bulk-import`
		);
		await page.getByLabel( 'CRM tag' ).selectOption( { label: tagName } );
		await expect(
			page.getByText( '40 contacts carry this tag.' )
		).toBeVisible( { timeout: 20000 } );
		await page.getByLabel( 'Send the welcome email to new users' ).check();
		await page
			.getByRole( 'button', { name: 'Import', exact: true } )
			.click();

		const bar = page.getByRole( 'progressbar', {
			name: 'Import progress',
		} );
		await expect( bar ).toBeVisible();
		await page.getByRole( 'button', { name: 'Pause' } ).click();
		await expect( page.getByText( /Run \d+: paused/ ) ).toBeVisible();

		// The run lives in the bridge: a reload shows it as it is.
		await page.reload();
		await expect( page.getByText( /Run \d+: paused/ ) ).toBeVisible( {
			timeout: 20000,
		} );
		await page.getByRole( 'button', { name: 'Resume' } ).click();
		await expect( page.getByText( /Run \d+: completed/ ) ).toBeVisible( {
			timeout: 120000,
		} );
		await expect( bar ).toHaveAttribute( 'aria-valuenow', '100' );
		await expect( bar ).toHaveAttribute(
			'aria-valuetext',
			'40 of 40 contacts'
		);
		const facts = page.locator( '.pulse-sync-import-progress dl' );
		await expect( facts ).toContainText( 'Created40' );
		await expect( facts ).toContainText( 'Failed0' );
		await page.screenshot( {
			path: screenshotPath( 'import-progress' ),
			fullPage: true,
		} );
		for ( const id of ids ) {
			expect( usersForContact( id ) ).toHaveLength( 1 );
		}
	} finally {
		await clearFaults();
	}
	expect(
		errors.filter(
			( error ) => ! error.includes( 'Failed to load resource' )
		)
	).toEqual( [] );
} );
