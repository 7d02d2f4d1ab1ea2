import { SignatureError, Signer } from '../src/signature';
import { SiteLink } from '../src/site-link';
import { WordPressError } from '../src/wordpress/client';

const secret = ( fill: number ) =>
	`whsec_${ Buffer.alloc( 32, fill ).toString( 'base64' ) }`;
const NEW = secret( 1 );
const OLD = secret( 2 );
const REQUEST = {
	method: 'POST',
	path: '/v1/deliveries',
	query: new URLSearchParams(),
	body: 'body',
};
// What the plugin sends: a fresh webhook-id each time.
const headersOf = ( key: string ) =>
	new Signer( [ key ], 'plugin' ).sign( REQUEST );

describe( 'SiteLink', () => {
	it( 'accepts the previous secret only until its overlap ends, and signs with the current one', () => {
		let now = 1_000_000;
		const link = new SiteLink(
			{
				siteUrl: 'https://site.example',
				secrets: [ NEW, OLD ],
				previousSecretUntil: 1_000_000 + 600_000,
			},
			() => now
		);
		expect( () => link.verify( REQUEST, headersOf( OLD ) ) ).not.toThrow();
		expect( () => link.verify( REQUEST, headersOf( NEW ) ) ).not.toThrow();
		const signed = link.sign( REQUEST );
		expect( () =>
			new Signer( [ NEW ], 'plugin' ).verify( REQUEST, signed )
		).not.toThrow();
		expect( () =>
			new Signer( [ OLD ], 'plugin' ).verify( REQUEST, signed )
		).toThrow( SignatureError );
		now += 600_000;
		expect( () => link.verify( REQUEST, headersOf( OLD ) ) ).toThrow(
			SignatureError
		);
		expect( link.storageSecrets() ).toEqual( [ NEW, OLD ] );
	} );

	it( 'refuses to sign or verify until paired, then follows an update', () => {
		const link = new SiteLink( {
			siteUrl: null,
			secrets: [],
			previousSecretUntil: null,
		} );
		expect( link.isPaired() ).toBe( false );
		expect( () => link.sign( REQUEST ) ).toThrow( WordPressError );
		expect( () => link.siteUrl() ).toThrow( /not paired/ );
		expect( () => link.verify( REQUEST, headersOf( NEW ) ) ).toThrow(
			SignatureError
		);
		link.update( {
			siteUrl: 'https://site.example',
			secrets: [ NEW ],
			previousSecretUntil: null,
		} );
		expect( link.isPaired() ).toBe( true );
		expect( link.siteUrl() ).toBe( 'https://site.example' );
		expect( () => link.verify( REQUEST, headersOf( NEW ) ) ).not.toThrow();
	} );
} );
