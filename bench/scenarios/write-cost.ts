/**
 * write-cost: the database queries of a webhook's answer path (answer-queries.ts), and what the
 * plugin's batched user write (`POST /bridge/users`: UserBatch, Upserter and
 * its locks, lookups and markers) costs per user inside WordPress, against the bare
 * wp_insert_user + meta path that `limit` runs. Each path writes `size` new users (the batch path
 * in batches of the bridge's default size, as the REST route receives them); queries are counted
 * by the `query` filter, CPU is the process's getrusage; WordPress's boot is excluded on both sides
 * (a request pays it once per batch). The paths take turns in four PHP processes (bare, batched,
 * batched, bare), so a shared machine whose speed changes during the scenario weighs on both
 * alike: one process per path, one after the other, measured 1.55× in one full run of 2026-12-03
 * and 0.98× alone on the same machine an hour later.
 */
import { stack } from '../../integration/support/stack';
import { answerPathQueries } from '../lib/answer-queries';
import { atMost, type Figure, type Unit } from '../lib/model';
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
/** The paths' turns (ABBA: a drift in the machine's speed weighs on both alike). */
const ROUND_ORDER: readonly WriteMode[] = [ 'bare', 'batch', 'batch', 'bare' ];

/** One per-user figure of both paths. */
interface PerUser {
	label: string;
	unit: Unit;
	of: ( cost: WriteCost ) => number;
}

/**
 * The most frequent query shapes, as `n × shape` (backticks of the SQL dropped: they would end
 * the Markdown code span).
 * @param shapes Shape and count per unit (user or webhook), most frequent first.
 */
function topShapes( shapes: [ string, number ][] ): string {
	return shapes
		.slice( 0, SHAPES_SHOWN )
		.map(
			( [ shape, n ] ) =>
				`${ n.toFixed( 2 ) } × \`${ shape.replaceAll( '`', '' ) }\``
		)
		.join( ', ' );
}

/** The rounds of one path as one measurement. */
function sumCosts( costs: readonly WriteCost[] ): WriteCost {
	const shapes: Record< string, number > = {};
	for ( const cost of costs ) {
		for ( const [ shape, n ] of Object.entries( cost.shapes ) ) {
			shapes[ shape ] = ( shapes[ shape ] ?? 0 ) + n;
		}
	}
	const total = ( of: ( cost: WriteCost ) => number ) =>
		costs.reduce( ( sum, cost ) => sum + of( cost ), 0 );
	return {
		users: total( ( cost ) => cost.users ),
		queries: total( ( cost ) => cost.queries ),
		cpu_seconds: total( ( cost ) => cost.cpu_seconds ),
		seconds: total( ( cost ) => cost.seconds ),
		shapes: Object.fromEntries(
			Object.entries( shapes ).sort( ( a, b ) => b[ 1 ] - a[ 1 ] )
		),
	};
}

const perUserShapes = ( cost: WriteCost ): [ string, number ][] =>
	Object.entries( cost.shapes ).map( ( [ shape, n ] ) => [
		shape,
		n / cost.users,
	] );

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
		// Each path has half the rounds and writes `size` users over them.
		const perRound = Math.ceil(
			( 2 * settings.size ) / ROUND_ORDER.length
		);
		const rounds: Record< WriteMode, WriteCost[] > = {
			bare: [],
			batch: [],
		};
		// One round at a time: neither path shares the machine with the other.
		for ( const [ round, mode ] of ROUND_ORDER.entries() ) {
			rounds[ mode ].push(
				await measureWriteCost(
					wpDir,
					mode,
					syntheticUsers(
						`${ stamp }-${ round }-${ mode }`,
						perRound,
						offset + round * perRound
					),
					BENCH_TAGS,
					BATCH_SIZE
				)
			);
		}
		const bare = sumCosts( rounds.bare );
		const batch = sumCosts( rounds.batch );
		const measures: PerUser[] = [
			{
				label: 'queries per user',
				unit: '',
				of: ( cost ) => cost.queries / cost.users,
			},
			{
				label: 'PHP CPU per user',
				unit: 'ms',
				of: ( cost ) => ( cost.cpu_seconds * 1000 ) / cost.users,
			},
			{
				label: 'wall time per user',
				unit: 'ms',
				of: ( cost ) => ( cost.seconds * 1000 ) / cost.users,
			},
		];
		const figures: Figure[] = [
			{
				label: 'queries per webhook answer (its own connection)',
				value: answer.queriesPerWebhook,
				unit: '',
			},
			...measures.flatMap( ( measure ) => [
				{
					label: `${ measure.label }, bare`,
					value: measure.of( bare ),
					unit: measure.unit,
				},
				{
					label: `${ measure.label }, batched write`,
					value: measure.of( batch ),
					unit: measure.unit,
				},
				{
					label: `${ measure.label }, batched / bare`,
					value: measure.of( batch ) / measure.of( bare ),
					unit: '×' as const,
				},
			] ),
		];
		return {
			sections: [
				{
					title: 'write-cost',
					params: {
						users: bare.users,
						batch_size: BATCH_SIZE,
						webhooks: answer.webhooks,
					},
					figures,
					// Queries stand for the database's work, CPU for PHP's; wall time is shown only.
					targets: measures
						.slice( 0, 2 )
						.map( ( measure ) =>
							atMost(
								`${ measure.label }, batched / bare`,
								measure.of( batch ) / measure.of( bare ),
								MAX_RATIO,
								'×'
							)
						),
					notes: [
						`Four PHP processes (bench/php/write-cost.php) of ${ perRound } users each, bare, batched, batched, bare, WordPress loaded once in each; the batched path runs UserBatch + Upserter as POST /bridge/users does after its signature check. MariaDB CPU is not in the PHP figure; the query count stands for it.`,
						`Answer path: ${ answer.webhooks } sequential \`add\` webhooks for new contacts with MariaDB's general log on; every query of each connection that read the access key (WordPress's boot included, the nested user write not): ${ topShapes( answer.shapes ) }`,
						`bare queries per user: ${ topShapes( perUserShapes( bare ) ) }`,
						`batch queries per user: ${ topShapes( perUserShapes( batch ) ) }`,
					],
				},
			],
		};
	},
};
