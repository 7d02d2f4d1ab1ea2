/**
 * bulk-edit: a bulk edit in the CRM fires a global `update` webhook for every edited contact, and
 * in practice several per contact. `size` updates go to `size / 5` existing users (5 each,
 * interleaved). Also measured: deliveries merged, CRM calls per contact, the bridge's memory with
 * the queue full, and the front page's p95 during the storm against its p95 just before.
 */
import {
	contact,
	control,
	newContacts,
} from '../../integration/support/sandbox';
import { stack } from '../../integration/support/stack';
import { setCrmLatency } from '../lib/crm';
import { latencyWithin, sampleFrontPageFor } from '../lib/front-page';
import { mapLimit } from '../lib/map-limit';
import { atMost } from '../lib/model';
import { insertUsers, type UserRow } from '../lib/php';
import { REFERENCE, TARGETS } from '../lib/reference';
import { BENCH_TAGS, type Scenario } from '../lib/scenario';
import { measureStorm } from '../lib/storm';
import { stormFigures, stormNotes } from '../lib/storm-figures';

const UPDATES_PER_CONTACT = 5;

/**
 * Users that exist before the storm, linked to their contacts as the plugin links them.
 * @param ids
 */
async function existingUsers( ids: readonly number[] ): Promise< void > {
	const rows = await mapLimit( ids, 16, async ( id ): Promise< UserRow > => {
		const entity = await contact( id );
		return {
			contact_id: id,
			email: String( entity.email ),
			first_name: String( entity.first_name ),
			last_name: String( entity.last_name ),
		};
	} );
	// Without tags: the storm's updates must bring them.
	await insertUsers( stack().wpDir, rows, [] );
}

export const bulkEdit: Scenario = {
	name: 'bulk-edit',
	description: `\`update\` storm: \`size\` webhooks over size/${ UPDATES_PER_CONTACT } existing users, interleaved`,
	defaults: { size: 10000, latencyMs: 0, concurrency: 32 },
	quick: { size: 250, latencyMs: 0, concurrency: 8 },
	async run( { settings, quick, timeLimitMs, drainDeadlineMs } ) {
		const contactCount = Math.max(
			1,
			Math.floor( settings.size / UPDATES_PER_CONTACT )
		);
		const ids = await newContacts( contactCount, [ ...BENCH_TAGS ] );
		console.log( `[bench]   creating ${ contactCount } existing users` );
		await existingUsers( ids );
		// The bulk edit itself; the sandbox's webhook rules were removed, so it fires nothing.
		const editedName = `Edited${ Date.now().toString( 36 ) }`;
		await control( 'POST', 'bulk-edit', {
			contact_ids: ids,
			fields: { first_name: editedName },
		} );
		await setCrmLatency( settings.latencyMs );
		const idle = await sampleFrontPageFor(
			stack().siteUrl,
			quick ? 3000 : 10000
		);
		const sequence = Array.from(
			{ length: contactCount * UPDATES_PER_CONTACT },
			( _, n ) => ids[ n % contactCount ] as number
		);
		const outcome = await measureStorm( {
			action: 'update',
			sequence,
			concurrency: settings.concurrency,
			timeLimitMs,
			drainDeadlineMs,
			expectedTags: BENCH_TAGS,
			isDone: ( users ) =>
				users[ 0 ]?.firstName === editedName &&
				BENCH_TAGS.every( ( tag ) =>
					users[ 0 ]?.tagIds.includes( tag )
				),
			checkPasswords: false,
			sampleFrontPage: true,
		} ).finally( () => setCrmLatency( 0 ) );

		const idleP95 = idle.latency.p95;
		const slowdownOf = ( p95: number | null ) =>
			idleP95 === null || p95 === null ? null : p95 / idleP95;
		const duringP95 = outcome.frontPage?.latency.p95 ?? null;
		// Issue 12 asks for both phases: while the webhooks arrive, and while the queue is worked off.
		const phases = outcome.frontPage
			? {
					arriving: latencyWithin(
						outcome.frontPage,
						outcome.sending.from,
						outcome.sending.to
					),
					processing: latencyWithin(
						outcome.frontPage,
						outcome.sending.to,
						Infinity
					),
				}
			: null;
		const phaseFigures = [
			[ 'while the webhooks arrive', phases?.arriving ],
			[ 'while they are processed', phases?.processing ],
		] as const;
		return {
			sections: [
				{
					title: 'bulk-edit',
					params: {
						webhooks: sequence.length,
						contacts: contactCount,
						concurrency: settings.concurrency,
						crm_latency_ms: settings.latencyMs,
					},
					figures: [
						...stormFigures( outcome ).filter(
							( figure ) =>
								figure.label !== 'contacts with a user'
						),
						{
							label: 'front page p95 idle (just before)',
							value: idleP95,
							unit: 'ms',
						},
						{
							label: 'front page p95 during the storm',
							value: duringP95,
							unit: 'ms',
						},
						...phaseFigures.map( ( [ phase, latency ] ) => ( {
							label: `front page p95 ${ phase } (${ latency?.count ?? 0 } requests)`,
							value: latency?.p95 ?? null,
							unit: 'ms' as const,
						} ) ),
						{
							label: 'front page slowdown (p95 during / idle)',
							value: slowdownOf( duringP95 ),
							unit: '×',
							reference:
								REFERENCE.storm150.frontPageP95Ms /
								REFERENCE.storm150.frontPageIdleP95Ms,
						},
						{
							label: 'front page requests that failed during the storm',
							value: outcome.frontPage?.failed ?? null,
							unit: '',
						},
					],
					targets: [
						atMost( 'non-2xx answers', outcome.non2xx, 0, '' ),
						atMost(
							'users not updated (lost)',
							outcome.lost,
							0,
							''
						),
						...phaseFigures.map( ( [ phase, latency ] ) =>
							atMost(
								`front page p95 ${ phase } / idle`,
								slowdownOf( latency?.p95 ?? null ),
								TARGETS.frontPageSlowdown,
								'×'
							)
						),
						atMost(
							'CRM API calls per distinct contact',
							outcome.crmCallsPerContact,
							TARGETS.crmCallsPerContact,
							''
						),
						atMost(
							`bridge peak RSS (queue peaked at ${ outcome.peakQueued } deliveries)`,
							outcome.bridgePeakRssMb,
							TARGETS.bridgeRssMb,
							'MB'
						),
					],
					notes: [
						...stormNotes( outcome ),
						`Front page sampled one request at a time every 200 ms, from the first webhook until all were processed: ${ idle.latency.count } requests idle, ${ outcome.frontPage?.latency.count ?? 0 } during the storm (those started before the last webhook was answered count as "while the webhooks arrive", the rest as "while they are processed").`,
						'The reference front-page figures (0.81 s vs 0.04 s) were taken during its 150 ms-CRM storm.',
					],
				},
			],
		};
	},
};
