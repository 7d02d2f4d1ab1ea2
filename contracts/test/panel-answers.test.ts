import {
	PairingCodeAnswer,
	PairingExchangeAnswer,
	SpooledFailures,
	WordPressErrorBody,
} from '../src';

describe( 'SpooledFailures: GET /spool/failed as the panel reads it', () => {
	const complete = {
		id: 7,
		delivery_id: 'abc',
		action: 'add',
		contact_id: 42,
		received_at: '2026-11-28T10:00:00Z',
		attempts: 3,
		error: 'HTTP 400 invalid_request: contact_id',
		failed_at: '2026-11-28T10:05:00Z',
	};

	it( 'keeps the items with a numeric id and fills in what an item lacks', () => {
		expect(
			SpooledFailures.parse( {
				items: [ complete, { id: 'eight' }, null, { id: 9 } ],
				total: 12,
			} )
		).toEqual( {
			items: [
				complete,
				{
					id: 9,
					delivery_id: '',
					action: '',
					contact_id: null,
					received_at: null,
					attempts: 0,
					error: '',
					failed_at: null,
				},
			],
			total: 12,
		} );
	} );

	it( 'counts the items when the total is missing, and reads a garbled answer as empty', () => {
		expect( SpooledFailures.parse( { items: [ { id: 1 } ] } ).total ).toBe(
			1
		);
		expect( SpooledFailures.parse( '<html>' ) ).toEqual( {
			items: [],
			total: 0,
		} );
	} );
} );

describe( 'the pairing answers', () => {
	it( 'refuses a pairing code answer without a code or a command', () => {
		expect(
			PairingCodeAnswer.safeParse( { code: '', command: 'npx …' } )
				.success
		).toBe( false );
		expect(
			PairingCodeAnswer.parse( { code: 'K7Q2', command: 'npx …' } )
		).toEqual( { code: 'K7Q2', command: 'npx …', expires_at: '' } );
	} );

	it( 'refuses an exchange answer without a secret', () => {
		expect(
			PairingExchangeAnswer.safeParse( { site_url: 'https://a.example' } )
				.success
		).toBe( false );
		expect(
			PairingExchangeAnswer.parse( {
				secret: 'whsec_x',
				site_url: 'https://a.example',
			} ).previous_secret_valid_until
		).toBeNull();
	} );
} );

describe( 'WordPressErrorBody', () => {
	it( 'reads a WordPress refusal, and anything else as nothing known', () => {
		expect(
			WordPressErrorBody.parse( {
				code: 'rest_forbidden',
				message: 'Sorry.',
				data: { status: 403 },
			} )
		).toEqual( {
			code: 'rest_forbidden',
			message: 'Sorry.',
			data: { status: 403 },
			error: null,
		} );
		expect( WordPressErrorBody.parse( 'Bad gateway' ) ).toEqual( {
			code: null,
			message: null,
			data: { status: null },
			error: null,
		} );
	} );
} );
