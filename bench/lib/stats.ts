/** Percentiles of latency samples (nearest-rank, so every reported figure is a measured one). */

export interface LatencySummary {
	count: number;
	p50: number | null;
	p95: number | null;
	p99: number | null;
	max: number | null;
}

export function percentile(
	sorted: readonly number[],
	fraction: number
): number | null {
	if ( sorted.length === 0 ) {
		return null;
	}
	const rank = Math.ceil( fraction * sorted.length );
	return sorted[ Math.min( sorted.length, Math.max( 1, rank ) ) - 1 ] ?? null;
}

export function summarize( values: readonly number[] ): LatencySummary {
	const sorted = [ ...values ].sort( ( a, b ) => a - b );
	return {
		count: sorted.length,
		p50: percentile( sorted, 0.5 ),
		p95: percentile( sorted, 0.95 ),
		p99: percentile( sorted, 0.99 ),
		max:
			sorted.length === 0
				? null
				: ( sorted[ sorted.length - 1 ] ?? null ),
	};
}
