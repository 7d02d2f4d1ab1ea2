/**
 * The load generator: sends one request per item with at most `concurrency` in flight, optionally
 * paced to a rate, and stops by itself when the items run out or the time limit passes (it never
 * starts a request after that). Milestones run once a fraction of the items has been started,
 * alongside the load, so a scenario can kill a process "at 30%" without pausing the storm.
 */
import { stopwatch, sleep } from './clock';

/** Why a request got no HTTP answer worth counting. */
export type Failure = 'network' | 'timeout' | 'not-json';

export interface Milestone {
	atFraction: number;
	label: string;
	run: () => Promise< void >;
}

export interface LoadOptions< T > {
	items: readonly T[];
	concurrency: number;
	timeLimitMs: number;
	/** Requests started per second at most; absent = as fast as the concurrency allows. */
	ratePerSecond?: number;
	milestones?: Milestone[];
	/** Sends one request and resolves with its HTTP status. */
	send: ( item: T ) => Promise< number >;
}

export interface Shot< T > {
	item: T;
	status: number | null;
	failure: Failure | null;
	ms: number;
	/** Start time relative to the start of the load. */
	atMs: number;
}

export interface LoadResult< T > {
	shots: Shot< T >[];
	unsent: number;
	durationMs: number;
}

export class MilestoneError extends Error {
	constructor( label: string, cause: unknown ) {
		super(
			`milestone "${ label }" failed: ${ ( cause as Error ).message }`
		);
		this.name = 'MilestoneError';
	}
}

export function classifyFailure( error: unknown ): Failure {
	const name = ( error as Error ).name;
	const message = ( error as Error ).message ?? '';
	if ( name === 'TimeoutError' || name === 'AbortError' ) {
		return 'timeout';
	}
	// integration/support/webhook.ts throws this when the site answered HTML instead of JSON.
	if ( message.startsWith( 'webhook answered' ) ) {
		return 'not-json';
	}
	return 'network';
}

export async function runLoad< T >(
	options: LoadOptions< T >
): Promise< LoadResult< T > > {
	const elapsed = stopwatch();
	const shots: Shot< T >[] = [];
	const pending = [ ...( options.milestones ?? [] ) ].sort(
		( a, b ) => a.atFraction - b.atFraction
	);
	// Failures are kept as values, not rejections: an unawaited rejection would end the process.
	const running: Array< Promise< MilestoneError | null > > = [];
	let next = 0;

	const startDueMilestones = ( started: number ) => {
		while (
			pending.length > 0 &&
			started >=
				( pending[ 0 ] as Milestone ).atFraction * options.items.length
		) {
			const milestone = pending.shift() as Milestone;
			console.log( `[bench]   ${ milestone.label }` );
			running.push(
				milestone.run().then(
					() => null,
					( error: unknown ) =>
						new MilestoneError( milestone.label, error )
				)
			);
		}
	};

	const worker = async () => {
		while (
			next < options.items.length &&
			elapsed() < options.timeLimitMs
		) {
			const index = next++;
			if ( options.ratePerSecond ) {
				const due = ( index * 1000 ) / options.ratePerSecond;
				if ( due > elapsed() ) {
					await sleep( due - elapsed() );
				}
			}
			startDueMilestones( index );
			const item = options.items[ index ] as T;
			const atMs = elapsed();
			let status: number | null = null;
			let failure: Failure | null = null;
			try {
				status = await options.send( item );
			} catch ( error ) {
				failure = classifyFailure( error );
			}
			shots.push( { item, status, failure, ms: elapsed() - atMs, atMs } );
		}
	};

	await Promise.all(
		Array.from( { length: options.concurrency }, () => worker() )
	);
	const durationMs = elapsed();
	const failed = ( await Promise.all( running ) ).find(
		( error ) => error !== null
	);
	if ( failed ) {
		throw failed;
	}
	return { shots, unsent: options.items.length - shots.length, durationMs };
}

/** HTTP status, or failure kind when there was no answer → how many requests ended so. */
export function answerMix< T >(
	shots: readonly Shot< T >[]
): Record< string, number > {
	const mix: Record< string, number > = {};
	for ( const shot of shots ) {
		const key =
			shot.status === null
				? String( shot.failure )
				: String( shot.status );
		mix[ key ] = ( mix[ key ] ?? 0 ) + 1;
	}
	return mix;
}
