import {
	ContactNotFoundError,
	CrmUsageError,
	NotConnectedError,
	UnauthorizedError,
} from './errors';
import { encodeForm, type FormFields } from './form';
import { CrmTransport, type HttpRequest } from './http';
import { CrmPacer } from './pacer';
import { OAuthSession, TokenEndpoint } from './oauth';
import { collectPages, fetchPage, type ListPage } from './paginate';
import { parseContact, parseFields, parseIdRow, parseTag } from './parse';
import type {
	CrmConfig,
	CrmContact,
	CrmField,
	CrmTag,
	TokenStore,
} from './types';
import { apiBaseUrl, effectivePortalUrl } from './urls';

export const CRM_DEFAULTS = {
	timeoutMs: 15000,
	maxRetries: 3,
	concurrency: 64,
	retryBaseDelayMs: 500,
	retryMaxDelayMs: 30000,
	refreshSkewMs: 60000,
} as const;

interface ApiCall {
	method: HttpRequest[ 'method' ];
	path: string;
	form?: FormFields;
}

function contactPath( id: number, suffix = '' ): string {
	if ( ! Number.isInteger( id ) || id <= 0 ) {
		throw new CrmUsageError( 'A contact id must be a positive integer.' );
	}
	return `contacts/${ id }${ suffix }`;
}

export type TagQuery = { tagId: number } | { tagName: string };

function taggedPath( query: TagQuery ): string {
	const filter: Record< string, string > =
		'tagId' in query
			? { tag_id: String( query.tagId ) }
			: { tag_name: query.tagName };
	return `contacts/tagged/?${ new URLSearchParams( filter ) }`;
}

/**
 * The PulseTechnologyCRM API as the bridge uses it (spec/pulse-crm-api.md). One instance per
 * account: its pacer (shared with any other client of the account, see `CrmConfig.pacer`) and
 * its token refresh are shared by every caller.
 */
export class CrmClient {
	private readonly apiBase: string;
	private readonly portalUrl: string;
	private readonly transport: CrmTransport;
	private readonly session: OAuthSession;
	/** The pace of this account's requests, for the status screen. */
	readonly pacer: CrmPacer;

	constructor(
		private readonly config: CrmConfig,
		private readonly tokens: TokenStore
	) {
		const logger = config.logger ?? ( () => {} );
		this.apiBase = apiBaseUrl( config.accountUrl );
		this.portalUrl = effectivePortalUrl(
			config.portalUrl ?? '',
			config.accountUrl
		);
		this.pacer =
			config.pacer ??
			new CrmPacer( {
				concurrency: config.concurrency ?? CRM_DEFAULTS.concurrency,
				ceiling: config.maxRequestsPerSecond ?? null,
			} );
		this.transport = new CrmTransport( this.pacer, {
			timeoutMs: config.timeoutMs ?? CRM_DEFAULTS.timeoutMs,
			maxRetries: config.maxRetries ?? CRM_DEFAULTS.maxRetries,
			retryBaseDelayMs:
				config.retryBaseDelayMs ?? CRM_DEFAULTS.retryBaseDelayMs,
			retryMaxDelayMs:
				config.retryMaxDelayMs ?? CRM_DEFAULTS.retryMaxDelayMs,
			logger,
		} );
		const endpoint = new TokenEndpoint( this.transport, {
			portalUrl: this.portalUrl,
			clientId: config.clientId,
			clientSecret: config.clientSecret,
		} );
		this.session = new OAuthSession(
			endpoint,
			tokens,
			config.refreshSkewMs ?? CRM_DEFAULTS.refreshSkewMs,
			logger
		);
	}

	/* Connection ------------------------------------------------------------------------------- */

	authorizeUrl( redirectUri: string, state: string ): string {
		const query = new URLSearchParams( {
			client_id: this.config.clientId,
			redirect_uri: redirectUri,
			response_type: 'code',
			scope: '',
			state,
		} );
		return `${ this.portalUrl }/oauth/authorize?${ query }`;
	}

	exchangeCode( code: string, redirectUri: string ): Promise< void > {
		return this.session.connect( code, redirectUri );
	}

	async isConnected(): Promise< boolean > {
		return ( await this.tokens.load() ) !== null;
	}

	async tokenExpiresAt(): Promise< number | null > {
		return ( await this.tokens.load() )?.expiresAt ?? null;
	}

	/* Reading ------------------------------------------------------------------------------------ */

	listTags(): Promise< CrmTag[] > {
		return collectPages(
			'tags',
			( path ) => this.getJson( path ),
			parseTag
		);
	}

	async availableFields(): Promise< CrmField[] > {
		return parseFields( await this.getJson( 'contact/available-fields' ) );
	}

	async getContact( id: number ): Promise< CrmContact > {
		return parseContact(
			await this.forContact( id, () => this.getJson( contactPath( id ) ) )
		);
	}

	/** All pages; throws on any failure (never `[]` for "could not load"). */
	getContactTags( id: number ): Promise< CrmTag[] > {
		return this.forContact( id, () =>
			collectPages(
				contactPath( id, '/tags' ),
				( path ) => this.getJson( path ),
				parseTag
			)
		);
	}

	contactsByTag( query: TagQuery ): Promise< number[] > {
		return collectPages(
			taggedPath( query ),
			( path ) => this.getJson( path ),
			parseIdRow
		);
	}

	/** One page of `contacts/tagged/` (an import walks them one at a time, see imports/). */
	contactsByTagPage(
		query: TagQuery,
		page: number
	): Promise< ListPage< number > > {
		return fetchPage(
			taggedPath( query ),
			page,
			( path ) => this.getJson( path ),
			parseIdRow
		);
	}

	/* Writing ------------------------------------------------------------------------------------ */

	async updateContact(
		id: number,
		fields: Record< string, string >
	): Promise< void > {
		await this.forContact( id, () =>
			this.call( {
				method: 'PUT',
				path: contactPath( id ),
				form: fields,
			} )
		);
	}

	/* Plumbing ----------------------------------------------------------------------------------- */

	/** Names the contact in a not-found error, so logs say which one was missing. */
	private async forContact< T >(
		id: number,
		run: () => Promise< T >
	): Promise< T > {
		try {
			return await run();
		} catch ( error ) {
			if (
				error instanceof ContactNotFoundError &&
				error.contactId === undefined
			) {
				throw new ContactNotFoundError( id );
			}
			throw error;
		}
	}

	private getJson( path: string ): Promise< unknown > {
		return this.call( { method: 'GET', path } );
	}

	/** One API call with a valid token; on a 401 it refreshes once and tries once more. */
	private async call( call: ApiCall ): Promise< unknown > {
		const token = await this.session.accessToken();
		try {
			return await this.send( call, token );
		} catch ( error ) {
			if ( ! ( error instanceof UnauthorizedError ) ) {
				throw error;
			}
		}
		const fresh = await this.session.accessTokenAfterRejection( token );
		try {
			return await this.send( call, fresh );
		} catch ( error ) {
			if ( error instanceof UnauthorizedError ) {
				throw new NotConnectedError(
					'The CRM refuses the bridge even with fresh tokens; connect the CRM again.',
					401
				);
			}
			throw error;
		}
	}

	private async send( call: ApiCall, token: string ): Promise< unknown > {
		const headers: Record< string, string > = {
			accept: 'application/json',
			authorization: `Bearer ${ token }`,
		};
		if ( call.form ) {
			headers[ 'content-type' ] = 'application/x-www-form-urlencoded';
		}
		const response = await this.transport.send( {
			method: call.method,
			url: `${ this.apiBase }${ call.path }`,
			headers,
			body: call.form ? encodeForm( call.form ) : undefined,
			// Every API call the bridge makes (GET, the Return Password PUT) may be repeated.
			idempotent: true,
			label: call.path.split( '?' )[ 0 ] as string,
		} );
		return response.body;
	}
}
