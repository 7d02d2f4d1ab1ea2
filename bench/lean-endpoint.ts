/**
 * What the lean webhook endpoint saves per webhook: `?wpf_action=test` answered by plugin/webhook.php
 * (through the nginx rule) and by the listener inside WordPress (`/index.php?wpf_action=test`),
 * in one run on a running stack, in alternating rounds so that both see the same machine.
 *
 * Run (on a stack started with PULSE_STACK_SERVER=nginx):
 *   node_modules/.bin/tsx bench/lean-endpoint.ts [requests per round, default 400] [concurrency, default 4]
 */
import { stack } from '../integration/support/stack';

const REQUESTS = Number( process.argv[ 2 ] ?? 400 );
const CONCURRENCY = Number( process.argv[ 3 ] ?? 4 );
const ROUNDS = 3;

async function round( url: string ): Promise< number > {
	let next = 0;
	const started = performance.now();
	await Promise.all(
		Array.from( { length: CONCURRENCY }, async () => {
			while ( next++ < REQUESTS ) {
				const response = await fetch( url );
				await response.text();
				if ( response.status !== 200 ) {
					throw new Error( `${ url } answered ${ response.status }` );
				}
			}
		} )
	);
	return ( REQUESTS / ( performance.now() - started ) ) * 1000;
}

async function main(): Promise< void > {
	const info = stack();
	if ( info.server !== 'nginx' ) {
		throw new Error(
			'start the stack with PULSE_STACK_SERVER=nginx: php -S has no rule'
		);
	}
	const query = `wpf_action=test&access_key=${ info.accessKey }`;
	const paths = {
		lean: `${ info.siteUrl }/?${ query }`,
		fallback: `${ info.siteUrl }/index.php?${ query }`,
	};
	const rates: Record< keyof typeof paths, number[] > = {
		lean: [],
		fallback: [],
	};
	await round( paths.lean ); // Warm OPcache on both paths before measuring.
	await round( paths.fallback );
	for ( let n = 0; n < ROUNDS; n++ ) {
		for ( const name of n % 2 === 0
			? ( [ 'lean', 'fallback' ] as const )
			: ( [ 'fallback', 'lean' ] as const ) ) {
			rates[ name ].push( await round( paths[ name ] ) );
		}
	}
	const median = ( values: number[] ) =>
		[ ...values ].sort( ( a, b ) => a - b )[
			Math.floor( values.length / 2 )
		] ?? 0;
	const lean = median( rates.lean );
	const fallback = median( rates.fallback );
	console.log(
		[
			`WordPress ${ info.wpVersion } on nginx + PHP-FPM, ${ REQUESTS } × ?wpf_action=test per round, ${ CONCURRENCY } at once, median of ${ ROUNDS } rounds:`,
			`  lean endpoint (rule → webhook.php): ${ lean.toFixed( 0 ) } answers/s, ${ ( 1000 / lean ).toFixed( 2 ) } ms between answers`,
			`  in WordPress (/index.php fallback): ${ fallback.toFixed( 0 ) } answers/s, ${ ( 1000 / fallback ).toFixed( 2 ) } ms between answers`,
			`  ratio: ${ ( lean / fallback ).toFixed( 2 ) }×`,
		].join( '\n' )
	);
}

main().catch( ( error: Error ) => {
	console.error( error.message );
	process.exit( 1 );
} );
