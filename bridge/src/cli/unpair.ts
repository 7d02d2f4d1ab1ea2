import type { BridgeConfig } from '../config';
import { parseSiteUrl } from '../config/parsers';
import { openSiteRegistry } from '../sites/open-registry';
import { LEGACY_SITE_ID } from '../sites/registry';
import { EXIT } from './exit-codes';
import type { Output } from './output';

/**
 * `pulse-sync-bridge unpair <site-url | site-id>`: removes a site paired after the first one,
 * with all its data (its SQLite file, or its schemas on PostgreSQL). A running bridge stops
 * serving it within a second; the site's plugin then reaches no bridge until it is paired again.
 * @param target The site's URL or id, as typed.
 * @param config The bridge's configuration.
 * @param out    Where messages go.
 */
export async function unpairCommand(
	target: string | undefined,
	config: BridgeConfig,
	out: Output
): Promise< number > {
	if ( target === undefined ) {
		out.error(
			'Usage: pulse-sync-bridge unpair <site-url | site-id> (`pulse-sync-bridge sites` lists them).'
		);
		return EXIT.usage;
	}
	const url = asSiteUrl( target, config.allowHttpSite );
	if (
		target === LEGACY_SITE_ID ||
		( url !== null && url === config.siteUrl )
	) {
		// Its store is the one the running bridge always holds open; removing it under the
		// bridge would lose what a later pairing writes there.
		out.error(
			`${ config.siteUrl ?? 'The first site' } is the bridge's first site: stop the bridge, then remove its data folder (${ config.dataDir }) or pair the bridge with another site in its place.`
		);
		return EXIT.failed;
	}
	const registry = await openSiteRegistry( config );
	try {
		const site = ( await registry.list() ).find(
			( entry ) => entry.id === target || entry.siteUrl === url
		);
		if ( site === undefined || ! ( await registry.remove( site.id ) ) ) {
			out.error(
				`No site ${ target } is paired with this bridge (\`pulse-sync-bridge sites\` lists them).`
			);
			return EXIT.failed;
		}
		out.info(
			`Unpaired ${ site.siteUrl } (site ${ site.id }); its deliveries, queue and CRM tokens are removed from ${ registry.description }.`
		);
		return EXIT.ok;
	} finally {
		await registry.close();
	}
}

function asSiteUrl( value: string, allowHttp: boolean ): string | null {
	try {
		return parseSiteUrl( value, allowHttp );
	} catch {
		return null;
	}
}
