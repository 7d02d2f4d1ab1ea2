/**
 * Where the stack keeps things. Everything here is derived from the repository root and two
 * environment variables, so parallel runs (tests, benchmarks) can use separate state folders.
 */
import path from 'node:path';

export const ROOT = path.resolve( __dirname, '..', '..' );

/** The state folder: MariaDB datadir, WordPress copy, logs, mail, stack.json. */
export function stateDir(): string {
	return path.resolve(
		process.env.PULSE_STACK_DIR ?? path.join( ROOT, '.stack' )
	);
}

/** Downloads that outlive a state folder (newer WordPress builds). */
export function cacheDir(): string {
	return path.resolve(
		process.env.PULSE_STACK_CACHE ?? path.join( ROOT, '.cache' )
	);
}

export function stackFile( dir = stateDir() ): string {
	return path.join( dir, 'stack.json' );
}
