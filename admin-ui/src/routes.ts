/** The panel's screens, in tab order; the hash `#/<name>` selects one. */
export const SCREEN_NAMES = [
	'webhooks',
	'return-password',
	'crm',
	'import',
	'mapping',
	'status',
	'deliveries',
] as const;

export type ScreenName = ( typeof SCREEN_NAMES )[ number ];

const DEFAULT_SCREEN: ScreenName = 'webhooks';

function isScreenName( value: string ): value is ScreenName {
	return ( SCREEN_NAMES as readonly string[] ).includes( value );
}

/**
 * The screen to open for this page address: the hash wins; coming back from the CRM's OAuth
 * consent page (`pulse_sync_oauth` in the query) opens the CRM connection screen.
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
	if ( new URLSearchParams( location.search ).has( 'pulse_sync_oauth' ) ) {
		return 'crm';
	}
	return DEFAULT_SCREEN;
}

export function hashFor( screen: ScreenName ): string {
	return `#/${ screen }`;
}
