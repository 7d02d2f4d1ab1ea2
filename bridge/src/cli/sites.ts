import type { BridgeConfig } from '../config';
import { openSiteRegistry } from '../sites/open-registry';
import { sitePathPrefix } from '../sites/registry';
import { EXIT } from './exit-codes';
import type { Output } from './output';

/**
 * `pulse-sync-bridge sites`: every site this bridge serves, one per line: its id, URL, the
 * bridge URL its plugin calls, and when it was paired. Secrets are never printed.
 * @param config The bridge's configuration.
 * @param out    Where the list goes.
 */
export async function sitesCommand(
	config: BridgeConfig,
	out: Output
): Promise< number > {
	const registry = await openSiteRegistry( config );
	try {
		const further = await registry.list();
		if ( config.siteUrl === null && further.length === 0 ) {
			out.info(
				'No site is paired: run `pulse-sync-bridge pair <site-url> --code CODE`.'
			);
			return EXIT.ok;
		}
		if ( config.siteUrl !== null ) {
			out.info(
				`default  ${ config.siteUrl }  ${ config.publicUrl }  (the first site)`
			);
		}
		for ( const site of further ) {
			out.info(
				`${ site.id }  ${ site.siteUrl }  ${ config.publicUrl }${ sitePathPrefix( site.id ) }  paired ${ site.pairedAt ?? 'at an unknown time' }`
			);
		}
		out.info( `The registry is ${ registry.description }.` );
		return EXIT.ok;
	} finally {
		await registry.close();
	}
}
