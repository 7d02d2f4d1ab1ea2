import { z } from 'zod/mini';
import { boundedString } from './text';

/** docs/architecture.md, "Plugin → bridge": the CRM routes the panel reaches through the plugin. */

/** `POST /v1/crm/authorize`: the bridge builds the CRM's authorize URL (it owns the CRM's URLs). */
export const AuthorizeRequest = z.object(
	{
		redirect_uri: boundedString( 2048 ),
		state: boundedString( 128 ),
	},
	{ error: 'a JSON object' }
);
export type AuthorizeRequest = z.infer< typeof AuthorizeRequest >;

/** `POST /v1/crm/oauth/exchange`: the code the CRM's consent page sent back. */
export const CodeExchangeRequest = z.object(
	{
		code: boundedString( 2048 ),
		redirect_uri: boundedString( 2048 ),
	},
	{ error: 'a JSON object' }
);
export type CodeExchangeRequest = z.infer< typeof CodeExchangeRequest >;
