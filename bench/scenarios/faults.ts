/**
 * faults: storm-add while something breaks. Three runs: the CRM failing a share of its calls
 * (503); the bridge SIGKILLed at 30% of the storm and restarted; and
 * WordPress stopped for a while in the middle. Every webhook answered 2xx must end processed:
 * none lost, none duplicated, every user with its tags and its password returned to the CRM.
 */
import { clearFaults } from '../../integration/support/sandbox';
import { killBridge, startStackBridge } from '../../integration/support/bridge';
import { injectCrmErrors } from '../lib/crm';
import { atMost, type Section } from '../lib/model';
import { REFERENCE } from '../lib/reference';
import type { Scenario, ScenarioContext } from '../lib/scenario';
import type { StormOutcome, StormPlan } from '../lib/storm';
import { stormFigures, stormNotes } from '../lib/storm-figures';
import { stopWordPressFor } from '../lib/wordpress-process';
import { addStorm } from './storm-add';

const CRM_ERROR_RATE = 0.2;
const KILL_AT = 0.3;
const NUDGE_EVERY_MS = 3000;

function faultTargets( outcome: StormOutcome ) {
	return [
		atMost( 'answered 2xx and lost', outcome.lost, 0, '' ),
		atMost( 'duplicate users', outcome.users.duplicates, 0, '' ),
		atMost( 'users missing a tag', outcome.users.withoutTags, 0, '' ),
		atMost(
			'created users whose password did not reach the CRM',
			outcome.withoutPassword,
			0,
			''
		),
	];
}

async function faultRun(
	context: ScenarioContext,
	title: string,
	faultNote: string,
	plan: Partial< StormPlan >
): Promise< Section > {
	const outcome = await addStorm( context, context.settings.latencyMs, plan );
	return {
		title,
		params: {
			webhooks: context.settings.size,
			concurrency: context.settings.concurrency,
			crm_latency_ms: context.settings.latencyMs,
			...( plan.ratePerSecond
				? { paced_per_s: Math.round( plan.ratePerSecond ) }
				: {} ),
		},
		figures: stormFigures( outcome ),
		targets: faultTargets( outcome ),
		notes: [ faultNote, ...stormNotes( outcome ) ],
	};
}

async function crmErrors( context: ScenarioContext ): Promise< Section > {
	await injectCrmErrors( CRM_ERROR_RATE );
	try {
		return await faultRun(
			context,
			`faults: CRM failing ${ CRM_ERROR_RATE * 100 }% of calls`,
			`503 on every /api/v1 call at random, for the whole run (429 is the crm-limit scenario's). The reference, at 10% errors, never created ${ REFERENCE.crmErrors.neverCreatedPct }% of users and left a further ${ REFERENCE.crmErrors.incompletePct }% without tags or password.`,
			{}
		);
	} finally {
		await clearFaults();
	}
}

async function bridgeKilled( context: ScenarioContext ): Promise< Section > {
	return faultRun(
		context,
		`faults: bridge SIGKILLed at ${ KILL_AT * 100 }%`,
		`The bridge's process group got SIGKILL once ${ KILL_AT * 100 }% of the webhooks were started and was started again at once; meanwhile the plugin spools. After the storm a \`test\` webhook every ${ NUDGE_EVERY_MS / 1000 } s stands in for the CRM's continuing traffic, which hands the spool over.`,
		{
			milestones: [
				{
					atFraction: KILL_AT,
					label: 'SIGKILL to the bridge, then restart',
					run: async () => {
						await killBridge( 'SIGKILL' );
						await startStackBridge();
					},
				},
			],
			nudgeEveryMs: NUDGE_EVERY_MS,
		}
	);
}

async function wordpressStopped(
	context: ScenarioContext
): Promise< Section > {
	const downMs = context.quick ? 5000 : 20000;
	// Paced so that the outage falls in the middle of the storm instead of after it: without a
	// pace, the requests refused while WordPress is down would use up the rest of the storm.
	const stormMs = downMs * 3;
	return faultRun(
		context,
		`faults: WordPress stopped for ${ downMs / 1000 } s`,
		`Sent at a steady pace over about ${ stormMs / 1000 } s; at ${ KILL_AT * 100 }% the web server (nginx and PHP-FPM, or php -S) was stopped for ${ downMs / 1000 } s and started again. Webhooks sent meanwhile are refused (the CRM's report shows them failed); only the 2xx ones must be processed.`,
		{
			ratePerSecond: context.settings.size / ( stormMs / 1000 ),
			milestones: [
				{
					atFraction: KILL_AT,
					label: `WordPress stopped for ${ downMs / 1000 } s`,
					run: () => stopWordPressFor( downMs ),
				},
			],
			nudgeEveryMs: NUDGE_EVERY_MS,
		}
	);
}

export const faults: Scenario = {
	name: 'faults',
	description:
		'storm-add with 20% CRM errors; with the bridge SIGKILLed at 30%; with WordPress stopped mid-run',
	defaults: { size: 2000, latencyMs: 0, concurrency: 32 },
	quick: { size: 100, latencyMs: 0, concurrency: 8 },
	async run( context ) {
		return {
			sections: [
				await crmErrors( context ),
				await bridgeKilled( context ),
				await wordpressStopped( context ),
			],
		};
	},
};
