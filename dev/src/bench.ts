/**
 * `npm run bench`: the benchmark scenarios live in bench/ (see bench/README.md); they bring up
 * their own stack in .stack-bench and write bench/results/<timestamp>.{json,md}.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './paths';

export async function runBench(): Promise< number > {
	const run = spawnSync(
		path.join( ROOT, 'node_modules', '.bin', 'tsx' ),
		[ path.join( ROOT, 'bench', 'run.ts' ), ...process.argv.slice( 3 ) ],
		{
			cwd: ROOT,
			stdio: 'inherit',
		}
	);
	return run.status ?? 1;
}
