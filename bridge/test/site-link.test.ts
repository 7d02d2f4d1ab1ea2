import { SignatureError, Signer } from '../src/signature';
import { SiteLink } from '../src/site-link';
import { WordPressError } from '../src/wordpress/client';

const secret = ( fill: number ) =>
	`whsec_${ Buffer.alloc( 32, fill ).toString( 'base64' ) }`;
const NEW = secret( 1 );
const OLD = secret( 2 );
const headersOf = ( key: string ) => new Signer( key ).sign( 'body' );

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
		expect( () => link.verify( 'body', headersOf( OLD ) ) ).not.toThrow();
		expect( () => link.verify( 'body', headersOf( NEW ) ) ).not.toThrow();
		const signed = link.sign( 'body' );
		expect( () =>
			new Signer( NEW ).verify( 'body', signed )
		).not.toThrow();
		expect( () => new Signer( OLD ).verify( 'body', signed ) ).toThrow(
			SignatureError
		);
		now += 600_000;
		expect( () => link.verify( 'body', headersOf( OLD ) ) ).toThrow(
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
		expect( () => link.sign( '' ) ).toThrow( WordPressError );
		expect( () => link.siteUrl() ).toThrow( /not paired/ );
		expect( () => link.verify( 'body', headersOf( NEW ) ) ).toThrow(
			SignatureError
		);
		link.update( {
			siteUrl: 'https://site.example',
			secrets: [ NEW ],
			previousSecretUntil: null,
		} );
		expect( link.isPaired() ).toBe( true );
		expect( link.siteUrl() ).toBe( 'https://site.example' );
		expect( () => link.verify( 'body', headersOf( NEW ) ) ).not.toThrow();
	} );
} );
