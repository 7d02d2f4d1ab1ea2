import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SETTING_NAMES, SETTINGS } from '../config/settings';

export const COMMANDS = [
	'start',
	'pair',
	'sites',
	'unpair',
	'status',
	'doctor',
] as const;
export type Command = ( typeof COMMANDS )[ number ];

/** Options that are not settings: they belong to one command or to the program. */
export const COMMAND_OPTIONS = {
	code: {
		type: 'string',
		help: '`pair`: the pairing code from Pulse Sync » Status » Pair a bridge.',
	},
	help: { type: 'boolean', short: 'h', help: 'Show this help.' },
	version: { type: 'boolean', short: 'v', help: 'Print the version.' },
} as const;

export interface ParsedArgs {
	command: Command | null;
	positionals: string[];
	/** Setting flags by flag name, plus `code`. */
	values: Record< string, string | boolean | undefined >;
}

/** Thrown for an unknown command or option, or a missing value: exit code 2. */
export class UsageError extends Error {
	override name = 'UsageError';
}

function options(): NonNullable< ParseArgsConfig[ 'options' ] > {
	const all: NonNullable< ParseArgsConfig[ 'options' ] > = {};
	for ( const name of SETTING_NAMES ) {
		const { flag } = SETTINGS[ name ];
		if ( flag !== null ) {
			all[ flag ] = { type: 'string' };
		}
	}
	for ( const [ name, option ] of Object.entries( COMMAND_OPTIONS ) ) {
		all[ name ] = {
			type: option.type,
			...( 'short' in option && { short: option.short } ),
		};
	}
	return all;
}

/**
 * `pulse-sync-bridge <command> [positionals] [--flags]`, with node:util's parseArgs (strict:
 * an unknown flag is an error, not ignored).
 * @param argv The arguments after the program name.
 */
export function parseCommandLine( argv: string[] ): ParsedArgs {
	let parsed;
	try {
		parsed = parseArgs( {
			args: argv,
			options: options(),
			allowPositionals: true,
			strict: true,
		} );
	} catch ( error ) {
		throw new UsageError( ( error as Error ).message );
	}
	const [ first, ...rest ] = parsed.positionals;
	if (
		first !== undefined &&
		! ( COMMANDS as readonly string[] ).includes( first )
	) {
		throw new UsageError( `Unknown command "${ first }".` );
	}
	return {
		command: ( first as Command | undefined ) ?? null,
		positionals: rest,
		values: parsed.values as ParsedArgs[ 'values' ],
	};
}
