import type { MappingRow } from './mapping';
import { WordPressError, type WordPressClient } from './wordpress/client';

/** What the owner set in WordPress, as `GET /bridge/settings` serves it to the bridge. */
export interface BridgeSettings {
	rev: string;
	fieldMapping: MappingRow[];
	returnPassword: { enabled: boolean; field: string };
	/** Null until the owner entered an account URL and client credentials. */
	crm: CrmCredentials | null;
	/** The daily reconciliation (imports/reconciler.ts); off by default. */
	reconcile: { enabled: boolean; tagIds: number[] };
}

export interface CrmCredentials {
	accountUrl: string;
	/** '' = derived from the account URL by the CRM client. */
	portalUrl: string;
	clientId: string;
	clientSecret: string;
}

/**
 * The settings cached by revision. Every plugin request says which revision it has
 * (`x-pulse-sync-settings-rev`); a different one makes the next `current()` fetch again.
 */
export class SettingsSource {
	private cached: BridgeSettings | null = null;
	private stale = true;
	private loading: Promise< BridgeSettings > | null = null;

	constructor(
		private readonly wordpress: Pick< WordPressClient, 'fetchSettings' >
	) {}

	noteRev( rev: string | undefined ): void {
		if ( rev !== undefined && rev !== this.cached?.rev ) {
			this.stale = true;
		}
	}

	/** Concurrent callers share one fetch; a failed fetch is not cached. */
	async current(): Promise< BridgeSettings > {
		if ( this.cached && ! this.stale ) {
			return this.cached;
		}
		this.loading ??= this.load().finally( () => {
			this.loading = null;
		} );
		return this.loading;
	}

	private async load(): Promise< BridgeSettings > {
		// Cleared before the fetch: a rev noted while it runs makes the next call fetch again.
		this.stale = false;
		try {
			this.cached = parseSettings( await this.wordpress.fetchSettings() );
		} catch ( error ) {
			this.stale = true;
			throw error;
		}
		return this.cached;
	}
}

/**
 * Validates the settings answer; throws a retryable WordPressError naming the bad part.
 * @param json The decoded answer of GET /bridge/settings.
 */
export function parseSettings( json: unknown ): BridgeSettings {
	const body = asObject( json, 'the answer' );
	const rev = body.rev;
	if ( typeof rev !== 'string' && typeof rev !== 'number' ) {
		throw invalid( 'rev' );
	}
	const mapping = body.field_mapping;
	if ( ! Array.isArray( mapping ) ) {
		throw invalid( 'field_mapping' );
	}
	const fieldMapping = mapping.map( ( row, index ) => {
		const { wp, crm } = asObject( row, `field_mapping[${ index }]` );
		if (
			typeof wp !== 'string' ||
			typeof crm !== 'string' ||
			wp === '' ||
			crm === ''
		) {
			throw invalid( `field_mapping[${ index }]` );
		}
		return { wp, crm };
	} );
	const returnPassword = asObject( body.return_password, 'return_password' );
	if (
		typeof returnPassword.enabled !== 'boolean' ||
		typeof returnPassword.field !== 'string'
	) {
		throw invalid( 'return_password' );
	}
	const crm = asObject( body.crm, 'crm' );
	const text = ( key: string ): string => {
		const value = crm[ key ] ?? '';
		if ( typeof value !== 'string' ) {
			throw invalid( `crm.${ key }` );
		}
		return value.trim();
	};
	const credentials: CrmCredentials = {
		accountUrl: text( 'account_url' ),
		portalUrl: text( 'portal_url' ),
		clientId: text( 'client_id' ),
		clientSecret: text( 'client_secret' ),
	};
	return {
		rev: String( rev ),
		fieldMapping,
		reconcile: parseReconcile( body.reconcile ),
		returnPassword: {
			enabled: returnPassword.enabled,
			field: returnPassword.field.trim(),
		},
		crm:
			credentials.accountUrl &&
			credentials.clientId &&
			credentials.clientSecret
				? credentials
				: null,
	};
}

// Absent from a plugin older than the reconciliation: off.
function parseReconcile( value: unknown ): BridgeSettings[ 'reconcile' ] {
	if ( value === undefined ) {
		return { enabled: false, tagIds: [] };
	}
	const { enabled, tag_ids: tagIds } = asObject( value, 'reconcile' );
	if (
		typeof enabled !== 'boolean' ||
		! Array.isArray( tagIds ) ||
		! tagIds.every( ( id ) => Number.isSafeInteger( id ) && id > 0 )
	) {
		throw invalid( 'reconcile' );
	}
	return { enabled, tagIds: tagIds as number[] };
}

function asObject( value: unknown, what: string ): Record< string, unknown > {
	if (
		value === null ||
		typeof value !== 'object' ||
		Array.isArray( value )
	) {
		throw invalid( what );
	}
	return value as Record< string, unknown >;
}

function invalid( what: string ): WordPressError {
	return new WordPressError(
		'settings_invalid',
		`WordPress sent bridge settings with an invalid ${ what }.`,
		true
	);
}
