/**
 * What a visitor feels during a storm: `GET /` one request at a time, at a steady interval, while
 * a stop signal is not raised. Failed requests are counted apart so they cannot flatter the p95.
 * Each answered request keeps when it started, so a storm's phases (its webhooks arriving, then
 * being processed) can be told apart afterwards (`latencyWithin`).
 */
import { sleep, stopwatch } from './clock';
import { summarize, type LatencySummary } from './stats';

/** One answered request: when it started (performance.now()) and how long it took. */
export interface FrontPageRequest {
	startedAt: number;
	ms: number;
}

export interface FrontPageSample {
	latency: LatencySummary;
	failed: number;
	answered: FrontPageRequest[];
}

export async function sampleFrontPage(
	siteUrl: string,
	stop: AbortSignal,
	intervalMs = 200
): Promise< FrontPageSample > {
	const answered: FrontPageRequest[] = [];
	let failed = 0;
	while ( ! stop.aborted ) {
		const startedAt = performance.now();
		const elapsed = stopwatch();
		try {
			const response = await fetch( `${ siteUrl }/`, {
				signal: AbortSignal.timeout( 30000 ),
			} );
			await response.text();
			if ( response.ok ) {
				answered.push( { startedAt, ms: elapsed() } );
			} else {
				failed++;
			}
		} catch {
			failed++;
		}
		await sleep( Math.max( 0, intervalMs - elapsed() ) );
	}
	return {
		latency: summarize( answered.map( ( request ) => request.ms ) ),
		failed,
		answered,
	};
}

/**
 * The latency of the requests that started in [from, to) (performance.now() times).
 * @param sample What the sampler saw.
 * @param from   The phase's start.
 * @param to     Its end.
 */
export function latencyWithin(
	sample: FrontPageSample,
	from: number,
	to: number
): LatencySummary {
	return summarize(
		sample.answered
			.filter(
				( request ) =>
					request.startedAt >= from && request.startedAt < to
			)
			.map( ( request ) => request.ms )
	);
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
