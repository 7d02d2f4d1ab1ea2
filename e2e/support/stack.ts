/** The running stack the browser tests use, and the wp-admin login every spec starts with. */
import fs from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import type { StackInfo } from '../../dev/src/stack-file';

export function stack(): StackInfo {
	const file =
		process.env.PULSE_STACK_FILE ??
		path.resolve( __dirname, '..', '..', '.stack', 'stack.json' );
	return JSON.parse( fs.readFileSync( file, 'utf8' ) ) as StackInfo;
}

/**
 * Screenshots of every screen go here (git-ignored), one folder per WordPress version.
 */
export function screenshotPath( name: string ): string {
	return path.resolve(
		__dirname,
		'..',
		'screenshots',
		`wp-${ stack().wpVersion }`,
		`${ name }.png`
	);
}

/** A screen of the panel (its route in admin-ui/src/routes.ts). */
export const panelUrl = ( screen: string ) =>
	`${ stack().adminUrl }admin.php?page=pulse-sync#/${ screen }`;

/**
 * Opens a screen of the panel and waits until its tab is the selected one.
 * @param page   The logged-in page.
 * @param screen Its route.
 * @param tab    Its tab's name.
 */
export async function openScreen(
	page: Page,
	screen: string,
	tab: string
): Promise< void > {
	await page.goto( panelUrl( screen ) );
	await expect(
		page.getByRole( 'tab', { name: tab, exact: true } )
	).toHaveAttribute( 'aria-selected', 'true' );
}

export async function logIn( page: Page ): Promise< void > {
	const info = stack();
	await page.goto( `${ info.siteUrl }/wp-login.php` );
	await page.fill( '#user_login', info.adminUser );
	await page.fill( '#user_pass', info.adminPassword );
	await Promise.all( [
		page.waitForURL( /wp-admin/ ),
		page.click( '#wp-submit' ),
	] );
}

/**
 * Console errors and failed page scripts, collected so a spec can assert there were none.
 * Resources from other hosts (Gravatar, emoji CDN) cannot load on this offline machine; those
 * failures are WordPress's, not the panel's, and are left out.
 */
export function collectErrors( page: Page ): string[] {
	const errors: string[] = [];
	const local = new URL( stack().siteUrl ).host;
	page.on( 'console', ( message ) => {
		if ( message.type() !== 'error' ) {
			return;
		}
		const source = message.location().url;
		const external = source !== '' && ! source.includes( local );
		if ( ! (
			external && message.text().startsWith( 'Failed to load resource' )
		) ) {
			errors.push( `${ message.text() } (${ source })` );
		}
	} );
	page.on( 'pageerror', ( error ) => errors.push( error.message ) );
	return errors;
}
