/**
 * crm-limit: storm-add against a CRM that enforces a rate limit of 50 API calls a second per
 * token (the sandbox's throttle: 429 + Retry-After past it). The bridge runs its shipped defaults,
 * so its adaptive pacing must find the limit itself: no delivery may fail for 429, and the CRM
 * calls must run close to the limit while work is queued.
 */
import { crmThrottle, setCrmRateLimit } from '../lib/crm';
import { rateLimitedDeliveries } from '../lib/bridge-probe';
import { atLeast, atMost, type Section } from '../lib/model';
import type { Scenario, ScenarioContext } from '../lib/scenario';
import { stormFigures, stormNotes } from '../lib/storm-figures';
import { addStorm, creationTargets } from './storm-add';

/** The limit of issue 12's target, and the share of it the pace must reach. */
export const CRM_LIMIT_PER_SECOND = 50;
const LIMIT_SHARE = 0.9;

async function limitedRun( context: ScenarioContext ): Promise< Section > {
	await setCrmRateLimit( {
		requests: CRM_LIMIT_PER_SECOND,
		windowMs: 1000,
	} );
	let throttle;
	let outcome;
	try {
		outcome = await addStorm( context, 0 );
		throttle = await crmThrottle();
	} finally {
		await setCrmRateLimit( null );
	}
	// Accepted calls over the sandbox time from the first limited call to the last: the bridge
	// makes CRM calls only while it has work queued, so this is the pace while work is queued.
	const perSecond =
		throttle.busy_ms > 0
			? throttle.accepted / ( throttle.busy_ms / 1000 )
			: null;
	const limited = rateLimitedDeliveries();
	return {
		title: `crm-limit (CRM limited to ${ CRM_LIMIT_PER_SECOND } requests/s)`,
		params: {
			webhooks: context.settings.size,
			concurrency: context.settings.concurrency,
			crm_limit_per_s: CRM_LIMIT_PER_SECOND,
		},
		figures: [
			...stormFigures( outcome ),
			{ label: 'CRM calls accepted', value: throttle.accepted, unit: '' },
			{
				label: 'CRM calls refused with 429',
				value: throttle.refused,
				unit: '',
			},
			{
				label: 'CRM requests/s while work is queued',
				value: perSecond,
				unit: '/s',
			},
			{
				label: 'share of the CRM limit used',
				value:
					perSecond === null
						? null
						: ( perSecond / CRM_LIMIT_PER_SECOND ) * 100,
				unit: '%',
			},
			{
				label: 'deliveries with an attempt failed for 429',
				value: limited.attempts,
				unit: '',
			},
			{
				label: 'deliveries failed for 429',
				value: limited.failed,
				unit: '',
			},
		],
		targets: [
			...creationTargets( outcome ),
			atMost(
				'deliveries with an attempt failed for 429',
				limited.attempts,
				0,
				''
			),
			atLeast(
				`CRM requests/s vs ${ LIMIT_SHARE * 100 }% of the limit`,
				perSecond,
				LIMIT_SHARE * CRM_LIMIT_PER_SECOND,
				'/s'
			),
		],
		notes: [
			"The bridge paces itself (no PULSE_SYNC_CRM_REQUESTS_PER_SECOND unless the caller set one); the counters are the sandbox's, over the sandbox time from the first to the last limited call.",
			...stormNotes( outcome ),
		],
	};
}

export const crmLimit: Scenario = {
	name: 'crm-limit',
	description: `storm-add with the CRM sandbox limited to ${ CRM_LIMIT_PER_SECOND } requests/s per token`,
	// About three CRM calls per new user: 1,000 users are a minute of work at the limit.
	defaults: { size: 1000, latencyMs: 0, concurrency: 32 },
	quick: { size: 100, latencyMs: 0, concurrency: 8 },
	async run( context ) {
		return { sections: [ await limitedRun( context ) ] };
	},
};
