import { bottleneck, cpuGroups, groupOf } from '../lib/bottleneck';
import { queueWaitsMs } from '../lib/queue-wait';
import { siteOfContact } from '../lib/storm';
import { comparison, SCALE_CONFIGS, stackEnv } from '../scenarios/scale';

describe( 'CPU per process group', () => {
	it( 'groups the bridges of a fleet, the PHP-FPM pools apart, the rest by service', () => {
		expect( groupOf( 'bridge (node)' ) ).toBe( 'bridge processes' );
		expect( groupOf( 'bridge-2 (node)' ) ).toBe( 'bridge processes' );
		expect( groupOf( 'bridge-front (nginx)' ) ).toBe(
			'nginx in front of the bridges'
		);
		expect( groupOf( 'php-fpm (pool pulse-sync)' ) ).toBe(
			'PHP-FPM pool pulse-sync'
		);
		expect( groupOf( 'php-fpm (pool visitors)' ) ).toBe(
			'PHP-FPM pool visitors'
		);
		expect( groupOf( 'php-fpm (php-fpm8.2)' ) ).toBe( 'PHP-FPM master' );
		expect( groupOf( 'postgres (postgres)' ) ).toBe( 'PostgreSQL' );
		expect( groupOf( 'mariadb (mariadbd)' ) ).toBe( 'MariaDB' );
		expect( groupOf( 'crm-sandbox (node)' ) ).toBe( 'CRM sandbox' );
		expect( groupOf( 'benchmark client (node)' ) ).toBe(
			'benchmark client'
		);
		expect( groupOf( 'smtp (node)' ) ).toBe( 'smtp' );
	} );

	it( 'adds up each group and gives the cores it kept busy, largest first', () => {
		expect(
			cpuGroups(
				[
					[ 'bridge-1 (node)', 4 ],
					[ 'php-fpm (pool pulse-sync)', 8 ],
					[ 'bridge-2 (node)', 2 ],
					[ 'mariadb (mariadbd)', 1 ],
				],
				10
			)
		).toEqual( [
			{ group: 'PHP-FPM pool pulse-sync', seconds: 8, cores: 0.8 },
			{ group: 'bridge processes', seconds: 6, cores: 0.6 },
			{ group: 'MariaDB', seconds: 1, cores: 0.1 },
		] );
	} );
} );

describe( 'bottleneck', () => {
	const groups = ( ...cores: number[] ) =>
		cores.map( ( value, index ) => ( {
			group: `g${ index }`,
			seconds: value * 10,
			cores: value,
		} ) );

	it( 'is the CPU when the machine is saturated, naming the largest users', () => {
		const said = bottleneck( {
			groups: groups( 1.2, 0.5 ),
			machineCores: 2,
			machineBusyCores: 1.8,
			queueWaitP50Ms: 5000,
			jobP50Ms: 100,
		} );
		expect( said ).toMatch(
			/^CPU: 1\.70 of 2 cores busy with the stack, 1\.80 with every process/
		);
		expect( said ).toContain( 'g0 1.20 (71%)' );
	} );

	it( 'is the pipeline when the CPU has room and jobs wait longer than they take', () => {
		expect(
			bottleneck( {
				groups: groups( 0.6, 0.4 ),
				machineCores: 2,
				machineBusyCores: 1.1,
				queueWaitP50Ms: 800,
				jobP50Ms: 100,
			} )
		).toMatch(
			/^The pipeline, not the CPU \(1\.00 of 2 cores busy with the stack, 1\.10/
		);
	} );

	it( "is the CPU when other users' work on the shared machine saturates it", () => {
		expect(
			bottleneck( {
				groups: groups( 0.9 ),
				machineCores: 2,
				machineBusyCores: 1.9,
				queueWaitP50Ms: 5000,
				jobP50Ms: 100,
			} )
		).toMatch(
			/^CPU: 0\.90 of 2 cores busy with the stack, 1\.90 with every process/
		);
	} );

	it( 'is neither when the CPU has room and jobs do not queue', () => {
		expect(
			bottleneck( {
				groups: groups( 0.6 ),
				machineCores: 2,
				machineBusyCores: null,
				queueWaitP50Ms: 20,
				jobP50Ms: 100,
			} )
		).toMatch( /^Neither the CPU/ );
		expect(
			bottleneck( {
				groups: groups( 0.6 ),
				machineCores: 2,
				machineBusyCores: 0.7,
				queueWaitP50Ms: null,
				jobP50Ms: null,
			} )
		).toContain( 'an unknown time' );
	} );
} );

describe( 'queueWaitsMs', () => {
	const delivery = (
		contactId: number,
		receivedAt: string,
		starts: string[]
	) => ( {
		contact_id: contactId,
		received_at: receivedAt,
		attempts: starts.map( ( startedAt, index ) => ( {
			n: index + 1,
			started_at: startedAt,
			duration_ms: 10,
			error: null,
		} ) ),
	} );

	it( "counts the storm's deliveries from receipt to their first attempt, not merged ones or others", () => {
		expect(
			queueWaitsMs(
				[
					delivery( 1, '2026-01-01T00:00:00.000Z', [
						'2026-01-01T00:00:00.250Z',
						'2026-01-01T00:00:05.000Z',
					] ),
					delivery( 2, '2026-01-01T00:00:01.000Z', [] ),
					delivery( 3, '2026-01-01T00:00:00.000Z', [
						'2026-01-01T00:00:09.000Z',
					] ),
				],
				new Set( [ 1, 2 ] )
			)
		).toEqual( [ 250 ] );
	} );
} );

describe( 'siteOfContact', () => {
	it( "sends the sites each contact in turn, all of a contact's webhooks to one site", () => {
		const assigned = siteOfContact( [ 7, 8, 7, 9, 8, 10 ], [ 'a', 'b' ] );
		expect( [ ...assigned ] ).toEqual( [
			[ 7, 'a' ],
			[ 8, 'b' ],
			[ 9, 'a' ],
			[ 10, 'b' ],
		] );
	} );
} );

describe( 'the scale scenario', () => {
	it( 'runs each configuration on a stack of its own, the bench stack untouched', () => {
		const dirs = SCALE_CONFIGS.map(
			( config ) => stackEnv( config ).PULSE_STACK_DIR
		);
		expect( new Set( dirs ).size ).toBe( SCALE_CONFIGS.length );
		for ( const dir of dirs ) {
			expect( dir ).toMatch( /\/\.stack-bench-scale-[a-z0-9-]+$/ );
		}
		expect(
			stackEnv( {
				slug: 'pg-3-sites-2',
				title: '',
				db: 'postgres',
				bridges: 3,
				sites: 2,
			} )
		).toMatchObject( {
			PULSE_STACK_DB: 'postgres',
			PULSE_STACK_BRIDGES: '3',
			PULSE_STACK_SITES: '2',
		} );
	} );

	it( 'compares each throughput to the first configuration and says why one was not measured', () => {
		const summary = comparison(
			[
				{ config: { title: 'one' }, throughput: 40 },
				{ config: { title: 'three' }, throughput: 60 },
				{ config: { title: 'stuck' }, throughput: null },
			],
			[
				{
					config: { title: 'refused' },
					reason: 'PostgreSQL refuses it',
				},
			]
		);
		expect(
			summary.figures.map( ( figure ) => [ figure.label, figure.value ] )
		).toEqual( [
			[ 'throughput: one', 40 ],
			[ 'vs one: one', 1 ],
			[ 'throughput: three', 60 ],
			[ 'vs one: three', 1.5 ],
			[ 'throughput: stuck', null ],
			[ 'vs one: stuck', null ],
		] );
		expect( summary.notes ).toEqual( [
			'refused: not measured: PostgreSQL refuses it',
		] );
	} );
} );
