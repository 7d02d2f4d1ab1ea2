import { z } from 'zod/mini';
import { DeliveryAction, ResultStatus } from './delivery';

/** docs/architecture.md, "Bridge → plugin": `POST /wp-json/pulse-sync/v1/bridge/users`. */

export const UserWrite = z.object( {
	delivery_id: z.string(),
	action: DeliveryAction,
	contact_id: z.int(),
	email: z.nullable( z.string() ),
	/** Core user fields from the mapping: user_login, user_pass, first_name, … */
	user: z.record( z.string(), z.string() ),
	meta: z.record( z.string(), z.string() ),
	role: z.nullable( z.string() ),
	tags: z.array( z.int() ),
	send_notification: z.boolean(),
	generated_password: z.nullable( z.string() ),
} );
export type UserWrite = z.infer< typeof UserWrite >;

/** The plugin's answer for one write it made (or found already made). */
export const UserWriteAnswer = z.object( {
	status: ResultStatus,
	user_id: z._default( z.nullable( z.int() ), null ),
	password_used: z.boolean(),
	reason: z.catch( z.optional( z.string() ), undefined ),
} );
export type UserWriteAnswer = z.infer< typeof UserWriteAnswer >;

/** One write the plugin refused: `status` is an HTTP status, read as for a whole request. */
export const UserWriteRefusal = z.object( {
	error: z.object( {
		code: z.catch( z.nullable( z.string() ), null ),
		message: z.catch( z.nullable( z.string() ), null ),
		status: z.int(),
	} ),
} );
export type UserWriteRefusal = z.infer< typeof UserWriteRefusal >;

/** The batch's answer: one entry per write, in order; each entry is checked on its own. */
export const UserWriteBatchAnswer = z.object( {
	results: z.array( z.unknown() ),
} );
