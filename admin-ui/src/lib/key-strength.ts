/**
 * Access key strength as the panel estimates it before the key is saved (the server has the last
 * word with its `weak` flag). The reference plugin generated 8 hex characters, about 32 bits; ours
 * are 32 hex characters, 128 bits, and anything below that is flagged.
 */
export const MIN_KEY_LENGTH = 32;

/** What the plugin accepts as a pasted key (docs/architecture.md, `POST /access-key`). */
const ACCEPTED_KEY = /^[A-Za-z0-9_-]{8,128}$/;

export function isAcceptedKeyFormat( key: string ): boolean {
	return ACCEPTED_KEY.test( key );
}

export const MIN_KEY_BITS = 128;

const CHARACTER_CLASSES: Array< { pattern: RegExp; size: number } > = [
	{ pattern: /[a-z]/, size: 26 },
	{ pattern: /[A-Z]/, size: 26 },
	{ pattern: /[0-9]/, size: 10 },
	{ pattern: /[^a-zA-Z0-9]/, size: 33 },
];

const DIGITS_ALPHABET_SIZE = 10;
const HEX_ALPHABET_SIZE = 16;

/**
 * The smallest usual alphabet the key fits in: digits, hex (generated keys), or character classes.
 * @param key
 */
function alphabetSize( key: string ): number {
	if ( /^[0-9]+$/.test( key ) ) {
		return DIGITS_ALPHABET_SIZE;
	}
	if ( /^[0-9a-f]+$/i.test( key ) ) {
		return HEX_ALPHABET_SIZE;
	}
	return CHARACTER_CLASSES.filter( ( { pattern } ) =>
		pattern.test( key )
	).reduce( ( sum, { size } ) => sum + size, 0 );
}

/**
 * Upper bound of the randomness in `key`, assuming each character was drawn uniformly.
 * @param key The access key.
 */
export function estimateKeyBits( key: string ): number {
	return key === '' ? 0 : key.length * Math.log2( alphabetSize( key ) );
}

export function isWeakAccessKey( key: string ): boolean {
	return key.length < MIN_KEY_LENGTH || estimateKeyBits( key ) < MIN_KEY_BITS;
}
