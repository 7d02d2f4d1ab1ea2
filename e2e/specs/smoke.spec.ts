/**
 * The panel renders in wp-admin: proves the build loads on this WordPress version's React
 * (17 on 6.1, 18 on 6.8) with no console errors.
 */
import { expect, test } from '@playwright/test';
import { collectErrors, logIn, screenshotPath, stack } from '../support/stack';

test( 'an administrator logs in and opens the Pulse Sync page', async ( {
	page,
} ) => {
	const errors = collectErrors( page );
	await logIn( page );
	await page.goto( `${ stack().adminUrl }admin.php?page=pulse-sync` );
	await expect(
		page
			.locator( '#adminmenu' )
			.getByRole( 'link', { name: 'Pulse Sync', exact: true } )
	).toBeVisible();
	const panel = page.locator( '#pulse-sync-admin' );
	await expect( panel.getByRole( 'tab' ).first() ).toBeVisible( {
		timeout: 15000,
	} );
	await page.screenshot( {
		path: screenshotPath( 'smoke' ),
		fullPage: true,
	} );
	expect( errors ).toEqual( [] );
} );
