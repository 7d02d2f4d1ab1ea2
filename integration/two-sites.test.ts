/**
 * Issue 13 part 1 through the whole stack: two WordPress sites paired with one bridge
 * (`PULSE_STACK_SITES=2`, dev/src/stack-sites.ts; the second through `pulse-sync-bridge pair`, at
 * its own `/sites/<id>` bridge route). Each site's `add` creates its user on that site only, each
 * site's delivery log (the bridge's signed route and the panel's REST route) holds only its own
 * deliveries and opens only to its own secret, and a storm on the first site does not starve the second: its single `add` is
 * answered 200 (processed, not 202 queued) while the first site's storm is still queued.
 */
import { callBridge } from '../dev/src/seed';
import type { StackSite } from '../dev/src/stack-file';
import { waitUntil } from '../dev/src/wait';
import { adminSession } from './support/admin';
import { waitForQuiet } from './support/bridge';
import {
	clearFaults,
	newContacts,
	removeWebhookRules,
} from './support/sandbox';
import { stack, usersByContact } from './support/stack';
import { sendWebhook, type WebhookAnswer } from './support/webhook';

// Enough `add`s that the first site's queue outlasts the second site's whole wait budget.
const STORM = 400;
const AT_ONCE = 48;

interface DeliveryList {
	items: { id: string; contact_id: number; state: string }[];
	total: number;
}

interface QueueStatus {
	queue: { pending: number; in_progress: number };
}

let first: StackSite;
let second: StackSite;

beforeAll( async () => {
	const sites = stack().sites;
	if ( sites.length < 2 ) {
		throw new Error(
			'this test needs a stack of two sites: PULSE_STACK_SITES=2 npm run stack:up'
		);
	}
	[ first, second ] = sites as [ StackSite, StackSite ];
	await removeWebhookRules();
	await clearFaults();
	await waitForQuiet();
}, 180000 );

function deliveriesOf( site: StackSite, contactId: number ) {
	return callBridge(
		site,
		'GET',
		`/v1/deliveries?contact_id=${ contactId }`
	) as Promise< DeliveryList >;
}

function queueOf( site: StackSite ) {
	return callBridge( site, 'GET', '/v1/status' ) as Promise< QueueStatus >;
}

const is2xx = ( answer: WebhookAnswer ) =>
	answer.status >= 200 && answer.status < 300;

test( "each site's add creates its user on that site only, and each delivery log holds only its own", async () => {
	const [ onFirst, onSecond ] = ( await newContacts( 2, [ 1 ] ) ) as [
		number,
		number,
	];
	const answers = [
		await sendWebhook( 'add', onFirst, 'form', {}, '/', first ),
		await sendWebhook( 'add', onSecond, 'form', {}, '/', second ),
	];
	expect( answers.map( ( answer ) => answer.status ) ).toEqual( [
		200, 200,
	] );

	const firstUsers = usersByContact( [ onFirst, onSecond ], first.dbName );
	const secondUsers = usersByContact( [ onFirst, onSecond ], second.dbName );
	expect( firstUsers.get( onFirst ) ).toHaveLength( 1 );
	expect( firstUsers.get( onSecond ) ).toEqual( [] );
	expect( secondUsers.get( onSecond ) ).toHaveLength( 1 );
	expect( secondUsers.get( onFirst ) ).toEqual( [] );

	// The bridge's signed route, through each site's own URL and secret.
	expect( ( await deliveriesOf( first, onFirst ) ).total ).toBe( 1 );
	expect( ( await deliveriesOf( first, onSecond ) ).total ).toBe( 0 );
	expect( ( await deliveriesOf( second, onSecond ) ).total ).toBe( 1 );
	expect( ( await deliveriesOf( second, onFirst ) ).total ).toBe( 0 );

	// One site's secret opens no other site's log: its signature is refused at the other's route.
	for ( const [ signer, route ] of [
		[ second, first ],
		[ first, second ],
	] as const ) {
		await expect(
			callBridge(
				{
					bridgeUrl: route.bridgeUrl,
					bridgeSecret: signer.bridgeSecret,
				},
				'GET',
				`/v1/deliveries?contact_id=${ onFirst }`
			)
		).rejects.toThrow( / answered 401: / );
	}

	// The panel's REST route on each site, as its administrator sees the log.
	for ( const [ site, own, other ] of [
		[ first, onFirst, onSecond ],
		[ second, onSecond, onFirst ],
	] as const ) {
		const panel = await adminSession( site.siteUrl );
		const ownLog = await panel.rest(
			'GET',
			`/deliveries?contact_id=${ own }`
		);
		const otherLog = await panel.rest(
			'GET',
			`/deliveries?contact_id=${ other }`
		);
		expect( ownLog.status ).toBe( 200 );
		expect( ownLog.json.total ).toBe( 1 );
		expect( otherLog.status ).toBe( 200 );
		expect( otherLog.json.total ).toBe( 0 );
	}
} );

test( `a storm of ${ STORM } adds on the first site leaves the second site's single add answered 200`, async () => {
	const stormIds = await newContacts( STORM, [ 1 ] );
	const [ lone ] = ( await newContacts( 1, [ 1 ] ) ) as [ number ];
	await waitForQuiet();

	const stormAnswers: WebhookAnswer[] = [];
	let next = 0;
	const sender = async () => {
		while ( next < stormIds.length ) {
			const id = stormIds[ next++ ] as number;
			stormAnswers.push(
				await sendWebhook( 'add', id, 'form', {}, '/', first )
			);
		}
	};
	const storm = Promise.all( Array.from( { length: AT_ONCE }, sender ) );

	// The second site's add goes out once the first site's queue is well behind.
	await waitUntil(
		"the first site's queue to hold the storm",
		async () => ( await queueOf( first ) ).queue.pending >= AT_ONCE,
		60000
	);
	const loneAnswer = await sendWebhook(
		'add',
		lone,
		'form',
		{},
		'/',
		second
	);
	const firstAfterwards = await queueOf( first );
	await storm;

	expect( loneAnswer.status ).toBe( 200 );
	expect( loneAnswer.body.status ).toBe( 'created' );
	expect(
		usersByContact( [ lone ], second.dbName ).get( lone )
	).toHaveLength( 1 );
	// Answered while the first site still had work queued: it did not wait behind the storm.
	expect(
		firstAfterwards.queue.pending + firstAfterwards.queue.in_progress
	).toBeGreaterThan( 0 );

	// The storm itself is all answered 2xx and ends with one user per contact, on its site only.
	expect( stormAnswers.filter( ( answer ) => ! is2xx( answer ) ) ).toEqual(
		[]
	);
	await waitForQuiet( 240000 );
	const stormUsers = usersByContact( stormIds, first.dbName );
	expect(
		stormIds.filter( ( id ) => ( stormUsers.get( id ) ?? [] ).length !== 1 )
	).toEqual( [] );
	const leaked = usersByContact( stormIds, second.dbName );
	expect(
		stormIds.filter( ( id ) => ( leaked.get( id ) ?? [] ).length > 0 )
	).toEqual( [] );
}, 600000 );
