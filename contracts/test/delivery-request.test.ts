import { DeliveryRequest, MAX_WAIT_MS } from '../src';
import { firstIssue as issueOf } from './support/first-issue';

const firstIssue = ( body: unknown ) => issueOf( DeliveryRequest, body );

const valid = { id: 'msg_1', action: 'add', contact_id: 7 };

describe( 'DeliveryRequest (POST /v1/deliveries)', () => {
	it( 'reads what PHP sends for absent values, and caps the wait', () => {
		const parsed = DeliveryRequest.parse( {
			...valid,
			params: [],
			source_ip: '',
			wait_ms: 99_999,
		} );
		expect( parsed ).toEqual( {
			...valid,
			params: { all: {}, role: null, send_notification: false },
			source_ip: null,
			wait_ms: MAX_WAIT_MS,
		} );
	} );

	it( 'keeps every param as sent beside the two it reads', () => {
		const parsed = DeliveryRequest.parse( {
			...valid,
			params: { role: 'customer', send_notification: 'true', merge: 'x' },
			received_at: '2026-01-01T00:00:00Z',
		} );
		expect( parsed.params ).toEqual( {
			all: { role: 'customer', send_notification: 'true', merge: 'x' },
			role: 'customer',
			send_notification: true,
		} );
		expect( parsed.received_at ).toBe( '2026-01-01T00:00:00.000Z' );
	} );

	it( 'names the first bad field in words that complete "<field> must be …"', () => {
		expect( firstIssue( [] ) ).toBe( ': a JSON object' );
		expect( firstIssue( { ...valid, action: 'delete' } ) ).toBe(
			'action: one of add, update, update_tags'
		);
		expect( firstIssue( { ...valid, contact_id: 0 } ) ).toBe(
			'contact_id: a positive integer'
		);
		expect(
			firstIssue( { ...valid, params: { role: "x' OR 1=1" } } )
		).toBe(
			'params.role: a non-empty string of at most 60 characters in the expected format'
		);
		expect(
			firstIssue( { ...valid, params: { send_notification: 'yes' } } )
		).toBe( 'params.send_notification: true or false' );
		expect( firstIssue( { ...valid, source_ip: 'somewhere' } ) ).toBe(
			'source_ip: an IPv4 or IPv6 address'
		);
		expect( firstIssue( { ...valid, wait_ms: -1 } ) ).toBe(
			'wait_ms: a whole number of milliseconds'
		);
	} );
} );
