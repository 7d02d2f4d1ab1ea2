import { HttpError } from '../http/errors';

export const WEBHOOK_FORMATS = [ 'json', 'form', 'get' ] as const;
export type WebhookFormat = ( typeof WEBHOOK_FORMATS )[ number ];

/** A workflow rule ("when tag X is applied, call URL") or a global webhook ("any contact edited"). */
export type WebhookRule =
	| {
			id: number;
			trigger: 'tag_applied';
			tag_id: number;
			url: string;
			format: WebhookFormat;
	  }
	| {
			id: number;
			trigger: 'contact_updated';
			url: string;
			format: WebhookFormat;
	  };

export type WebhookRuleInput =
	| {
			trigger: 'tag_applied';
			tag_id: number;
			url: string;
			format: WebhookFormat;
	  }
	| { trigger: 'contact_updated'; url: string; format: WebhookFormat };

/** Validates a rule from JSON (control API) or a form (web UI: all values are strings). */
export function parseWebhookRule(
	input: Record< string, unknown >,
	tagExists: ( id: number ) => boolean
): WebhookRuleInput {
	const { trigger, url } = input;
	const format = input.format ?? 'json';
	if ( typeof url !== 'string' || ! /^https?:\/\//i.test( url ) ) {
		throw new HttpError( 400, {
			error: 'url must be an absolute http(s) URL.',
		} );
	}
	try {
		new URL( url );
	} catch {
		throw new HttpError( 400, {
			error: 'url must be an absolute http(s) URL.',
		} );
	}
	if ( ! WEBHOOK_FORMATS.includes( format as WebhookFormat ) ) {
		throw new HttpError( 400, {
			error: `format must be one of ${ WEBHOOK_FORMATS.join( ', ' ) }.`,
		} );
	}
	if ( trigger === 'contact_updated' ) {
		return { trigger, url, format: format as WebhookFormat };
	}
	if ( trigger !== 'tag_applied' ) {
		throw new HttpError( 400, {
			error: 'trigger must be tag_applied or contact_updated.',
		} );
	}
	const tagId = Number( input.tag_id );
	if ( ! Number.isInteger( tagId ) || ! tagExists( tagId ) ) {
		throw new HttpError( 400, {
			error: 'tag_id must be the id of an existing tag.',
		} );
	}
	return { trigger, tag_id: tagId, url, format: format as WebhookFormat };
}

/** Access keys live in webhook URLs; the report shows where a webhook went, never the key. */
export function redactUrl( url: string ): string {
	return url.replace( /([?&]access_key=)[^&#]*/gi, '$1[redacted]' );
}

/** Appends `contact_id` with `?` or `&`, whichever the URL the owner typed needs. */
export function appendContactId( url: string, contactId: number ): string {
	const hashAt = url.indexOf( '#' );
	const base = hashAt === -1 ? url : url.slice( 0, hashAt );
	const fragment = hashAt === -1 ? '' : url.slice( hashAt );
	return `${ base }${ querySeparator( base ) }contact_id=${ contactId }${ fragment }`;
}

/** What joins one more parameter to a URL: `?`, `&`, or nothing after a trailing `?`/`&`. */
function querySeparator( url: string ): string {
	if ( ! url.includes( '?' ) ) {
		return '?';
	}
	return url.endsWith( '?' ) || url.endsWith( '&' ) ? '' : '&';
}
