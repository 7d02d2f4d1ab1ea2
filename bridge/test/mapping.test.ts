import { applyMapping, looksLikeEmail } from '../src/mapping';

const DEFAULT_MAPPING = [
	{ wp: 'user_email', crm: 'email' },
	{ wp: 'first_name', crm: 'first_name' },
	{ wp: 'last_name', crm: 'last_name' },
];

describe( 'applyMapping', () => {
	it( 'maps the defaults into core user fields', () => {
		expect(
			applyMapping(
				{
					id: 7,
					email: 'ann@example.com',
					first_name: 'Ann',
					last_name: 'Lee',
					phone: '123',
				},
				DEFAULT_MAPPING
			)
		).toEqual( {
			email: 'ann@example.com',
			user: {
				user_email: 'ann@example.com',
				first_name: 'Ann',
				last_name: 'Lee',
			},
			meta: {},
			role: null,
		} );
	} );

	it( 'sends every core field to user, role apart, and any other name to meta', () => {
		const mapped = applyMapping(
			{
				id: 1,
				login: 'ann',
				secret_field: 'pw-from-crm',
				site: 'https://ann.example',
				bio: 'Hi',
				nick: 'A',
				shown: 'Ann L.',
				level: 'customer',
				'address_1.country': 'NZ',
				score: 42,
				vip: true,
			},
			[
				{ wp: 'user_login', crm: 'login' },
				{ wp: 'user_pass', crm: 'secret_field' },
				{ wp: 'user_url', crm: 'site' },
				{ wp: 'description', crm: 'bio' },
				{ wp: 'nickname', crm: 'nick' },
				{ wp: 'display_name', crm: 'shown' },
				{ wp: 'role', crm: 'level' },
				{ wp: 'billing_country', crm: 'address_1.country' },
				{ wp: 'crm_score', crm: 'score' },
				{ wp: 'is_vip', crm: 'vip' },
			]
		);
		expect( mapped.user ).toEqual( {
			user_login: 'ann',
			user_pass: 'pw-from-crm',
			user_url: 'https://ann.example',
			description: 'Hi',
			nickname: 'A',
			display_name: 'Ann L.',
		} );
		expect( mapped.meta ).toEqual( {
			billing_country: 'NZ',
			crm_score: '42',
			is_vip: 'true',
		} );
		expect( mapped.role ).toBe( 'customer' );
	} );

	it( 'leaves out empty, blank, null, missing and object values, and trims text', () => {
		const mapped = applyMapping(
			{
				id: 1,
				first_name: '  ',
				last_name: null,
				nick: ' Al ',
				obj: { a: 1 },
			},
			[
				{ wp: 'first_name', crm: 'first_name' },
				{ wp: 'last_name', crm: 'last_name' },
				{ wp: 'nickname', crm: 'nick' },
				{ wp: 'display_name', crm: 'missing' },
				{ wp: 'custom', crm: 'obj' },
			]
		);
		expect( mapped.user ).toEqual( { nickname: 'Al' } );
		expect( mapped.meta ).toEqual( {} );
	} );

	it( 'joins list values', () => {
		expect(
			applyMapping( { id: 1, interests: [ 'a', 2, null ] }, [
				{ wp: 'interests', crm: 'interests' },
			] ).meta
		).toEqual( {
			interests: 'a, 2',
		} );
	} );

	it( 'takes the email from the contact when no row maps user_email', () => {
		expect(
			applyMapping( { id: 1, email: 'b@example.com' }, [] ).email
		).toBe( 'b@example.com' );
		expect( applyMapping( { id: 1 }, [] ).email ).toBeNull();
		expect(
			applyMapping(
				{ id: 1, email: 'b@example.com', work: 'w@example.com' },
				[ { wp: 'user_email', crm: 'work' } ]
			).email
		).toBe( 'w@example.com' );
	} );
} );

describe( 'looksLikeEmail', () => {
	it.each( [ 'a@b.co', 'first.last+tag@sub.example.org' ] )(
		'accepts %s',
		( value ) => {
			expect( looksLikeEmail( value ) ).toBe( true );
		}
	);
	it.each( [
		null,
		'',
		'no-at',
		'a@b',
		'a b@c.de',
		`${ 'x'.repeat( 250 ) }@b.co`,
	] )( 'refuses %p', ( value ) => {
		expect( looksLikeEmail( value ) ).toBe( false );
	} );
} );
