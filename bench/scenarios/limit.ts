/**
 * limit: the machine's own ceiling, measured in the same run as the pipeline. Plain PHP processes
 * (one per core) create users with wp_insert_user and the same meta and tags; no webhook, bridge or
 * CRM in the way. One process alone is measured too, to compare with the reference's 93/s.
 */
import os from 'node:os';
import { stack } from '../../integration/support/stack';
import type { Figure } from '../lib/model';
import { insertUsers, type UserRow } from '../lib/php';
import { syntheticUsers } from '../lib/synthetic-users';
import { REFERENCE } from '../lib/reference';
import { BENCH_TAGS, type Scenario } from '../lib/scenario';

/**
 * Users per second of several processes writing at once: all users over the slowest writer.
 * @param batches
 */
async function usersPerSecond(
	batches: UserRow[][]
): Promise< { perSecond: number; created: number } > {
	const { wpDir } = stack();
	const results = await Promise.all(
		batches.map( ( users ) => insertUsers( wpDir, users, BENCH_TAGS ) )
	);
	const created = results.reduce(
		( sum, result ) => sum + result.created,
		0
	);
	const slowest = Math.max( ...results.map( ( result ) => result.seconds ) );
	return { perSecond: created / slowest, created };
}

export const limit: Scenario = {
	name: 'limit',
	description:
		'users/s of plain PHP (wp_insert_user + meta + tags): one process, then one per core',
	defaults: { size: 2000, latencyMs: 0, concurrency: os.cpus().length },
	quick: { size: 200, latencyMs: 0, concurrency: os.cpus().length },
	async run( { settings } ) {
		const stamp = Date.now().toString( 36 );
		const offset = ( Date.now() % 100_000 ) * 1000;
		const single = await usersPerSecond( [
			syntheticUsers(
				`${ stamp }-single`,
				Math.ceil( settings.size / 2 ),
				offset
			),
		] );
		const perProcess = Math.ceil( settings.size / settings.concurrency );
		const parallel = await usersPerSecond(
			Array.from( { length: settings.concurrency }, ( _, p ) =>
				syntheticUsers(
					`${ stamp }-p${ p }`,
					perProcess,
					offset + settings.size + p * perProcess
				)
			)
		);
		console.log(
			`[bench]   one process ${ single.perSecond.toFixed( 1 ) }/s, ${ settings.concurrency } processes ${ parallel.perSecond.toFixed( 1 ) }/s`
		);
		const figures: Figure[] = [
			{
				label: 'users/s, one PHP process',
				value: single.perSecond,
				unit: '/s',
				reference: REFERENCE.limit.singleProcessPerS,
			},
			{
				label: `users/s, ${ settings.concurrency } PHP processes (machine limit)`,
				value: parallel.perSecond,
				unit: '/s',
			},
			{
				label: 'users created',
				value: single.created + parallel.created,
				unit: '',
			},
		];
		return {
			machineLimit: parallel.perSecond,
			sections: [
				{
					title: 'limit',
					params: {
						users: settings.size,
						processes: settings.concurrency,
					},
					figures,
					targets: [],
					notes: [
						'Writes only: the time WordPress takes to load is not counted (a web request pays it on top).',
						`The reference measured ${ REFERENCE.limit.singleProcessPerS }/s for one process (${ REFERENCE.limit.singleTransactionPerS }/s inside one transaction).`,
					],
				},
			],
		};
	},
};
