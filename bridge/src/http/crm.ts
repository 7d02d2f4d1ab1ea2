import { AuthorizeRequest, CodeExchangeRequest } from '@pulse-sync/contracts';
import {
	CrmError,
	CrmUsageError,
	NotConnectedError,
	PermanentError,
	UnauthorizedError,
	type CrmClient,
	type CrmField,
	type CrmTag,
} from '../crm';
import type { CrmConnection } from '../crm-connection';
import { HttpError } from '../errors';
import type { BridgeSettings, SettingsSource } from '../settings';
import { WordPressError } from '../wordpress/client';
import { parseBody } from './input';
import type { Reply, Route } from './route';

// Field and tag lists change rarely; the panel's "refresh" asks with ?refresh=1.
const CATALOG_TTL_MS = 5 * 60_000;

/**
 * The CRM routes the panel uses through the plugin: authorize URL, OAuth exchange, disconnect,
 * fields, tags.
 * @param settings   Where the CRM credentials come from.
 * @param connection The CRM client holder.
 */
export function crmRoutes(
	settings: SettingsSource,
	connection: CrmConnection
): Route[] {
	const fields = new CatalogCache< CrmField >( ( client ) =>
		client.availableFields()
	);
	const tags = new CatalogCache< CrmTag >( ( client ) => client.listTags() );

	const withCrm = async < T >(
		work: ( client: CrmClient, current: BridgeSettings ) => Promise< T >,
		exchangingCode = false
	): Promise< T > => {
		const current = await loadSettings( settings );
		try {
			const client = connection.client( current.crm );
			if ( client === null ) {
				throw new HttpError(
					409,
					'crm_not_configured',
					'Enter the CRM account URL, client id and client secret first.'
				);
			}
			return await connection.observe( work( client, current ) );
		} catch ( error ) {
			throw crmHttpError( error, exchangingCode );
		}
	};

	return [
		{
			method: 'POST',
			path: '/v1/crm/oauth/exchange',
			signed: true,
			handle: async ( { body } ): Promise< Reply > => {
				const { code, redirect_uri: redirectUri } = parseBody(
					CodeExchangeRequest,
					body
				);
				const current = await withCrm( async ( client, loaded ) => {
					await client.exchangeCode( code, redirectUri );
					return loaded;
				}, true );
				return {
					status: 200,
					body: await connection.status( current.crm ),
				};
			},
		},
		{
			// The plugin's Connect button: the bridge owns the CRM's URLs (crm/urls.ts), so the
			// plugin asks here instead of deriving the portal itself.
			method: 'POST',
			path: '/v1/crm/authorize',
			signed: true,
			handle: async ( { body } ): Promise< Reply > => {
				const { redirect_uri: redirectUri, state } = parseBody(
					AuthorizeRequest,
					body
				);
				const authorizeUrl = await withCrm( async ( client ) =>
					client.authorizeUrl( redirectUri, state )
				);
				return { status: 200, body: { authorize_url: authorizeUrl } };
			},
		},
		{
			method: 'POST',
			path: '/v1/crm/disconnect',
			signed: true,
			handle: async (): Promise< Reply > => {
				// Tokens go first, before WordPress is asked for anything: Uninstall calls this
				// route while it deletes the settings, and must not depend on them.
				await connection.disconnect();
				fields.clear();
				tags.clear();
				const current = await loadSettings( settings );
				return {
					status: 200,
					body: await connection.status( current.crm ),
				};
			},
		},
		{
			method: 'GET',
			path: '/v1/crm/fields',
			signed: true,
			handle: async ( { query } ) => ( {
				status: 200,
				body: {
					fields: await withCrm( ( client, current ) =>
						fields.get(
							client,
							current,
							query.get( 'refresh' ) === '1'
						)
					),
				},
			} ),
		},
		{
			method: 'GET',
			path: '/v1/crm/tags',
			signed: true,
			handle: async ( { query } ) => ( {
				status: 200,
				body: {
					tags: await withCrm( ( client, current ) =>
						tags.get(
							client,
							current,
							query.get( 'refresh' ) === '1'
						)
					),
				},
			} ),
		},
	];
}

class CatalogCache< T > {
	private entry: { account: string; at: number; items: T[] } | null = null;

	constructor(
		private readonly fetch: ( client: CrmClient ) => Promise< T[] >
	) {}

	async get(
		client: CrmClient,
		current: BridgeSettings,
		refresh: boolean
	): Promise< T[] > {
		const account = current.crm?.accountUrl ?? '';
		const fresh =
			this.entry &&
			this.entry.account === account &&
			Date.now() - this.entry.at < CATALOG_TTL_MS;
		if ( refresh || ! fresh ) {
			this.entry = {
				account,
				at: Date.now(),
				items: await this.fetch( client ),
			};
		}
		return ( this.entry as { items: T[] } ).items;
	}

	clear(): void {
		this.entry = null;
	}
}

/**
 * The settings, or a 502 saying WordPress could not provide them.
 * @param settings The settings cache.
 */
export async function loadSettings(
	settings: SettingsSource
): Promise< BridgeSettings > {
	try {
		return await settings.current();
	} catch ( error ) {
		if ( error instanceof WordPressError ) {
			throw new HttpError(
				502,
				'settings_unavailable',
				`Could not load the settings from WordPress: ${ error.message }`
			);
		}
		throw error;
	}
}

export function crmHttpError(
	error: unknown,
	exchangingCode: boolean
): unknown {
	if ( ! ( error instanceof CrmError ) ) {
		return error;
	}
	if ( exchangingCode && ! error.retryable ) {
		// A used or expired code, a wrong redirect URI or client secret: the owner starts over.
		return new HttpError(
			400,
			'crm_refused',
			`The CRM refused the authorization: ${ error.message }`
		);
	}
	if ( error instanceof CrmUsageError ) {
		return new HttpError(
			409,
			'crm_misconfigured',
			`The CRM settings are not usable: ${ error.message }`
		);
	}
	if (
		error instanceof NotConnectedError ||
		error instanceof UnauthorizedError
	) {
		return new HttpError(
			409,
			'crm_not_connected',
			'The bridge is not connected to the CRM; connect it from the Pulse Sync settings.'
		);
	}
	if ( error instanceof PermanentError ) {
		return new HttpError(
			400,
			'crm_refused',
			`The CRM refused the request: ${ error.message }`
		);
	}
	return new HttpError(
		503,
		'crm_unavailable',
		`The CRM is not answering right now: ${ error.message }`
	);
}
