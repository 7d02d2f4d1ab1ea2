import { REDACTED, createLogger, redact } from '../src/log';

describe( 'redact', () => {
	it( 'masks secret keys at any depth and keeps the rest', () => {
		expect(
			redact( {
				access_key: 'abcd',
				role: 'customer',
				nested: {
					password: 'p',
					user_pass: 'q',
					refreshToken: 'r',
					client_secret: 's',
					list: [ { accessToken: 't' } ],
				},
				authorization: 'Bearer xyz',
				oauth_code: 'oauth-code',
			} )
		).toEqual( {
			access_key: REDACTED,
			role: 'customer',
			nested: {
				password: REDACTED,
				user_pass: REDACTED,
				refreshToken: REDACTED,
				client_secret: REDACTED,
				list: [ { accessToken: REDACTED } ],
			},
			authorization: REDACTED,
			oauth_code: REDACTED,
		} );
	} );

	it( 'keeps error codes readable (regression: every job error was logged with code "[redacted]")', () => {
		expect(
			redact( {
				error: { code: 'crm_rate_limited', message: 'slow down' },
			} )
		).toEqual( {
			error: { code: 'crm_rate_limited', message: 'slow down' },
		} );
	} );

	it( 'masks secrets inside free text, such as an error message', () => {
		const text = redact(
			'GET /?wpf_action=add&access_key=0123456789abcdef failed; secret whsec_QUJDREVGRw== header Bearer eyJhbGciOi'
		) as string;
		expect( text ).not.toMatch( /0123456789abcdef|QUJDREVGRw|eyJhbGciOi/ );
		expect( text ).toContain( 'wpf_action=add' );
	} );

	it( 'turns errors into name and redacted message', () => {
		expect( redact( new TypeError( 'bad access_key=zzz' ) ) ).toEqual( {
			name: 'TypeError',
			message: `bad access…${ REDACTED }`,
		} );
	} );
} );

describe( 'createLogger', () => {
	it( 'writes one redacted JSON object per line', () => {
		const lines: string[] = [];
		createLogger( ( line ) => lines.push( line ) ).log(
			'info',
			'job.done',
			{ contact_id: 7, password: 'hunter2' }
		);
		expect( lines ).toHaveLength( 1 );
		const entry = JSON.parse( lines[ 0 ] as string );
		expect( entry ).toMatchObject( {
			level: 'info',
			event: 'job.done',
			contact_id: 7,
			password: REDACTED,
		} );
		expect( lines[ 0 ] ).not.toContain( 'hunter2' );
	} );
} );
