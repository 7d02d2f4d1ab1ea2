import { ConfigError } from '../config';
import { resolveConfig } from '../config/resolve';
import { BRIDGE_VERSION } from '../version';
import { parseCommandLine, UsageError } from './args';
import { runChecks } from './checks';
import { EXIT } from './exit-codes';
import { helpText } from './help';
import { consoleOutput, type Output } from './output';
import { pairCommand } from './pair';
import { printChecks } from './report';
import { sitesCommand } from './sites';
import { startCommand } from './start';
import { unpairCommand } from './unpair';

/**
 * Runs one `pulse-sync-bridge` command; resolves with the exit code, or null for `start`, which
 * keeps running until a signal.
 * @param argv The arguments after the program name.
 * @param out  Where messages go.
 */
export async function runCli(
	argv: string[],
	out: Output = consoleOutput
): Promise< number | null > {
	try {
		const { command, positionals, values } = parseCommandLine( argv );
		if ( values.version ) {
			out.info( BRIDGE_VERSION );
			return EXIT.ok;
		}
		if ( values.help || command === null ) {
			out.info( helpText() );
			return command === null && ! values.help ? EXIT.usage : EXIT.ok;
		}
		const expected = command === 'pair' || command === 'unpair' ? 1 : 0;
		if ( positionals.length > expected ) {
			throw new UsageError(
				`Unexpected argument "${ positionals[ expected ] }" for ${ command }.`
			);
		}
		switch ( command ) {
			case 'start':
				await startCommand( values );
				return null;
			case 'pair':
				return await pairCommand(
					positionals[ 0 ],
					typeof values.code === 'string' ? values.code : undefined,
					values,
					out
				);
			case 'sites':
				return await sitesCommand(
					resolveConfig( { flags: values, requireSite: false } ),
					out
				);
			case 'unpair':
				return await unpairCommand(
					positionals[ 0 ],
					resolveConfig( { flags: values, requireSite: false } ),
					out
				);
			case 'status':
			case 'doctor': {
				const checks = await runChecks(
					resolveConfig( { flags: values, requireSite: false } )
				);
				printChecks( checks, out, command === 'doctor' );
				return checks.every( ( check ) => check.ok )
					? EXIT.ok
					: EXIT.failed;
			}
		}
	} catch ( error ) {
		if ( error instanceof UsageError ) {
			out.error(
				`${ error.message }\nRun \`pulse-sync-bridge --help\` for the commands and settings.`
			);
			return EXIT.usage;
		}
		if ( error instanceof ConfigError ) {
			out.error( error.message );
			return EXIT.usage;
		}
		throw error;
	}
}
