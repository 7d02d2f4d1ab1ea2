/**
 * import: `size` contacts carry a tag in the CRM sandbox; the bridge imports them (Import users
 * screen, `POST /v1/imports`) with its shipped defaults. Measured: contacts per second from the
 * run's start to its end (every contact's job done), and the front page's p95 while the run goes
 * against its p95 just before. The counters are the run's own, read from its deliveries.
 */
import { callBridge } from '../../dev/src/seed';
import { control, newContacts } from '../../integration/support/sandbox';
import { stack } from '../../integration/support/stack';
import { sleep, stopwatch } from '../lib/clock';
import { sampleFrontPage, sampleFrontPageFor } from '../lib/front-page';
import { atMost } from '../lib/model';
import type { Scenario } from '../lib/scenario';

interface Run {
	id: number;
	state: string;
	counts: Record<
		'found' | 'processed' | 'created' | 'updated' | 'skipped' | 'failed',
		number
	>;
}

const POLL_MS = 500;

export const importScenario: Scenario = {
	name: 'import',
	description:
		'import by tag: `size` tagged contacts imported by the bridge, contacts/s and the front page while it runs',
	defaults: { size: 5000, latencyMs: 0, concurrency: 1 },
	quick: { size: 300, latencyMs: 0, concurrency: 1 },
	async run( { settings, quick, drainDeadlineMs } ) {
		const tag = await control< { id: number } >( 'POST', 'tags', {
			name: `Bench import ${ Date.now().toString( 36 ) }`,
		} );
		await newContacts( settings.size, [ tag.id ] );
		const idle = await sampleFrontPageFor(
			stack().siteUrl,
			quick ? 3000 : 10000
		);

		const elapsed = stopwatch();
		let run = ( await callBridge( stack(), 'POST', '/v1/imports', {
			kind: 'import',
			tag_id: tag.id,
		} ) ) as Run;
		const stopSampling = new AbortController();
		const during = sampleFrontPage( stack().siteUrl, stopSampling.signal );
		try {
			while ( run.state === 'running' && elapsed() < drainDeadlineMs ) {
				await sleep( POLL_MS );
				run = ( await callBridge(
					stack(),
					'GET',
					`/v1/imports/${ run.id }`
				) ) as Run;
			}
		} finally {
			stopSampling.abort();
		}
		const seconds = elapsed() / 1000;
		const frontPage = await during;
		const idleP95 = idle.latency.p95;
		const duringP95 = frontPage.latency.p95;
		const ratio =
			idleP95 === null || duringP95 === null ? null : duringP95 / idleP95;
		const notImported =
			settings.size - run.counts.created - run.counts.updated;
		return {
			sections: [
				{
					title: 'import',
					params: { contacts: settings.size, state: run.state },
					figures: [
						{
							label: 'contacts per second (start → last job done)',
							value: run.counts.processed / seconds,
							unit: '/s',
						},
						{ label: 'run time', value: seconds, unit: 's' },
						{
							label: 'created',
							value: run.counts.created,
							unit: '',
						},
						{ label: 'failed', value: run.counts.failed, unit: '' },
						{
							label: 'front page p95 idle (just before)',
							value: idleP95,
							unit: 'ms',
						},
						{
							label: 'front page p95 during the import',
							value: duringP95,
							unit: 'ms',
						},
						{
							label: 'front page ratio (p95 during / idle)',
							value: ratio,
							unit: '×',
						},
						{
							label: 'front page requests that failed during the import',
							value: frontPage.failed,
							unit: '',
						},
					],
					targets: [
						atMost( 'contacts not imported', notImported, 0, '' ),
						atMost( 'failed contacts', run.counts.failed, 0, '' ),
					],
					notes: [
						"Shipped defaults: no PULSE_SYNC_* tuning; the bridge queues a page while fewer than 100 of the run's contacts are open (imports/feeder.ts).",
					],
				},
			],
		};
	},
};
