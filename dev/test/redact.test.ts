/** No secret from a URL survives into a log line. */
import { redactLine } from '../src/redact';

const KEY = '08431f74b6368185e28c5a4531ce4e58';

function requestLine( query: string ): string {
	return `[Sat Nov 28 20:31:54 2026] 127.0.0.1:50012 [200]: GET /?${ query }`;
}

test( 'the access key in a php -S request line is redacted, the rest kept', () => {
	const redacted = redactLine(
		requestLine( `wpf_action=add&access_key=${ KEY }&contact_id=1` )
	);
	expect( redacted ).not.toContain( KEY );
	expect( redacted ).toContain(
		'wpf_action=add&access_key=[redacted]&contact_id=1'
	);
} );

test( 'OAuth codes, secrets and passwords are redacted too', () => {
	const redacted = redactLine(
		'GET /admin.php?page=pulse-sync&code=abc123&state=s1 client_secret=xyz pwd=hunter2'
	);
	expect( redacted ).toBe(
		'GET /admin.php?page=pulse-sync&code=[redacted]&state=s1 client_secret=[redacted] pwd=[redacted]'
	);
} );

// Regression: only the literal `access_key=` was redacted, so `access_key[]=KEY` (which the
// listener reads as the key, then refuses as an array) reached the request log in clear.
test.each( [
	[ 'array brackets', `access_key[]=${ KEY }` ],
	[ 'indexed array', `access_key[0]=${ KEY }` ],
	[ 'encoded brackets', `access_key%5B%5D=${ KEY }` ],
	[ 'encoded underscore', `access%5Fkey=${ KEY }` ],
	[ 'encoded letter', `%61ccess_key=${ KEY }` ],
	[ 'double-encoded underscore', `access%255Fkey=${ KEY }` ],
	[ 'upper case', `ACCESS_KEY=${ KEY }` ],
	[ 'dot, as PHP reads it', `access.key=${ KEY }` ],
	[ 'plus as a space, as PHP reads it', `access+key=${ KEY }` ],
	[ 'unclosed bracket, as PHP reads it', `access[key=${ KEY }` ],
] )(
	'access_key[]=KEY and every other spelling of the key is redacted: %s',
	( _label, parameter ) => {
		const redacted = redactLine(
			requestLine( `wpf_action=test&${ parameter }&contact_id=1` )
		);
		expect( redacted ).not.toContain( KEY );
		expect( redacted ).toContain( 'wpf_action=test&' );
		expect( redacted ).toContain( '=[redacted]&contact_id=1' );
	}
);

test( 'the whole value goes, however it is encoded', () => {
	const encoded = KEY.replace(
		/./g,
		( c ) => `%${ c.charCodeAt( 0 ).toString( 16 ) }`
	);
	const redacted = redactLine( requestLine( `access_key=${ encoded }` ) );
	expect( redacted ).toBe( requestLine( 'access_key=[redacted]' ) );
} );

test( 'names that merely contain a secret name are kept', () => {
	const line = requestLine(
		'wpf_action=add&my_access_key_hint=abc&zipcode=12345&contact_id=7&access_key='
	);
	expect( redactLine( line ) ).toBe( line );
} );
