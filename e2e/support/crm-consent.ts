/**
 * The owner's half of the CRM's OAuth flow, once Connect was clicked on the CRM connection
 * screen: authorize on the CRM's consent page, come back to the panel, and see the connection.
 */
import { expect, type Page } from '@playwright/test';
import { openScreen, screenshotPath } from './stack';

/**
 * @param page       The page Connect was clicked on.
 * @param screenshot A name for a screenshot of the consent page, if one is wanted.
 */
export async function authorizeOnConsentPage(
	page: Page,
	screenshot?: string
): Promise< void > {
	await page.waitForURL( /\/oauth\/authorize/ );
	if ( screenshot !== undefined ) {
		await page.screenshot( { path: screenshotPath( screenshot ) } );
	}
	await page.getByRole( 'button', { name: 'Authorize' } ).click();
	await page.waitForURL( /page=pulse-sync/ );
	await openScreen( page, 'crm', 'CRM connection' );
	await expect(
		page.getByRole( 'button', { name: 'Disconnect' } )
	).toBeEnabled( { timeout: 15000 } );
}
