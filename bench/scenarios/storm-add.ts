/**
 * storm-add: `add` for distinct new contacts at a fixed concurrency, once with the CRM answering
 * instantly and once with every CRM call taking `latency` ms (150 by default).
 */
import { newContacts } from '../../integration/support/sandbox';
import { setCrmLatency } from '../lib/crm';
import { atLeast, atMost, type Section, type TargetCheck } from '../lib/model';
import { REFERENCE, TARGETS } from '../lib/reference';
import {
	BENCH_TAGS,
	type Scenario,
	type ScenarioContext,
} from '../lib/scenario';
import { measureStorm, type StormOutcome, type StormPlan } from '../lib/storm';
import { stormFigures, stormNotes } from '../lib/storm-figures';

/**
 * The targets every storm of new contacts shares: all answered, all created, once, fast.
 * @param outcome
 */
export function creationTargets( outcome: StormOutcome ): TargetCheck[] {
	return [
		atMost( 'non-2xx answers', outcome.non2xx, 0, '' ),
		atMost( 'contacts without a user', outcome.users.missing, 0, '' ),
		atMost( 'duplicate users', outcome.users.duplicates, 0, '' ),
	];
}

/**
 * A storm of `add` for `size` new contacts, with the CRM at the given latency.
 * @param context
 * @param latencyMs
 * @param extra
 */
export async function addStorm(
	context: ScenarioContext,
	latencyMs: number,
	extra: Partial< StormPlan > = {}
): Promise< StormOutcome > {
	await setCrmLatency( latencyMs );
	const ids = await newContacts( context.settings.size, [ ...BENCH_TAGS ] );
	try {
		return await measureStorm( {
			action: 'add',
			sequence: ids,
			concurrency: context.settings.concurrency,
			timeLimitMs: context.timeLimitMs,
			drainDeadlineMs: context.drainDeadlineMs,
			expectedTags: BENCH_TAGS,
			isDone: ( users ) =>
				users.length > 0 &&
				BENCH_TAGS.every( ( tag ) =>
					users[ 0 ]?.tagIds.includes( tag )
				),
			checkPasswords: true,
			...extra,
		} );
	} finally {
		await setCrmLatency( 0 );
	}
}

async function instantRun( context: ScenarioContext ): Promise< Section > {
	const outcome = await addStorm( context, 0 );
	const targets = [
		...creationTargets( outcome ),
		atMost( 'answer p99', outcome.latency.p99, TARGETS.stormP99Ms, 'ms' ),
		atLeast(
			`throughput vs ${ TARGETS.instantThroughputFactor }× the reference's ${ REFERENCE.stormInstant.throughput }/s`,
			outcome.throughput,
			TARGETS.instantThroughputFactor * REFERENCE.stormInstant.throughput,
			'/s'
		),
	];
	if ( context.machineLimit !== null ) {
		targets.push(
			atLeast(
				`throughput vs ${ TARGETS.limitShare * 100 }% of the machine limit (${ context.machineLimit.toFixed( 1 ) }/s)`,
				outcome.throughput,
				TARGETS.limitShare * context.machineLimit,
				'/s'
			)
		);
	}
	return {
		title: 'storm-add (CRM instant)',
		params: {
			webhooks: context.settings.size,
			concurrency: context.settings.concurrency,
			crm_latency_ms: 0,
		},
		figures: [
			...stormFigures( outcome, REFERENCE.stormInstant ),
			...( context.machineLimit === null
				? []
				: [
						{
							label: 'throughput / machine limit',
							value:
								outcome.throughput === null
									? null
									: outcome.throughput / context.machineLimit,
							unit: '×' as const,
						},
					] ),
		],
		targets,
		notes: stormNotes( outcome ),
	};
}

async function slowCrmRun( context: ScenarioContext ): Promise< Section > {
	const latencyMs = context.settings.latencyMs;
	const outcome = await addStorm( context, latencyMs );
	return {
		title: `storm-add (CRM ${ latencyMs } ms)`,
		params: {
			webhooks: context.settings.size,
			concurrency: context.settings.concurrency,
			crm_latency_ms: latencyMs,
		},
		figures: stormFigures( outcome, {
			throughput: REFERENCE.storm150.throughput,
			p50Ms: REFERENCE.storm150.p50Ms,
			p99Ms: REFERENCE.storm150.p99Ms,
		} ),
		targets: [
			...creationTargets( outcome ),
			atMost(
				'answer p99',
				outcome.latency.p99,
				TARGETS.stormP99Ms,
				'ms'
			),
			atLeast(
				`throughput vs ${ TARGETS.slowThroughputFactor }× the reference's ${ REFERENCE.storm150.throughput }/s`,
				outcome.throughput,
				TARGETS.slowThroughputFactor * REFERENCE.storm150.throughput,
				'/s'
			),
		],
		notes: [
			...stormNotes( outcome ),
			...( latencyMs === 150
				? []
				: [
						`The reference figures are for a 150 ms CRM; this run used ${ latencyMs } ms.`,
					] ),
		],
	};
}

export const stormAdd: Scenario = {
	name: 'storm-add',
	description:
		'`add` for distinct new contacts at concurrency 32, CRM instant and CRM at `latency` ms',
	defaults: { size: 2000, latencyMs: 150, concurrency: 32 },
	quick: { size: 100, latencyMs: 150, concurrency: 8 },
	async run( context ) {
		return {
			sections: [
				await instantRun( context ),
				await slowCrmRun( context ),
			],
		};
	},
};
