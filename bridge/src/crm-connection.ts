import type { CrmStatus } from '@pulse-sync/contracts';
import {
	CrmClient,
	CrmError,
	effectivePortalUrl,
	type CrmConfig,
	type PacerOptions,
} from './crm';
import { CrmPacers, type PaceShareFor } from './crm-pacers';
import type { TokenVault } from './crm-token-store';
import type { Logger } from './log';
import type { CrmCredentials } from './settings';

export type { CrmStatus };

/** Client tuning a caller may override (tests make the in-request retries short). */
export type CrmTuning = Pick<
	CrmConfig,
	'timeoutMs' | 'maxRetries' | 'retryBaseDelayMs' | 'retryMaxDelayMs'
>;

/**
 * Holds the CRM client built from the owner's credentials, rebuilt when they change, and the
 * last CRM failure for the status screen.
 */
export class CrmConnection {
	private current: { key: string; client: CrmClient } | null = null;
	private lastError: string | null = null;
	private readonly pacers: CrmPacers;

	/**
	 * @param vault    The site's CRM tokens.
	 * @param limits   The CRM concurrency and the owner's ceiling.
	 * @param logger   Where the client's events go.
	 * @param tuning   Client tuning (tests).
	 * @param shareFor Where an account's pace is kept when bridges share it.
	 */
	constructor(
		private readonly vault: TokenVault,
		limits: PacerOptions,
		private readonly logger: Logger,
		private readonly tuning: CrmTuning = {},
		shareFor?: PaceShareFor
	) {
		this.pacers = new CrmPacers( limits, shareFor );
	}

	/**
	 * Null when the owner has not entered the CRM credentials yet.
	 * @param credentials From the settings; null when not entered yet.
	 */
	client( credentials: CrmCredentials | null ): CrmClient | null {
		if ( credentials === null ) {
			return null;
		}
		const key = JSON.stringify( credentials );
		if ( this.current?.key !== key ) {
			// Tokens are kept for the portal they came from, whether typed or derived (so a
			// connection made when the plugin sent the derived URL still opens).
			const tokenKey = {
				...credentials,
				portalUrl: effectivePortalUrl(
					credentials.portalUrl,
					credentials.accountUrl
				),
			};
			const config: CrmConfig = {
				...this.tuning,
				accountUrl: credentials.accountUrl,
				clientId: credentials.clientId,
				clientSecret: credentials.clientSecret,
				// New credentials for the same account keep the pace the CRM taught.
				pacer: this.pacers.forAccount( credentials.accountUrl ),
				// The client names its events `crm.…` already.
				logger: ( event: string, data: Record< string, unknown > ) =>
					this.logger.log( 'info', event, data ),
				...( credentials.portalUrl !== '' && {
					portalUrl: credentials.portalUrl,
				} ),
			};
			this.current = {
				key,
				client: new CrmClient(
					config,
					this.vault.storeFor( tokenKey )
				),
			};
		}
		return this.current.client;
	}

	/**
	 * Forgets every CRM token the bridge holds, of the current account and of any earlier one
	 * (the client reads them from the store). The CRM API has no revoke endpoint, so deleting
	 * them is how Disconnect and Uninstall revoke the bridge's access.
	 * @return How many token pairs were deleted.
	 */
	async disconnect(): Promise< number > {
		const deleted = await this.vault.forgetAll();
		this.current = null;
		this.lastError = null;
		return deleted;
	}

	/**
	 * Passes `work` through, keeping the status screen's last CRM error current: a CRM failure
	 * is remembered, a success clears it, and other failures (WordPress) leave it alone.
	 * @param work A job attempt or a route's CRM call.
	 */
	async observe< T >( work: Promise< T > ): Promise< T > {
		try {
			const result = await work;
			this.lastError = null;
			return result;
		} catch ( error ) {
			this.noteFailure( error );
			throw error;
		}
	}

	private noteFailure( error: unknown ): void {
		if ( error instanceof CrmError ) {
			this.lastError = `${ error.code }: ${ error.message }`;
		}
	}

	async status( credentials: CrmCredentials | null ): Promise< CrmStatus > {
		const status: CrmStatus = {
			connected: false,
			account_url: credentials?.accountUrl ?? null,
			expires_at: null,
			last_error: this.lastError,
			pace: null,
		};
		try {
			const client = this.client( credentials );
			const expiresAt = ( await client?.tokenExpiresAt() ) ?? null;
			status.connected = ( await client?.isConnected() ) ?? false;
			status.pace = client?.pacer.snapshot() ?? null;
			status.expires_at =
				expiresAt === null ? null : new Date( expiresAt ).toISOString();
		} catch ( error ) {
			// A client that cannot be built (bad account URL) is "not connected", with the reason.
			this.noteFailure( error );
			status.last_error = this.lastError;
		}
		return status;
	}
}
