import { z } from 'zod';
import { DeliveryAction, ResultStatus } from './delivery';

/** docs/architecture.md, "Bridge → plugin": `POST /wp-json/pulse-sync/v1/bridge/users`. */

export const UserWrite = z.object( {
	delivery_id: z.string(),
	action: DeliveryAction,
	contact_id: z.number().int(),
	email: z.string().nullable(),
	/** Core user fields from the mapping: user_login, user_pass, first_name, … */
	user: z.record( z.string(), z.string() ),
	meta: z.record( z.string(), z.string() ),
	role: z.string().nullable(),
	tags: z.array( z.number().int() ),
	send_notification: z.boolean(),
	generated_password: z.string().nullable(),
} );
export type UserWrite = z.infer< typeof UserWrite >;

/** The plugin's answer for one write it made (or found already made). */
export const UserWriteAnswer = z.object( {
	status: ResultStatus,
	user_id: z.number().int().nullable().default( null ),
	password_used: z.boolean(),
	reason: z.string().optional().catch( undefined ),
} );
export type UserWriteAnswer = z.infer< typeof UserWriteAnswer >;

/** One write the plugin refused: `status` is an HTTP status, read as for a whole request. */
export const UserWriteRefusal = z.object( {
	error: z.object( {
		code: z.string().nullable().catch( null ),
		message: z.string().nullable().catch( null ),
		status: z.number().int(),
	} ),
} );
export type UserWriteRefusal = z.infer< typeof UserWriteRefusal >;

/** The batch's answer: one entry per write, in order; each entry is checked on its own. */
export const UserWriteBatchAnswer = z.object( {
	results: z.array( z.unknown() ),
} );
