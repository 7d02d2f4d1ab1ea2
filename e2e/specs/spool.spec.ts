/**
 * A delivery that waited in the site's spool and that the bridge then refuses (here: a role the
 * bridge does not accept, as an older plugin might have spooled it) never reaches the bridge's
 * delivery log. It must end failed and visible on the Status screen, where the owner replays or
 * discards it, and it must not hold up the hand-over of the deliveries after it.
 */
import { expect, test } from '@playwright/test';
import { query } from '../../integration/support/stack';
import { collectErrors, logIn, screenshotPath, stack } from '../support/stack';

const SPOOL = 'wp_pulse_sync_spool';

function spoolState( deliveryId: string ): string | undefined {
	return query(
		`SELECT IF( failed_at IS NULL, 'pending', 'failed' ) FROM ${ SPOOL } WHERE delivery_id = '${ deliveryId }'`
	)[ 0 ]?.[ 0 ];
}

/** A keyed webhook: once answered, it hands the spool to the bridge. */
async function webhookThatHandsOverTheSpool(): Promise< void > {
	const answer = await fetch(
		`${ stack().siteUrl }/?wpf_action=test&access_key=${ stack().accessKey }`
	);
	expect( answer.status ).toBe( 200 );
}

test( 'a spooled delivery the bridge refuses is shown on the Status screen, replayed and discarded', async ( {
	page,
} ) => {
	const errors = collectErrors( page );
	const deliveryId = `msg_e2e${ Date.now().toString( 16 ) }`;
	const payload = JSON.stringify( {
		id: deliveryId,
		action: 'add',
		contact_id: 7,
		params: { send_notification: false, role: 'Sales Manager' },
		source_ip: '127.0.0.1',
		received_at: new Date().toISOString().replace( /\.\d+Z$/, 'Z' ),
		wait_ms: 0,
	} );
	query(
		`INSERT INTO ${ SPOOL } (delivery_id, payload, created_at, next_attempt_at) VALUES ('${ deliveryId }', '${ payload }', UTC_TIMESTAMP(), UTC_TIMESTAMP())`
	);
	try {
		await webhookThatHandsOverTheSpool();
		await expect
			.poll( () => spoolState( deliveryId ), { timeout: 20000 } )
			.toBe( 'failed' );

		await logIn( page );
		await page.goto(
			`${ stack().adminUrl }admin.php?page=pulse-sync#/status`
		);
		const refused = page
			.locator( '.components-card' )
			.filter( { hasText: 'Deliveries the bridge refused' } );
		await expect( refused ).toContainText(
			/HTTP 400 invalid_request: params\.role/
		);
		await page.screenshot( {
			path: screenshotPath( 'status-refused-deliveries' ),
			fullPage: true,
		} );

		await refused
			.getByRole( 'button', { name: `Replay ${ deliveryId }` } )
			.click();
		await expect(
			refused.getByText( /The delivery is back in line/ )
		).toBeVisible();
		expect( spoolState( deliveryId ) ).toBe( 'pending' );

		// Handed over again, refused again: back on the list after a refresh.
		await webhookThatHandsOverTheSpool();
		await expect
			.poll( () => spoolState( deliveryId ), { timeout: 20000 } )
			.toBe( 'failed' );
		await page.getByRole( 'button', { name: 'Refresh' } ).click();
		await refused
			.getByRole( 'button', { name: `Discard ${ deliveryId }` } )
			.click();
		await page
			.getByRole( 'dialog' )
			.getByRole( 'button', { name: 'Discard' } )
			.click();
		await expect(
			refused.getByText( 'The delivery was discarded.' )
		).toBeVisible();
		expect( spoolState( deliveryId ) ).toBeUndefined();
	} finally {
		query( `DELETE FROM ${ SPOOL } WHERE delivery_id = '${ deliveryId }'` );
	}
	expect(
		errors.filter(
			( error ) => ! error.includes( 'Failed to load resource' )
		)
	).toEqual( [] );
} );
