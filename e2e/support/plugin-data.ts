/**
 * What Pulse Sync keeps in a site's database, read straight from MariaDB through the stack's socket:
 * every option named `pulse_sync_…` (transients of the plugin included) and every table named
 * `{prefix}pulse_sync_…`. By rule, not by list, so options and tables added later are covered.
 */
import { sql } from '../../dev/src/mariadb';
import type { StackInfo } from '../../dev/src/stack-file';

/** The stack's table prefix (dev/src/wordpress-site.ts writes it into wp-config.php). */
const TABLE_PREFIX = 'wp_';

export interface PluginData {
	options: string[];
	tables: string[];
}

function rows( info: StackInfo, statement: string ): string[] {
	const result = sql( info.dbSocket, statement );
	if ( ! result.ok ) {
		throw new Error(
			`MariaDB refused "${ statement }": ${ result.error }`
		);
	}
	return result.output
		.split( '\n' )
		.filter( ( line ) => line !== '' )
		.sort();
}

/** `_` is a LIKE wildcard; escaped so `wp_pulse_sync_%` cannot match `wpXpulse…`. */
function like( prefix: string ): string {
	return `${ prefix.replace( /_/g, '\\_' ) }%`;
}

export function pluginData( info: StackInfo ): PluginData {
	const db = `\`${ info.dbName }\``;
	const options = rows(
		info,
		`SELECT option_name FROM ${ db }.${ TABLE_PREFIX }options WHERE ${ [
			'pulse_sync_',
			'_transient_pulse_sync_',
			'_transient_timeout_pulse_sync_',
			'_site_transient_pulse_sync_',
			'_site_transient_timeout_pulse_sync_',
		]
			.map( ( prefix ) => `option_name LIKE '${ like( prefix ) }'` )
			.join( ' OR ' ) }`
	);
	const tables = rows(
		info,
		`SELECT table_name FROM information_schema.tables WHERE table_schema = '${ info.dbName }' AND table_name LIKE '${ like( `${ TABLE_PREFIX }pulse_sync_` ) }'`
	);
	return { options, tables };
}
