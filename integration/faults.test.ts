/**
 * Nothing answered 2xx is lost: with the CRM down, with the bridge down (the plugin's spool),
 * and with the bridge killed in the middle of a burst.
 */
import {
	clearFaults,
	control,
	newContacts,
	removeWebhookRules,
} from './support/sandbox';
import { usersForContact } from './support/stack';
import {
	killBridge,
	startStackBridge,
	waitForDelivery,
} from './support/bridge';
import { sendWebhook } from './support/webhook';
import { waitUntil } from '../dev/src/wait';

/**
 * The plugin hands spooled deliveries over after a later webhook that reached the bridge (and on
 * WP-Cron). Keep webhooks coming, as the CRM would, until everything arrived. `update_tags` for a
 * contact without a user is answered `skipped` and changes nothing.
 */
async function untilProcessed(
	what: string,
	done: () => boolean,
	timeoutMs: number
): Promise< void > {
	const [ bystander ] = await newContacts( 1 );
	await waitUntil(
		what,
		async () => {
			if ( done() ) {
				return true;
			}
			await sendWebhook( 'update_tags', bystander as number );
			await new Promise( ( resolve ) => setTimeout( resolve, 1000 ) );
			return done();
		},
		timeoutMs
	);
}

beforeAll( async () => {
	await removeWebhookRules();
	await clearFaults();
} );

afterAll( async () => {
	await clearFaults();
} );

test( 'CRM down: the webhook is answered 202 and the user is created once the CRM is back', async () => {
	const [ id ] = await newContacts( 1 );
	await control( 'POST', 'faults', {
		path_pattern: '/api/v1/*',
		status: 500,
	} );
	const answer = await sendWebhook( 'add', id as number );
	expect( answer.status ).toBe( 202 );
	expect( usersForContact( id as number ) ).toHaveLength( 0 );
	await clearFaults();
	await waitForDelivery(
		String( answer.body.delivery_id ),
		[ 'done' ],
		120000
	);
	expect( usersForContact( id as number ) ).toHaveLength( 1 );
} );

test( 'bridge down: deliveries are spooled by the plugin (202) and processed after it restarts', async () => {
	const ids = await newContacts( 3 );
	await killBridge( 'SIGTERM' );
	try {
		for ( const id of ids ) {
			const answer = await sendWebhook( 'add', id );
			expect( answer.status ).toBe( 202 );
			expect( answer.body.success ).toBe( true );
		}
		expect( ids.flatMap( ( id ) => usersForContact( id ) ) ).toHaveLength(
			0
		);
	} finally {
		await startStackBridge();
	}
	await untilProcessed(
		'spooled deliveries to be processed',
		() => ids.every( ( id ) => usersForContact( id ).length === 1 ),
		60000
	);
}, 120000 );

test( 'bridge killed mid-burst: every delivery answered 2xx ends with its user, none twice', async () => {
	const ids = await newContacts( 60 );
	const answers = await Promise.all(
		ids.map( async ( id, index ) => {
			if ( index === 20 ) {
				await killBridge( 'SIGKILL' );
			}
			return { id, answer: await sendWebhook( 'add', id ) };
		} )
	);
	await startStackBridge();
	const acknowledged = answers
		.filter( ( { answer } ) => answer.status >= 200 && answer.status < 300 )
		.map( ( { id } ) => id );
	expect( acknowledged.length ).toBe( ids.length );
	await untilProcessed(
		'every acknowledged delivery to be processed',
		() => acknowledged.every( ( id ) => usersForContact( id ).length >= 1 ),
		180000
	);
	for ( const id of acknowledged ) {
		expect( usersForContact( id ) ).toHaveLength( 1 );
	}
}, 240000 );
