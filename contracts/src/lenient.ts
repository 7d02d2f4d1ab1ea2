import { z } from 'zod/mini';

/**
 * Readers for the answers the panel shows (the plugin's and, through it, a bridge that may be
 * older or newer): a missing or mistyped value becomes its fallback instead of failing the whole
 * answer, so one odd field never blanks a screen.
 */

/** A non-empty string, or null. */
export const TextOrNull = z.catch(
	z.nullable( z.string().check( z.minLength( 1 ) ) ),
	null
);

/** A string ('' when missing). */
export const TextOrEmpty = z.catch( z.string(), '' );

/** A number, or null. */
export const NumberOrNull = z.catch( z.nullable( z.number() ), null );

/** True only when the answer says `true`. */
export const TrueOrFalse = z.catch( z.boolean(), false );
