import { SETTING_NAMES, SETTINGS } from '../config/settings';
import { COMMAND_OPTIONS } from './args';
import { EXIT } from './exit-codes';

const WIDTH = 100;

/** The `--help` text: commands, every setting from the settings table, exit codes. */
export function helpText(): string {
	const lines = [
		'Usage: pulse-sync-bridge <command> [options]',
		'',
		'Commands:',
		'  start                          Run the bridge (until SIGTERM or SIGINT).',
		'  pair <site-url> --code CODE    Pair with a WordPress site: exchanges the one-time code for the',
		'                                 bridge secret and stores it in <data-dir>/config.json (mode 0600);',
		'                                 a further site is added to the site registry (config.json, or the',
		'                                 shared database with --database) and served under /sites/<id>/.',
		'  sites                          List the sites this bridge serves: id, URL, bridge URL, paired at.',
		'  unpair <site-url | site-id>    Remove a further site with all its data (deliveries, queue, tokens).',
		'  status                         Site reachable, signature accepted, CRM connected, queue depth.',
		'  doctor                         Every check, with how to fix the ones that fail.',
		'',
		'Options:',
		...Object.entries( COMMAND_OPTIONS ).map(
			( [ name, option ] ) =>
				`  ${ 'short' in option ? `-${ option.short }, ` : '' }--${ name }${ option.type === 'string' ? ' <value>' : '' }\n${ indent( option.help ) }`
		),
		'',
		'Settings (a flag wins over the environment, which wins over config.json, which wins over the default):',
	];
	for ( const name of SETTING_NAMES ) {
		const setting = SETTINGS[ name ];
		const sources = [
			setting.flag === null ? null : `--${ setting.flag } <value>`,
			setting.env,
			setting.file === null ? null : `config.json "${ setting.file }"`,
		].filter( ( source ) => source !== null );
		lines.push(
			`  ${ sources.join( ', ' ) }`,
			indent( `${ setting.help } Default: ${ setting.defaultText }.` )
		);
	}
	lines.push(
		'',
		'Exit codes:',
		`  ${ EXIT.ok }  success (status, doctor: every check passed)`,
		`  ${ EXIT.failed }  failure (a check failed, the pairing was refused, the bridge could not start)`,
		`  ${ EXIT.usage }  bad command line or configuration`,
		''
	);
	return lines.join( '\n' );
}

function indent( text: string ): string {
	const words = text.split( ' ' );
	const lines: string[] = [];
	let line = '';
	for ( const word of words ) {
		if ( line !== '' && 6 + line.length + 1 + word.length > WIDTH ) {
			lines.push( line );
			line = word;
		} else {
			line = line === '' ? word : `${ line } ${ word }`;
		}
	}
	lines.push( line );
	return lines.map( ( wrapped ) => `      ${ wrapped }` ).join( '\n' );
}
