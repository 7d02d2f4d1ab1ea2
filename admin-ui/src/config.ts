import { AdminPageConfig } from '@pulse-sync/contracts';

/**
 * The values the plugin prints into the page as `window.pulseSyncAdmin`.
 *
 * The PHP side owns that object; its contract (`AdminPageConfig`) reads every key leniently, and
 * a missing or mistyped value becomes a safe default here instead of a crash of the whole panel.
 */
export interface BridgeSite {
	siteUrl: string;
}

export interface AdminConfig {
	restNamespace: string;
	siteUrl: string;
	webhookBase: string;
	version: string;
	crmAccountUrl: string;
	adminUrl: string;
	bridge: BridgeSite;
}

declare global {
	interface Window {
		pulseSyncAdmin?: unknown;
	}
}

const DEFAULT_REST_NAMESPACE = 'pulse-sync/v1';

function withoutTrailingSlash( url: string ): string {
	return url.replace( /\/+$/, '' );
}

export function parseAdminConfig( raw: unknown ): AdminConfig {
	const source = AdminPageConfig.parse( raw );
	const siteUrl = withoutTrailingSlash( source.siteUrl ?? '' );
	return {
		restNamespace: source.restNamespace ?? DEFAULT_REST_NAMESPACE,
		siteUrl,
		webhookBase: source.webhookBase ?? `${ siteUrl }/`,
		version: source.version ?? '',
		crmAccountUrl: withoutTrailingSlash( source.crmAccountUrl ?? '' ),
		adminUrl: `${ withoutTrailingSlash(
			source.adminUrl ?? `${ siteUrl }/wp-admin`
		) }/`,
		bridge: {
			siteUrl: source.bridge.siteUrl ?? siteUrl,
		},
	};
}

/** Read on every call so that the panel (and tests) always see the current page values. */
export function adminConfig(): AdminConfig {
	return parseAdminConfig( window.pulseSyncAdmin );
}
