/**
 * Command-line options of `npm run bench`. Unknown or malformed options are refused with a usage
 * message rather than ignored, so a typo never silently runs the full-size benchmark.
 */

export interface BenchOptions {
	/** Scenario names in the order given, or every scenario when empty. */
	scenarios: string[];
	quick: boolean;
	/** `--size N` for every chosen scenario… */
	size?: number;
	/** …or `--size NAME=N` for one (wins over the plain form). */
	sizeFor: Record< string, number >;
	latencyMs?: number;
	concurrency?: number;
	/** Bound on each run's sending, and again on its wait for processing. */
	timeLimitS?: number;
	help: boolean;
}

export class UsageError extends Error {
	readonly exitCode = 2;

	constructor( message: string ) {
		super( message );
		this.name = 'UsageError';
	}
}

function positiveInteger(
	flag: string,
	value: string | undefined,
	min: number
): number {
	const number = Number( value );
	if ( value === undefined || ! Number.isInteger( number ) || number < min ) {
		throw new UsageError( `${ flag } needs an integer ≥ ${ min }` );
	}
	return number;
}

function knownScenario( name: string, known: readonly string[] ): string {
	if ( ! known.includes( name ) ) {
		throw new UsageError(
			`unknown scenario "${ name }" (known: ${ known.join( ', ' ) })`
		);
	}
	return name;
}

export function parseOptions(
	argv: readonly string[],
	known: readonly string[]
): BenchOptions {
	const options: BenchOptions = {
		scenarios: [],
		quick: false,
		help: false,
		sizeFor: {},
	};
	for ( let n = 0; n < argv.length; n++ ) {
		const arg = argv[ n ] as string;
		const [ flag, inline ] = arg.includes( '=' )
			? arg.split( /=(.*)/, 2 )
			: [ arg, undefined ];
		const value = () => inline ?? argv[ ++n ];
		switch ( flag ) {
			case '--scenario':
				for ( const name of ( value() ?? '' )
					.split( ',' )
					.filter( Boolean ) ) {
					if ( ! known.includes( name ) ) {
						throw new UsageError(
							`unknown scenario "${ name }" (known: ${ known.join( ', ' ) })`
						);
					}
					options.scenarios.push( name );
				}
				break;
			case '--size': {
				const given = value() ?? '';
				const [ name, count ] = given.includes( '=' )
					? given.split( '=', 2 )
					: [ null, given ];
				if ( name === null ) {
					options.size = positiveInteger( flag, count, 1 );
				} else {
					knownScenario( name, known );
					options.sizeFor[ name ] = positiveInteger( flag, count, 1 );
				}
				break;
			}
			case '--latency':
				options.latencyMs = positiveInteger( flag, value(), 0 );
				break;
			case '--concurrency':
				options.concurrency = positiveInteger( flag, value(), 1 );
				break;
			case '--time-limit':
				options.timeLimitS = positiveInteger( flag, value(), 1 );
				break;
			case '--quick':
				options.quick = true;
				break;
			case '--help':
			case '-h':
				options.help = true;
				break;
			default:
				throw new UsageError( `unknown option ${ arg }` );
		}
	}
	return options;
}

export function usage( known: readonly string[] ): string {
	return [
		'usage: npm run bench -- [--scenario NAME[,NAME…]] [--size [NAME=]N]… [--latency MS] [--concurrency N] [--time-limit S] [--quick]',
		'',
		`  --scenario     one or more of ${ known.join( ', ' ) } (default: all, in that order)`,
		'  --size         webhooks (users for limit) per run, for every chosen scenario; NAME=N for one of them',
		'  --latency      CRM sandbox latency per call in ms (the slow run of storm-add, same-contact, …)',
		'  --concurrency  webhooks in flight (PHP processes for limit)',
		'  --time-limit   seconds each run may spend sending, and again waiting for processing (default 240; 120 with --quick)',
		'  --quick        small sizes and short time limits, for trying the harness out',
		'',
		'See bench/README.md for what each scenario measures.',
	].join( '\n' );
}
