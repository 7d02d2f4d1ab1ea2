import { isRecord } from './api/guards';

/**
 * The values the plugin prints into the page as `window.pulseSyncAdmin`.
 *
 * The PHP side owns that object, so every key is read defensively: a missing or mistyped value
 * becomes a safe default instead of a crash of the whole panel.
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

function stringOr( value: unknown, fallback: string ): string {
	return typeof value === 'string' && value !== '' ? value : fallback;
}

function withoutTrailingSlash( url: string ): string {
	return url.replace( /\/+$/, '' );
}

export function parseAdminConfig( raw: unknown ): AdminConfig {
	const source = isRecord( raw ) ? raw : {};
	const bridge = isRecord( source.bridge ) ? source.bridge : {};
	const siteUrl = withoutTrailingSlash( stringOr( source.siteUrl, '' ) );
	return {
		restNamespace: stringOr( source.restNamespace, DEFAULT_REST_NAMESPACE ),
		siteUrl,
		webhookBase: stringOr( source.webhookBase, `${ siteUrl }/` ),
		version: stringOr( source.version, '' ),
		crmAccountUrl: withoutTrailingSlash(
			stringOr( source.crmAccountUrl, '' )
		),
		adminUrl: `${ withoutTrailingSlash(
			stringOr( source.adminUrl, `${ siteUrl }/wp-admin` )
		) }/`,
		bridge: {
			siteUrl: stringOr( bridge.siteUrl, siteUrl ),
		},
	};
}

/** Read on every call so that the panel (and tests) always see the current page values. */
export function adminConfig(): AdminConfig {
	return parseAdminConfig( window.pulseSyncAdmin );
}
