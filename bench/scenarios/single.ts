/**
 * single: `add` webhooks for new contacts, one after the other. Answer latency, and end to end:
 * from sending the webhook until the user exists and its generated password is in the CRM.
 */
import { contact, newContacts } from '../../integration/support/sandbox';
import { usersForContact } from '../../integration/support/stack';
import { sendWebhook } from '../../integration/support/webhook';
import { sleep, stopwatch } from '../lib/clock';
import { setCrmLatency } from '../lib/crm';
import { summarize } from '../lib/stats';
import { BENCH_TAGS, type Scenario } from '../lib/scenario';

const POLL_MS = 20;
const PER_CONTACT_LIMIT_MS = 30000;

async function passwordReturned( contactId: number ): Promise< boolean > {
	const value = ( await contact( contactId ) ).wp_password;
	return typeof value === 'string' && value !== '';
}

/**
 * Ms until the user exists and the password is back, or null after the per-contact limit.
 * @param contactId
 * @param elapsed
 */
async function endToEnd(
	contactId: number,
	elapsed: () => number
): Promise< number | null > {
	while ( elapsed() < PER_CONTACT_LIMIT_MS ) {
		if (
			usersForContact( contactId ).length > 0 &&
			( await passwordReturned( contactId ) )
		) {
			return elapsed();
		}
		await sleep( POLL_MS );
	}
	return null;
}

export const single: Scenario = {
	name: 'single',
	description:
		'sequential `add` for new contacts: answer and end-to-end latency',
	defaults: { size: 200, latencyMs: 0, concurrency: 1 },
	quick: { size: 20, latencyMs: 0, concurrency: 1 },
	async run( { settings, timeLimitMs } ) {
		await setCrmLatency( settings.latencyMs );
		const ids = await newContacts( settings.size, [ ...BENCH_TAGS ] );
		const answers: number[] = [];
		const endToEndMs: number[] = [];
		let non2xx = 0;
		let unfinished = 0;
		const total = stopwatch();
		for ( const id of ids ) {
			if ( total() > timeLimitMs ) {
				break;
			}
			const elapsed = stopwatch();
			let status = 0;
			try {
				status = ( await sendWebhook( 'add', id, 'form' ) ).status;
			} catch {
				// No HTTP answer: counted as non-2xx below.
			}
			answers.push( elapsed() );
			if ( status < 200 || status >= 300 ) {
				non2xx++;
				continue;
			}
			const done = await endToEnd( id, elapsed );
			if ( done === null ) {
				unfinished++;
			} else {
				endToEndMs.push( done );
			}
		}
		const answer = summarize( answers );
		const e2e = summarize( endToEndMs );
		return {
			sections: [
				{
					title: 'single',
					params: {
						webhooks: settings.size,
						crm_latency_ms: settings.latencyMs,
					},
					figures: [
						{
							label: 'webhooks sent',
							value: answers.length,
							unit: '',
						},
						{ label: 'non-2xx answers', value: non2xx, unit: '' },
						{ label: 'answer p50', value: answer.p50, unit: 'ms' },
						{ label: 'answer p95', value: answer.p95, unit: 'ms' },
						{ label: 'answer p99', value: answer.p99, unit: 'ms' },
						{ label: 'end to end p50', value: e2e.p50, unit: 'ms' },
						{ label: 'end to end p95', value: e2e.p95, unit: 'ms' },
						{
							label: `not finished within ${ PER_CONTACT_LIMIT_MS / 1000 } s`,
							value: unfinished,
							unit: '',
						},
					],
					targets: [],
					notes: [
						`End to end = webhook sent → user in the database and Return Password written to the CRM, polled every ${ POLL_MS } ms (so up to ${ POLL_MS } ms coarse).`,
					],
				},
			],
		};
	},
};
