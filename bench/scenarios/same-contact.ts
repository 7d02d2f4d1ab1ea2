/**
 * same-contact: `size` simultaneous `add` for one new contact, repeated over several trials with
 * a slow CRM (300 ms a call by default), which widens any race between workers. Each trial must
 * end with exactly one user.
 */
import { newContacts } from '../../integration/support/sandbox';
import { usersForContact } from '../../integration/support/stack';
import { sendWebhook } from '../../integration/support/webhook';
import { apiCallsSince, crmCounters, setCrmLatency } from '../lib/crm';
import { waitUntilProcessed } from '../lib/drain';
import { answerMix, runLoad, type Shot } from '../lib/load';
import { atLeast, atMost } from '../lib/model';
import { REFERENCE } from '../lib/reference';
import { BENCH_TAGS, type Scenario } from '../lib/scenario';
import { summarize } from '../lib/stats';
import { countsNote } from '../lib/storm-figures';

const TRIALS = 30;
const QUICK_TRIALS = 3;

interface Trial {
	users: number;
	shots: Shot< number >[];
	processedMs: number | null;
	/** CRM API calls the trial caused (sandbox counters), counted once the bridge's queue is empty. */
	crmCalls: number;
}

const is2xx = ( shot: Shot< number > ) =>
	shot.status !== null && shot.status >= 200 && shot.status < 300;

async function trial(
	simultaneous: number,
	timeLimitMs: number,
	drainDeadlineMs: number
): Promise< Trial > {
	const [ id ] = ( await newContacts( 1, [ ...BENCH_TAGS ] ) ) as [ number ];
	const before = await crmCounters();
	const load = await runLoad( {
		items: Array.from( { length: simultaneous }, () => id ),
		concurrency: simultaneous,
		timeLimitMs,
		send: async ( contactId ) =>
			( await sendWebhook( 'add', contactId, 'form' ) ).status,
	} );
	const drain = await waitUntilProcessed( {
		deadlineMs: drainDeadlineMs,
		complete: () => usersForContact( id ).length > 0,
	} );
	return {
		users: usersForContact( id ).length,
		shots: load.shots,
		processedMs: drain.ms === null ? null : load.durationMs + drain.ms,
		crmCalls: apiCallsSince( before, await crmCounters() ).total,
	};
}

export const sameContact: Scenario = {
	name: 'same-contact',
	description: `\`size\` simultaneous \`add\` for one contact, ${ TRIALS } trials, CRM at \`latency\` ms`,
	defaults: { size: 200, latencyMs: 300, concurrency: 200 },
	quick: { size: 20, latencyMs: 300, concurrency: 20 },
	async run( { settings, quick, timeLimitMs, drainDeadlineMs } ) {
		const trials = quick ? QUICK_TRIALS : TRIALS;
		await setCrmLatency( settings.latencyMs );
		const results: Trial[] = [];
		try {
			for ( let n = 0; n < trials; n++ ) {
				results.push(
					await trial( settings.size, timeLimitMs, drainDeadlineMs )
				);
			}
		} finally {
			await setCrmLatency( 0 );
		}
		const exactlyOne = results.filter(
			( result ) => result.users === 1
		).length;
		const shots = results.flatMap( ( result ) => result.shots );
		const latency = summarize(
			shots
				.filter( ( shot ) => shot.status !== null )
				.map( ( shot ) => shot.ms )
		);
		const crmCalls = summarize(
			results.map( ( result ) => result.crmCalls )
		);
		const processed = summarize(
			results.flatMap( ( result ) =>
				result.processedMs === null ? [] : [ result.processedMs ]
			)
		);
		return {
			sections: [
				{
					title: 'same-contact',
					params: {
						simultaneous_adds: settings.size,
						trials,
						crm_latency_ms: settings.latencyMs,
					},
					figures: [
						{ label: 'trials', value: trials, unit: '' },
						{
							label: 'trials with exactly one user',
							value: exactlyOne,
							unit: '',
						},
						{
							label: 'trials with a duplicate user',
							value: results.filter(
								( result ) => result.users > 1
							).length,
							unit: '',
							reference: REFERENCE.sameContact.duplicateTrials,
						},
						{
							label: 'trials with no user',
							value: results.filter(
								( result ) => result.users === 0
							).length,
							unit: '',
						},
						{
							label: 'non-2xx answers (all trials)',
							value: shots.filter( ( shot ) => ! is2xx( shot ) )
								.length,
							unit: '',
						},
						{ label: 'answer p50', value: latency.p50, unit: 'ms' },
						{ label: 'answer p99', value: latency.p99, unit: 'ms' },
						{
							label: 'CRM API calls per trial, p50',
							value: crmCalls.p50,
							unit: '',
							reference: REFERENCE.sameContact.crmCalls,
						},
						{
							label: 'CRM API calls per trial, max',
							value: crmCalls.max,
							unit: '',
						},
						{
							label: 'trial processed p50',
							value: processed.p50,
							unit: 'ms',
						},
					],
					targets: [
						atLeast(
							'trials with exactly one user',
							exactlyOne,
							trials,
							''
						),
						// Issue 12: deliveries that arrive while a job runs fold into one follow-up,
						// so the CRM calls stay within the reference's 3–9.
						atMost(
							'CRM API calls per trial (most of any trial)',
							crmCalls.max,
							REFERENCE.sameContact.crmCalls,
							''
						),
					],
					notes: [
						`answers: ${ countsNote( answerMix( shots ) ) }`,
						`The reference sent 20 simultaneous adds with a 150–300 ms CRM and got a duplicate in ${ REFERENCE.sameContact.duplicateTrials } of ${ REFERENCE.sameContact.trials } trials.`,
					],
				},
			],
		};
	},
};
