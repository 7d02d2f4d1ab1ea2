/**
 * Issue 13's test: three bridges on one real PostgreSQL, behind one nginx URL, serving two
 * WordPress sites (`PULSE_STACK_DB=postgres PULSE_STACK_BRIDGES=3 PULSE_STACK_SITES=2`,
 * dev/src/bridge-fleet.ts, dev/src/stack-sites.ts), a storm of `add` webhooks through both
 * sites (contact i to site i mod 2), one bridge SIGKILLed at 30% and another restarted at 60%,
 * and the CRM's access tokens expired in the middle. Every webhook answered 2xx ends with exactly
 * one user, on its own site only, with its tags and its password returned to the CRM; an `add`
 * followed by an `update_tags` after the CRM changed the tags ends with the later tags; each
 * site's tokens are refreshed once across the three bridges.
 */
import type { StackSite } from '../dev/src/stack-file';
import { waitUntil } from '../dev/src/wait';
import { startFleetBridge, stopFleetBridge } from './support/bridge-fleet';
import { waitForQuiet } from './support/bridge';
import {
	clearFaults,
	contact,
	control,
	crmApi,
	newContacts,
	removeWebhookRules,
} from './support/sandbox';
import {
	configure,
	currentSettings,
	stack,
	usersByContact,
	type WpUser,
} from './support/stack';
import { sendWebhook, type WebhookAnswer } from './support/webhook';

const STORM = Number( process.env.PULSE_SCALE_STORM ?? 2000 );
// Contacts whose tags the CRM changes after their `add`, followed by an `update_tags`.
const RETAGGED = 20;
const AT_ONCE = 24;
const TOKEN_ENDPOINT = 'POST /oauth/token';

let sites: StackSite[] = [];
const settingsBefore = new Map< StackSite, Record< string, unknown > >();

beforeAll( async () => {
	sites = stack().sites;
	if ( sites.length < 2 ) {
		throw new Error(
			'this test needs a stack of two sites: PULSE_STACK_SITES=2 npm run stack:up'
		);
	}
	await removeWebhookRules();
	await clearFaults();
	for ( const site of sites ) {
		settingsBefore.set( site, currentSettings( site.wpDir ) );
		configure(
			{
				return_password_enabled: true,
				return_password_field: 'wp_password',
				always_send_welcome: false,
			},
			site.wpDir
		);
		await waitForQuiet( 120000, site );
	}
}, 300000 );

afterAll( () => {
	for ( const [ site, settings ] of settingsBefore ) {
		configure( settings, site.wpDir );
	}
} );

/**
 * Spooled deliveries (the plugin's answer while a bridge was unreachable) are handed over after
 * a later webhook that reached a bridge: keep sending one to each site, as the CRM would, until
 * done.
 * @param done Whether everything arrived.
 */
async function untilProcessed( done: () => boolean ): Promise< void > {
	const bystanders = await newContacts( sites.length );
	await waitUntil(
		'every acknowledged delivery to be processed',
		async () => {
			if ( done() ) {
				return true;
			}
			await Promise.all(
				sites.map( ( site, n ) =>
					sendWebhook(
						'update_tags',
						bystanders[ n ] as number,
						'form',
						{},
						'/',
						site
					)
				)
			);
			await new Promise( ( resolve ) => setTimeout( resolve, 2000 ) );
			return done();
		},
		150000
	);
}

test( `${ STORM } adds over 2 sites and 3 bridges, one SIGKILLed at 30%, one restarted at 60%, tokens expired at 50%`, async () => {
	const ids = await newContacts( STORM, [ 2 ] );
	const siteOf = new Map< number, StackSite >(
		ids.map( ( id, i ) => [ id, sites[ i % sites.length ] as StackSite ] )
	);
	const retagged = new Set( ids.slice( 0, RETAGGED ) );
	// The test's own CRM client takes its token now, so that the CRM's count of token requests
	// from here on is the bridges' alone.
	await crmApi( 'GET', 'tags' );
	await control( 'DELETE', 'requests' );
	const answers = new Map< number, WebhookAnswer >();
	const retagAnswers: number[] = [];
	const late: Promise< void >[] = [];
	let next = 0;
	const milestones = async ( sent: number ) => {
		if ( sent === Math.floor( STORM * 0.3 ) ) {
			await stopFleetBridge( 1, 'SIGKILL' );
		} else if ( sent === Math.floor( STORM * 0.5 ) ) {
			await control( 'POST', 'tokens/expire' );
		} else if ( sent === Math.floor( STORM * 0.6 ) ) {
			await stopFleetBridge( 2, 'SIGTERM' );
			await startFleetBridge( 2 );
		}
	};
	const sender = async () => {
		while ( next < ids.length ) {
			const index = next++;
			await milestones( index );
			const id = ids[ index ] as number;
			const site = siteOf.get( id ) as StackSite;
			answers.set(
				id,
				await sendWebhook( 'add', id, 'form', {}, '/', site )
			);
			if ( retagged.has( id ) ) {
				// The CRM changes the tags after the add, then says so.
				late.push(
					( async () => {
						await crmApi( 'POST', `contacts/${ id }/untag`, {
							'tag_id[0]': '2',
						} );
						await crmApi( 'POST', `contacts/${ id }/tag-apply`, {
							'tag_id[0]': '4',
						} );
						const tagged = await sendWebhook(
							'update_tags',
							id,
							'form',
							{},
							'/',
							site
						);
						retagAnswers.push( tagged.status );
					} )()
				);
			}
		}
	};
	try {
		await Promise.all( Array.from( { length: AT_ONCE }, sender ) );
		await Promise.all( late );
	} finally {
		// The killed bridge back, as an operator would: the stack ends as it started.
		await startFleetBridge( 1 );
	}

	const acknowledged = ids.filter( ( id ) => {
		const status = answers.get( id )?.status ?? 0;
		return status >= 200 && status < 300;
	} );
	expect( acknowledged ).toHaveLength( STORM );
	expect( retagAnswers.filter( ( status ) => status >= 300 ) ).toEqual( [] );
	const expectedTags = ( id: number ) =>
		retagged.has( id ) ? [ 4 ] : [ 2 ];
	// Each contact's users on its own site, and the users it has on any other site.
	const usersOnOwnSite = () => {
		const found = new Map< number, WpUser[] >();
		for ( const site of sites ) {
			const own = usersByContact(
				acknowledged.filter( ( id ) => siteOf.get( id ) === site ),
				site.dbName
			);
			for ( const [ id, users ] of own ) {
				found.set( id, users );
			}
		}
		return found;
	};
	const complete = ( users: Map< number, WpUser[] > ) =>
		acknowledged.every( ( id ) => {
			const found = users.get( id ) ?? [];
			return (
				found.length >= 1 &&
				JSON.stringify( found[ 0 ]?.tags ) ===
					JSON.stringify( expectedTags( id ) )
			);
		} );
	await untilProcessed( () => complete( usersOnOwnSite() ) );

	const users = usersOnOwnSite();
	const duplicates = acknowledged.filter(
		( id ) => ( users.get( id ) ?? [] ).length !== 1
	);
	expect( duplicates ).toEqual( [] );
	const wrongTags = acknowledged.filter(
		( id ) =>
			JSON.stringify( users.get( id )?.[ 0 ]?.tags ) !==
			JSON.stringify( expectedTags( id ) )
	);
	expect( wrongTags ).toEqual( [] );
	const onOtherSite = sites.flatMap( ( site ) =>
		[
			...usersByContact(
				acknowledged.filter( ( id ) => siteOf.get( id ) !== site ),
				site.dbName
			),
		]
			.filter( ( [ , found ] ) => found.length > 0 )
			.map( ( [ id ] ) => id )
	);
	expect( onOtherSite ).toEqual( [] );
	const withoutPassword: number[] = [];
	for ( let i = 0; i < acknowledged.length; i += 50 ) {
		const batch = acknowledged.slice( i, i + 50 );
		const records = await Promise.all(
			batch.map( ( id ) => contact( id ) )
		);
		records.forEach( ( record, j ) => {
			if ( String( record.wp_password ?? '' ).length < 16 ) {
				withoutPassword.push( batch[ j ] as number );
			}
		} );
	}
	expect( withoutPassword ).toEqual( [] );
	const { counters } = await control< {
		counters: Record< string, number >;
	} >( 'GET', 'counters' );
	// Each site has its own CRM connection (its own tokens, in its own schema): one refresh each.
	expect( counters[ TOKEN_ENDPOINT ] ).toBe( sites.length );
}, 300000 );
