/**
 * One storm, measured the same way in every scenario that sends many webhooks: answers (latency,
 * statuses), time until everything is processed, what the site stored, CRM calls, the bridge's
 * memory and queue, and optionally the front page as a visitor sees it during the storm.
 */
import type { StackSite } from '../../dev/src/stack-file';
import { sendWebhook } from '../../integration/support/webhook';
import { stack } from '../../integration/support/stack';
import { bridgeLogMark, bridgeTimeSince, type BridgeTime } from './bridge-log';
import { cpuBetween, cpuSnapshot, machineBusySeconds } from './cpu';
import { BridgeWatch, mergedDeliveries } from './bridge-probe';
import {
	apiCallsSince,
	contactsWithoutPassword,
	crmCounters,
	type CrmCalls,
} from './crm';
import { waitUntilProcessed, type DrainResult } from './drain';
import { sampleFrontPage, type FrontPageSample } from './front-page';
import {
	answerMix,
	runLoad,
	type LoadResult,
	type Milestone,
	type Shot,
} from './load';
import {
	census,
	countCensus,
	type Census,
	type CensusCounts,
	type StoredUser,
} from './site-census';
import { summarize, type LatencySummary } from './stats';

export type StormAction = 'add' | 'update';

export interface StormPlan {
	action: StormAction;
	/** One entry per webhook: the contact it is for (a contact may appear several times). */
	sequence: readonly number[];
	concurrency: number;
	timeLimitMs: number;
	drainDeadlineMs: number;
	/** Tags every contact carries in the CRM, so every user must end with them. */
	expectedTags: readonly number[];
	/** Whether the contact is processed, given the users the site holds for it. */
	isDone: ( users: readonly StoredUser[] ) => boolean;
	/** Return Password is on: every created user's password must be back in the CRM. */
	checkPasswords: boolean;
	ratePerSecond?: number;
	milestones?: Milestone[];
	nudgeEveryMs?: number;
	sampleFrontPage?: boolean;
	/**
	 * The sites the storm is split over, each contact sent to one of them in turn (`siteOfContact`);
	 * the stack's first site unless told (PULSE_STACK_SITES).
	 */
	sites?: readonly StackSite[];
}

export interface StormOutcome {
	sent: number;
	/** The distinct contacts webhooks were sent for. */
	contacts: number[];
	unsent: number;
	answered2xx: number;
	non2xx: number;
	/** HTTP status (or failure kind) → count. */
	answers: Record< string, number >;
	latency: LatencySummary;
	loadS: number;
	/** From the first webhook until nothing was left to process; null if the deadline passed. */
	processedS: number | null;
	complete: boolean;
	/** 2xx-answered webhooks per second, end to end. */
	throughput: number | null;
	users: CensusCounts;
	/** Contacts answered 2xx but not processed when the wait for processing ended. */
	unprocessed: number;
	/**
	 * The unprocessed ones once nothing was left queued or spooled: truly lost. Null when the time
	 * limit ended the wait first (they may still be on their way: see `left`).
	 */
	lost: number | null;
	/** Deliveries still in the bridge's queue / the plugin's spool when the wait ended. */
	left: DrainResult[ 'left' ];
	withoutPassword: number | null;
	crm: CrmCalls;
	/** Per distinct contact answered 2xx: the refused ones cost the pipeline nothing. */
	crmCallsPerContact: number | null;
	bridgePeakRssMb: number | null;
	peakQueued: number;
	merged: number | null;
	bridgeTime: BridgeTime;
	frontPage: FrontPageSample | null;
	/** performance.now() when the first webhook was sent and when the last was answered. */
	sending: { from: number; to: number };
	/** CPU seconds per process label from the first webhook until all were processed, largest first. */
	cpu: [ string, number ][];
	/** Cores the whole machine kept busy meanwhile, every process (also other users'); null if not processed. */
	machineBusyCores: number | null;
}

/**
 * Which site each contact's webhooks go to: the sites in turn, by the contact's first place in
 * the sequence, so a contact's webhooks all reach one site and the sites get even shares.
 * @param sequence The storm's contacts, one entry per webhook.
 * @param sites    The sites, at least one.
 */
export function siteOfContact< Site >(
	sequence: readonly number[],
	sites: readonly Site[]
): Map< number, Site > {
	const assigned = new Map< number, Site >();
	for ( const contactId of sequence ) {
		if ( ! assigned.has( contactId ) ) {
			assigned.set(
				contactId,
				sites[ assigned.size % sites.length ] as Site
			);
		}
	}
	return assigned;
}

/**
 * What the sites stored for the contacts, each contact read from its own site's database.
 * @param contactIds The contacts.
 * @param siteOf     Each contact's site.
 */
function censusOver(
	contactIds: readonly number[],
	siteOf: ReadonlyMap< number, StackSite >
): Census {
	const byContact = new Map< number, StoredUser[] >();
	for ( const site of new Set( siteOf.values() ) ) {
		const own = contactIds.filter( ( id ) => siteOf.get( id ) === site );
		for ( const [ id, users ] of census( own, site.dbName ).byContact ) {
			byContact.set( id, users );
		}
	}
	return { byContact };
}

const is2xx = ( shot: Shot< number > ) =>
	shot.status !== null && shot.status >= 200 && shot.status < 300;

async function sendAndProcess(
	plan: StormPlan,
	siteOf: ReadonlyMap< number, StackSite >
): Promise< {
	load: LoadResult< number >;
	drain: DrainResult;
	/** Distinct contacts with at least one webhook answered 2xx. */
	acknowledged: number[];
} > {
	const load = await runLoad( {
		items: plan.sequence,
		concurrency: plan.concurrency,
		timeLimitMs: plan.timeLimitMs,
		ratePerSecond: plan.ratePerSecond,
		milestones: plan.milestones,
		send: async ( contactId ) =>
			(
				await sendWebhook(
					plan.action,
					contactId,
					'form',
					{},
					'/',
					siteOf.get( contactId )
				)
			).status,
	} );
	console.log(
		`[bench]   ${ load.shots.length } webhooks sent in ${ ( load.durationMs / 1000 ).toFixed( 1 ) } s; waiting for processing`
	);
	const acknowledged = [
		...new Set( load.shots.filter( is2xx ).map( ( shot ) => shot.item ) ),
	];
	const drain = await waitUntilProcessed( {
		deadlineMs: plan.drainDeadlineMs,
		nudgeEveryMs: plan.nudgeEveryMs,
		sites: plan.sites,
		complete: () => {
			const stored = censusOver( acknowledged, siteOf );
			return acknowledged.every( ( id ) =>
				plan.isDone( stored.byContact.get( id ) ?? [] )
			);
		},
	} );
	return { load, drain, acknowledged };
}

export async function measureStorm( plan: StormPlan ): Promise< StormOutcome > {
	const siteOf = siteOfContact( plan.sequence, plan.sites ?? [ stack() ] );
	const countersBefore = await crmCounters();
	const mergedBefore = mergedDeliveries();
	const logMark = bridgeLogMark();
	const watch = new BridgeWatch( plan.sites ).start();
	const cpuBefore = cpuSnapshot();
	const machineBefore = machineBusySeconds();
	const stopFrontPage = new AbortController();
	const frontPage = plan.sampleFrontPage
		? sampleFrontPage( stack().siteUrl, stopFrontPage.signal )
		: null;
	const sendingFrom = performance.now();
	// The storm lasts until its webhooks are processed, so the front page is sampled until then.
	const { load, drain, acknowledged } = await sendAndProcess(
		plan,
		siteOf
	).finally( () => {
		stopFrontPage.abort();
		watch.stop();
	} );
	const cpu = cpuBetween( cpuBefore, cpuSnapshot() );
	const machineBusy = machineBusySeconds() - machineBefore;
	const frontPageSample = frontPage ? await frontPage : null;
	const totalMs = drain.ms === null ? null : load.durationMs + drain.ms;

	const sentContacts = [
		...new Set( load.shots.map( ( shot ) => shot.item ) ),
	];
	const stored = censusOver( sentContacts, siteOf );
	const users = countCensus( sentContacts, plan.expectedTags, stored );
	const unprocessed = acknowledged.filter(
		( id ) => ! plan.isDone( stored.byContact.get( id ) ?? [] )
	).length;
	const withPipelineUser = acknowledged.filter(
		( id ) => ( stored.byContact.get( id ) ?? [] ).length > 0
	);
	const crm = apiCallsSince( countersBefore, await crmCounters() );
	const mergedAfter = mergedDeliveries();
	const answered2xx = load.shots.filter( is2xx ).length;
	return {
		sent: load.shots.length,
		contacts: sentContacts,
		unsent: load.unsent,
		answered2xx,
		non2xx: load.shots.length - answered2xx,
		answers: answerMix( load.shots ),
		latency: summarize(
			load.shots
				.filter( ( shot ) => shot.status !== null )
				.map( ( shot ) => shot.ms )
		),
		loadS: load.durationMs / 1000,
		processedS: totalMs === null ? null : totalMs / 1000,
		complete: drain.complete,
		throughput: totalMs === null ? null : answered2xx / ( totalMs / 1000 ),
		users,
		unprocessed,
		lost: drain.ms === null ? null : unprocessed,
		left: drain.left,
		withoutPassword: plan.checkPasswords
			? await contactsWithoutPassword( withPipelineUser )
			: null,
		crm,
		crmCallsPerContact:
			acknowledged.length === 0 ? null : crm.total / acknowledged.length,
		bridgePeakRssMb: watch.peakRssMb,
		peakQueued: watch.peakQueued,
		merged:
			mergedBefore === null || mergedAfter === null
				? null
				: mergedAfter - mergedBefore,
		bridgeTime: bridgeTimeSince( logMark ),
		frontPage: frontPageSample,
		sending: { from: sendingFrom, to: sendingFrom + load.durationMs },
		cpu,
		machineBusyCores:
			totalMs === null ? null : machineBusy / ( totalMs / 1000 ),
	};
}
