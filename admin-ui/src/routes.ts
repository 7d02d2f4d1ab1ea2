/** The panel's screens, in tab order; the hash `#/<name>` selects one. */
export const SCREEN_NAMES = [
	'webhooks',
	'return-password',
	'crm',
	'import',
	'bulk-import',
	'mapping',
	'status',
	'deliveries',
] as const;

export type ScreenName = ( typeof SCREEN_NAMES )[ number ];

const DEFAULT_SCREEN: ScreenName = 'webhooks';

/** Notice ids of the plugin's OAuth callback (`Admin/OAuthCallback.php`). */
const OAUTH_NOTICE_PREFIX = 'crm_';

function isScreenName( value: string ): value is ScreenName {
	return ( SCREEN_NAMES as readonly string[] ).includes( value );
}

/**
 * The screen to open for this page address: the hash wins; coming back from the CRM's OAuth
 * consent page opens the CRM connection screen: the plugin finishes OAuth and redirects to the panel
 * with `pulse_sync_notice=crm_…` (it prints that notice itself).
 * @param location        The page address.
 * @param location.hash   `#/<screen>`, or empty.
 * @param location.search The query string.
 */
export function screenFromLocation( location: {
	hash: string;
	search: string;
} ): ScreenName {
	const fromHash = location.hash.replace( /^#\/?/, '' );
	if ( isScreenName( fromHash ) ) {
		return fromHash;
	}
	const notice = new URLSearchParams( location.search ).get(
		'pulse_sync_notice'
	);
	if ( notice?.startsWith( OAUTH_NOTICE_PREFIX ) ) {
		return 'crm';
	}
	return DEFAULT_SCREEN;
}

export function hashFor( screen: ScreenName ): string {
	return `#/${ screen }`;
}
