import { z } from 'zod/mini';
import { NumberOrNull, TextOrNull } from './lenient';

/**
 * The body of a refusal from a WordPress REST route: `{"code","message","data":{"status"}}`
 * (`WP_Error` as `rest_convert_error_to_response` encodes it). Read by the bridge (its calls to
 * the plugin, `pair`) and the panel; any field may be missing from a proxy's or a PHP error page.
 */
export const WordPressErrorBody = z.catch(
	z.object( {
		code: TextOrNull,
		message: TextOrNull,
		data: z.catch( z.object( { status: NumberOrNull } ), { status: null } ),
		/** The bridge's own refusal is `{"error","message"}`, should one be passed on as it came. */
		error: TextOrNull,
	} ),
	{
		code: null,
		message: null,
		data: { status: null },
		error: null,
	}
);
export type WordPressErrorBody = z.infer< typeof WordPressErrorBody >;
