/**
 * write-cost: the database queries of a webhook's answer path (answer-queries.ts), and what the
 * plugin's batched user write (`POST /bridge/users`: UserBatch, Upserter and
 * its locks, lookups and markers) costs per user inside WordPress, against the bare
 * wp_insert_user + meta path that `limit` runs. One PHP process per path writes `size` new users
 * (the batch path in batches of the bridge's default size, as the REST route receives them);
 * queries are counted by the `query` filter, CPU is the process's getrusage; WordPress's boot is
 * excluded on both sides (a request pays it once per batch).
 */
import { stack } from '../../integration/support/stack';
import { answerPathQueries } from '../lib/answer-queries';
import { atMost, type Figure } from '../lib/model';
import { measureWriteCost, type WriteCost, type WriteMode } from '../lib/php';
import { BENCH_TAGS, type Scenario } from '../lib/scenario';
import { syntheticUsers } from '../lib/synthetic-users';

/** The bridge's default PULSE_SYNC_WP_BATCH_SIZE. */
const BATCH_SIZE = 50;
/** Issue 12: the batched write costs at most 1.3× the bare path per user. */
const MAX_RATIO = 1.3;
/** The query shapes listed in the notes, per path. */
const SHAPES_SHOWN = 8;
/** Webhooks whose answer path is counted (sequential `add`s for new contacts). */
const ANSWER_WEBHOOKS = 50;

const perUser = ( cost: WriteCost, total: number ) => total / cost.users;

function shapesNote( mode: WriteMode, cost: WriteCost ): string {
	const top = Object.entries( cost.shapes )
		.slice( 0, SHAPES_SHOWN )
		.map(
			( [ shape, n ] ) =>
				`${ ( n / cost.users ).toFixed( 2 ) } × \`${ shape }\``
		);
	return `${ mode } queries per user: ${ top.join( ', ' ) }`;
}

export const writeCost: Scenario = {
	name: 'write-cost',
	description:
		'queries and CPU per user of the batched user write against bare wp_insert_user + meta',
	defaults: { size: 1000, latencyMs: 0, concurrency: 1 },
	quick: { size: 100, latencyMs: 0, concurrency: 1 },
	async run( { settings, quick } ) {
		const { wpDir } = stack();
		const answer = await answerPathQueries(
			quick ? ANSWER_WEBHOOKS / 10 : ANSWER_WEBHOOKS
		);
		const stamp = Date.now().toString( 36 );
		const offset = ( Date.now() % 100_000 ) * 1000;
		// One after the other: neither path shares the machine with the other.
		const bare = await measureWriteCost(
			wpDir,
			'bare',
			syntheticUsers( `${ stamp }-bare`, settings.size, offset ),
			BENCH_TAGS,
			BATCH_SIZE
		);
		const batch = await measureWriteCost(
			wpDir,
			'batch',
			syntheticUsers(
				`${ stamp }-batch`,
				settings.size,
				offset + settings.size
			),
			BENCH_TAGS,
			BATCH_SIZE
		);
		const queries = {
			bare: perUser( bare, bare.queries ),
			batch: perUser( batch, batch.queries ),
		};
		const cpuMs = {
			bare: perUser( bare, bare.cpu_seconds * 1000 ),
			batch: perUser( batch, batch.cpu_seconds * 1000 ),
		};
		const figures: Figure[] = [
			{
				label: 'queries per webhook answer (its own connection)',
				value: answer.queriesPerWebhook,
				unit: '',
			},
			{ label: 'queries per user, bare', value: queries.bare, unit: '' },
			{
				label: 'queries per user, batched write',
				value: queries.batch,
				unit: '',
			},
			{
				label: 'queries per user, batched / bare',
				value: queries.batch / queries.bare,
				unit: '×',
			},
			{ label: 'PHP CPU per user, bare', value: cpuMs.bare, unit: 'ms' },
			{
				label: 'PHP CPU per user, batched write',
				value: cpuMs.batch,
				unit: 'ms',
			},
			{
				label: 'PHP CPU per user, batched / bare',
				value: cpuMs.batch / cpuMs.bare,
				unit: '×',
			},
			{
				label: 'wall time per user, batched / bare',
				value:
					batch.seconds / batch.users / ( bare.seconds / bare.users ),
				unit: '×',
			},
		];
		return {
			sections: [
				{
					title: 'write-cost',
					params: {
						users: settings.size,
						batch_size: BATCH_SIZE,
						webhooks: answer.webhooks,
					},
					figures,
					targets: [
						atMost(
							'queries per user, batched / bare',
							queries.batch / queries.bare,
							MAX_RATIO,
							'×'
						),
						atMost(
							'PHP CPU per user, batched / bare',
							cpuMs.batch / cpuMs.bare,
							MAX_RATIO,
							'×'
						),
					],
					notes: [
						'One PHP process per path (bench/php/write-cost.php), WordPress loaded once; the batched path runs UserBatch + Upserter as POST /bridge/users does after its signature check. MariaDB CPU is not in the PHP figure; the query count stands for it.',
						`Answer path: ${ answer.webhooks } sequential \`add\` webhooks for new contacts with MariaDB's general log on; every query of each connection that read the access key (WordPress's boot included, the nested user write not): ${ answer.shapes
							.slice( 0, SHAPES_SHOWN )
							.map(
								( [ shape, n ] ) =>
									`${ n.toFixed( 2 ) } × \`${ shape }\``
							)
							.join( ', ' ) }`,
						shapesNote( 'bare', bare ),
						shapesNote( 'batch', batch ),
					],
				},
			],
		};
	},
};
