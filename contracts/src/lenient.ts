import { z } from 'zod';

/**
 * Readers for the answers the panel shows (the plugin's and, through it, a bridge that may be
 * older or newer): a missing or mistyped value becomes its fallback instead of failing the whole
 * answer, so one odd field never blanks a screen.
 */

/** A non-empty string, or null. */
export const TextOrNull = z.string().min( 1 ).nullable().catch( null );

/** A string ('' when missing). */
export const TextOrEmpty = z.string().catch( '' );

/** A number, or null. */
export const NumberOrNull = z.number().nullable().catch( null );

/** True only when the answer says `true`. */
export const TrueOrFalse = z.boolean().catch( false );
