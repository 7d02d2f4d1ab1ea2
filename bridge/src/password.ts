import { randomInt } from 'node:crypto';

// No l, I, O, 0 or 1: owners read these passwords aloud and retype them.
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
// No quotes, ampersands, angle brackets, spaces or backslashes: the password lands in a CRM
// merge field of a welcome email (HTML and plain text) and must survive copy-paste.
const SYMBOLS = '!#%*+-=?@_';
const CLASSES = [ LOWER, UPPER, DIGITS, SYMBOLS ];
const ALPHABET = CLASSES.join( '' );

export const GENERATED_PASSWORD_LENGTH = 24;

/**
 * A random password with at least one character of each class, from a CSPRNG.
 * @param length Number of characters.
 */
export function generatePassword(
	length: number = GENERATED_PASSWORD_LENGTH
): string {
	const chars = CLASSES.map( pick );
	while ( chars.length < length ) {
		chars.push( pick( ALPHABET ) );
	}
	// Fisher–Yates, so the guaranteed characters are not always in front.
	for ( let i = chars.length - 1; i > 0; i-- ) {
		const j = randomInt( i + 1 );
		[ chars[ i ], chars[ j ] ] = [
			chars[ j ] as string,
			chars[ i ] as string,
		];
	}
	return chars.join( '' );
}

function pick( alphabet: string ): string {
	return alphabet[ randomInt( alphabet.length ) ] as string;
}
