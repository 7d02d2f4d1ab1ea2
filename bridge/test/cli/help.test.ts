import { runCli } from '../../src/cli/run';
import { captureOutput } from '../support/capture-output';
import { SETTING_NAMES, SETTINGS } from '../../src/config/settings';
import packageJson from '../../package.json';

describe( 'pulse-sync-bridge --help and --version', () => {
	it( 'lists every setting with its flag, variable, config key and default', async () => {
		const out = captureOutput();
		expect( await runCli( [ '--help' ], out ) ).toBe( 0 );
		// Words wrap at spaces: compare with runs of whitespace made single.
		const text = out.text().replace( /\s+/g, ' ' );
		for ( const name of SETTING_NAMES ) {
			const setting = SETTINGS[ name ];
			const sources = [
				setting.flag && `--${ setting.flag } <value>`,
				setting.env,
				setting.file && `config.json "${ setting.file }"`,
			].filter( Boolean );
			for ( const source of sources ) {
				expect( text ).toContain( source );
			}
			expect( text ).toContain(
				`Default: ${ setting.defaultText }.`.replace( /\s+/g, ' ' )
			);
		}
		for ( const command of [
			'start',
			'pair <site-url> --code CODE',
			'status',
			'doctor',
		] ) {
			expect( text ).toContain( command );
		}
		expect( text ).toMatch( /Exit codes: 0 .* 1 .* 2 / );
	} );

	it( 'prints the package version', async () => {
		const out = captureOutput();
		expect( await runCli( [ '--version' ], out ) ).toBe( 0 );
		expect( out.text() ).toBe( packageJson.version );
	} );

	it( 'answers no command, an unknown command or an unknown flag with exit 2', async () => {
		expect( await runCli( [], captureOutput() ) ).toBe( 2 );
		expect( await runCli( [ 'serve' ], captureOutput() ) ).toBe( 2 );
		const out = captureOutput();
		expect( await runCli( [ 'status', '--secret', 'x' ], out ) ).toBe( 2 );
		expect( out.text() ).toMatch( /Unknown option '--secret'/ );
	} );
} );
