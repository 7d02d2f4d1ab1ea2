/**
 * The stack tool's commands. See docs/architecture.md ("The local stack") and the README.
 */
import { down, up } from './stack';
import { readStack } from './stack-file';
import { printBanner } from './banner';
import { followLogs } from './follow-logs';
import { runTests } from './test-runner';
import { runLint } from './lint';
import { buildAdminUi } from './build';
import { runBench } from './bench';
import { release } from './release';
import { syncVersion } from './release/version';

const commands: Record< string, () => Promise< number > > = {
	async up() {
		printBanner( await up() );
		return 0;
	},
	async down() {
		await down();
		return 0;
	},
	async status() {
		const info = readStack();
		console.log(
			info
				? JSON.stringify(
						{
							...info,
							adminPassword: '(see .stack/stack.json)',
							bridgeSecret: '(hidden)',
						},
						null,
						2
					)
				: 'no stack'
		);
		return 0;
	},
	async start() {
		buildAdminUi();
		const info = await up();
		printBanner( info );
		console.log(
			'[stack] following logs; press Ctrl-C to stop everything'
		);
		await followLogs( info.logDir );
		await down();
		return 0;
	},
	test: () => runTests(),
	lint: async () => ( runLint() ? 0 : 1 ),
	bench: () => runBench(),
	async release() {
		release();
		return 0;
	},
	async 'version-sync'() {
		const changed = syncVersion();
		console.log(
			changed.length > 0
				? `[version] wrote ${ changed.join( ', ' ) }`
				: '[version] every file already says the same version'
		);
		return 0;
	},
};

const name = process.argv[ 2 ] ?? 'help';
const command = commands[ name ];
if ( ! command ) {
	console.error(
		`usage: pulse-stack ${ Object.keys( commands ).join( '|' ) }`
	);
	process.exit( 2 );
}
command().then(
	( code ) => process.exit( code ),
	( error: Error ) => {
		console.error( `[stack] ${ error.message }` );
		process.exit( 1 );
	}
);
