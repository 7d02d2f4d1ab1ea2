import {
	BridgeSettingsAnswer,
	type FieldMappingRow,
} from '@pulse-sync/contracts';
import { WordPressError, type WordPressClient } from './wordpress/client';

/** What the owner set in WordPress, as `GET /bridge/settings` serves it to the bridge. */
export interface BridgeSettings {
	rev: string;
	fieldMapping: FieldMappingRow[];
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
	const parsed = BridgeSettingsAnswer.safeParse( json );
	if ( ! parsed.success ) {
		throw invalid( issuePath( parsed.error.issues[ 0 ]?.path ?? [] ) );
	}
	const {
		rev,
		field_mapping: fieldMapping,
		return_password: returnPassword,
		reconcile,
		crm,
	} = parsed.data;
	const credentials: CrmCredentials = {
		accountUrl: crm.account_url,
		portalUrl: crm.portal_url,
		clientId: crm.client_id,
		clientSecret: crm.client_secret,
	};
	return {
		rev,
		fieldMapping,
		reconcile: { enabled: reconcile.enabled, tagIds: reconcile.tag_ids },
		returnPassword,
		crm:
			credentials.accountUrl &&
			credentials.clientId &&
			credentials.clientSecret
				? credentials
				: null,
	};
}

/**
 * `field_mapping[0].wp`, `crm.client_id`, or "the answer" for the whole body.
 * @param path The failing issue's path.
 */
function issuePath( path: readonly PropertyKey[] ): string {
	return path.length === 0
		? 'the answer'
		: path
				.map( ( key, index ) =>
					typeof key === 'number'
						? `[${ key }]`
						: `${ index === 0 ? '' : '.' }${ String( key ) }`
				)
				.join( '' );
}

function invalid( what: string ): WordPressError {
	return new WordPressError(
		'settings_invalid',
		`WordPress sent bridge settings with an invalid ${ what }.`,
		true
	);
}
