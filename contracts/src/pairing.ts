import { z } from 'zod/mini';
import { TextOrEmpty, TextOrNull, TrueOrFalse } from './lenient';

/** docs/architecture.md, "Pairing": the answers of the plugin's pairing routes. */

const NonEmpty = z.string().check( z.minLength( 1 ) );

/** `POST /pairing/code` (panel): a one-time code and the command a bridge pairs with. */
export const PairingCodeAnswer = z.object( {
	code: NonEmpty,
	expires_at: TextOrEmpty,
	command: NonEmpty,
} );
export type PairingCodeAnswer = z.infer< typeof PairingCodeAnswer >;

/** `GET /status` → `pairing` (plugin/includes/Bridge/PairedBridge.php `summary()`). */
const PairingSummaryFields = z.object( {
	/** True when the configured bridge URL is the one that paired. */
	paired: TrueOrFalse,
	bridge_url: TextOrNull,
	version: TextOrNull,
	paired_at: TextOrNull,
	last_seen_at: TextOrNull,
	/** While a re-pairing's overlap lasts, the previous secret is still accepted until then. */
	previous_secret_valid_until: TextOrNull,
} );

/** A plugin without pairing (or a garbled answer) reads as "not paired". */
export const PairingSummary = z.catch( PairingSummaryFields, () =>
	PairingSummaryFields.parse( {} )
);
export type PairingSummary = z.infer< typeof PairingSummary >;

/** `POST /pairing/exchange` (the bridge's `pair` command): the secret, never printed. */
export const PairingExchangeAnswer = z.object( {
	secret: NonEmpty,
	site_url: z.string(),
	previous_secret_valid_until: z._default( z.nullable( z.string() ), null ),
} );
export type PairingExchangeAnswer = z.infer< typeof PairingExchangeAnswer >;
