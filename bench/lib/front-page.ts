/**
 * What a visitor feels during a storm: `GET /` one request at a time, at a steady interval, while
 * a stop signal is not raised. Failed requests are counted apart so they cannot flatter the p95.
 */
import { sleep, stopwatch } from './clock';
import { summarize, type LatencySummary } from './stats';

export interface FrontPageSample {
	latency: LatencySummary;
	failed: number;
}

export async function sampleFrontPage(
	siteUrl: string,
	stop: AbortSignal,
	intervalMs = 200
): Promise< FrontPageSample > {
	const latencies: number[] = [];
	let failed = 0;
	while ( ! stop.aborted ) {
		const elapsed = stopwatch();
		try {
			const response = await fetch( `${ siteUrl }/`, {
				signal: AbortSignal.timeout( 30000 ),
			} );
			await response.text();
			if ( response.ok ) {
				latencies.push( elapsed() );
			} else {
				failed++;
			}
		} catch {
			failed++;
		}
		await sleep( Math.max( 0, intervalMs - elapsed() ) );
	}
	return { latency: summarize( latencies ), failed };
}

/**
 * Samples for a fixed time: the idle baseline taken just before a storm.
 * @param siteUrl
 * @param durationMs
 */
export function sampleFrontPageFor(
	siteUrl: string,
	durationMs: number
): Promise< FrontPageSample > {
	return sampleFrontPage( siteUrl, AbortSignal.timeout( durationMs ) );
}
