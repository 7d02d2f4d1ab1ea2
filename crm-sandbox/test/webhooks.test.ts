import {
	startReceiver,
	startTestSandbox,
	type TestSandbox,
	type WebhookReceiver,
} from './helpers';

let sandbox: TestSandbox;
let receiver: WebhookReceiver;
let token: string;

beforeAll( async () => {
	sandbox = await startTestSandbox( { webhookConcurrency: 4 } );
	receiver = await startReceiver();
} );
afterAll( async () => {
	await sandbox.close();
	await receiver.close();
} );
beforeEach( async () => {
	await sandbox.control( 'POST', 'reset' );
	token = ( await sandbox.connect() ).access_token;
	receiver.received = [];
	receiver.maxInFlight = 0;
	receiver.status = 200;
	receiver.delayMs = 0;
} );

const flush = () => sandbox.control( 'POST', 'webhooks/flush' );

describe( 'workflow rules (tag applied)', () => {
	it( 'sends each of the three formats when the tag is applied through the API', async () => {
		for ( const format of [ 'json', 'form', 'get' ] ) {
			const rule = await sandbox.control( 'POST', 'webhooks', {
				trigger: 'tag_applied',
				tag_id: 2,
				format,
				url: `${ receiver.url }/?wpf_action=add&access_key=KEY-${ format }`,
			} );
			expect( rule.status ).toBe( 201 );
		}
		await sandbox.api( 'POST', 'contacts/7/tag-apply', {
			token,
			form: 'tag_id[]=2',
		} );
		await flush();

		const byFormat = ( needle: string ) =>
			receiver.received.find( ( request ) =>
				request.url.includes( needle )
			);
		const json = byFormat( 'KEY-json' );
		expect( json ).toMatchObject( {
			method: 'POST',
			contentType: 'application/json',
		} );
		expect( JSON.parse( json!.body ) ).toMatchObject( {
			id: 7,
			email: expect.stringContaining( '@example.test' ),
		} );
		expect( byFormat( 'KEY-form' ) ).toMatchObject( {
			method: 'POST',
			body: 'contact_id=7',
		} );
		expect( byFormat( 'KEY-get' ) ).toMatchObject( {
			method: 'GET',
			url: '/?wpf_action=add&access_key=KEY-get&contact_id=7',
		} );
	} );

	it( 'fires only for the configured tag and only when the tag is new to the contact', async () => {
		await sandbox.control( 'POST', 'webhooks', {
			trigger: 'tag_applied',
			tag_id: 3,
			format: 'get',
			url: `${ receiver.url }/hook`,
		} );
		await sandbox.api( 'POST', 'contacts/2/tag-apply', {
			token,
			form: 'tag_id[]=2',
		} );
		await sandbox.api( 'POST', 'contacts/2/tag-apply', {
			token,
			form: 'tag_id[]=3',
		} );
		await sandbox.api( 'POST', 'contacts/2/tag-apply', {
			token,
			form: 'tag_id[]=3',
		} );
		await flush();
		expect( receiver.received.map( ( request ) => request.url ) ).toEqual( [
			'/hook?contact_id=2',
		] );
	} );

	it( 'fires when a person applies the tag in the web UI', async () => {
		await sandbox.control( 'POST', 'webhooks', {
			trigger: 'tag_applied',
			tag_id: 1,
			format: 'form',
			url: `${ receiver.url }/ui`,
		} );
		const response = await fetch(
			`${ sandbox.url }/crm/contact/2/tags/apply`,
			{
				method: 'POST',
				redirect: 'manual',
				headers: {
					'content-type': 'application/x-www-form-urlencoded',
				},
				body: 'tag_id=1',
			}
		);
		expect( response.status ).toBe( 303 );
		await flush();
		expect( receiver.received ).toEqual( [
			expect.objectContaining( { url: '/ui', body: 'contact_id=2' } ),
		] );
	} );
} );

describe( 'global webhooks and the report', () => {
	it( 'reports every sent webhook with status and the access key redacted', async () => {
		await sandbox.control( 'POST', 'webhooks', {
			trigger: 'contact_updated',
			format: 'get',
			url: `${ receiver.url }/?access_key=TOPSECRET&wpf_action=update`,
		} );
		receiver.status = 202;
		await sandbox.api( 'PUT', 'contacts/4', { token, form: 'phone=123' } );
		await flush();
		const { body } = await sandbox.control( 'GET', 'webhooks/report' );
		expect( body.report ).toEqual( [
			expect.objectContaining( {
				trigger: 'contact_updated',
				contact_id: 4,
				method: 'GET',
				status: 202,
				error: null,
				url: `${ receiver.url }/?access_key=[redacted]&wpf_action=update&contact_id=4`,
			} ),
		] );
		expect( JSON.stringify( body ) ).not.toContain( 'TOPSECRET' );
		const page = await (
			await fetch( `${ sandbox.url }/crm/webhooks/report` )
		).text();
		expect( page ).not.toContain( 'TOPSECRET' );
		expect( page ).toContain( '202' );
	} );

	it( 'reports a refused connection as an error without a status', async () => {
		const closed = await startReceiver();
		const closedUrl = closed.url;
		await closed.close();
		await sandbox.control( 'POST', 'webhooks', {
			trigger: 'contact_updated',
			format: 'json',
			url: `${ closedUrl }/gone`,
		} );
		await sandbox.api( 'PUT', 'contacts/4', { token, form: 'phone=123' } );
		await flush();
		const { body } = await sandbox.control( 'GET', 'webhooks/report' );
		expect( body.report[ 0 ] ).toMatchObject( {
			status: null,
			error: 'ECONNREFUSED',
		} );
	} );

	it( 'turns a bulk edit into a webhook storm sent with bounded concurrency', async () => {
		receiver.delayMs = 20;
		await sandbox.control( 'POST', 'webhooks', {
			trigger: 'contact_updated',
			format: 'form',
			url: `${ receiver.url }/storm`,
		} );
		const edit = await sandbox.control( 'POST', 'bulk-edit', {
			count: 40,
			fields: { phone: '000' },
		} );
		expect( edit.body.edited ).toBe( 40 );
		await flush();
		expect( receiver.received ).toHaveLength( 40 );
		expect(
			new Set( receiver.received.map( ( request ) => request.body ) ).size
		).toBe( 40 );
		expect( receiver.maxInFlight ).toBe( 4 );
	} );

	it( 'validates rules', async () => {
		expect(
			(
				await sandbox.control( 'POST', 'webhooks', {
					trigger: 'tag_applied',
					tag_id: 99,
					url: `${ receiver.url }/x`,
				} )
			).status
		).toBe( 400 );
		expect(
			(
				await sandbox.control( 'POST', 'webhooks', {
					trigger: 'contact_updated',
					url: 'ftp://x',
				} )
			).status
		).toBe( 400 );
		expect(
			(
				await sandbox.control( 'POST', 'webhooks', {
					trigger: 'contact_updated',
					url: `${ receiver.url }/x`,
					format: 'xml',
				} )
			).status
		).toBe( 400 );
	} );

	it( 'lists, replaces and deletes rules', async () => {
		const created = (
			await sandbox.control( 'POST', 'webhooks', {
				trigger: 'contact_updated',
				url: `${ receiver.url }/a`,
			} )
		).body;
		expect( created ).toMatchObject( { format: 'json' } );
		await sandbox.control( 'PUT', `webhooks/${ created.id }`, {
			trigger: 'contact_updated',
			url: `${ receiver.url }/b`,
			format: 'get',
		} );
		expect(
			( await sandbox.control( 'GET', 'webhooks' ) ).body.rules
		).toEqual( [
			{
				id: created.id,
				trigger: 'contact_updated',
				url: `${ receiver.url }/b`,
				format: 'get',
			},
		] );
		expect(
			( await sandbox.control( 'DELETE', `webhooks/${ created.id }` ) )
				.status
		).toBe( 200 );
		expect(
			( await sandbox.control( 'DELETE', `webhooks/${ created.id }` ) )
				.status
		).toBe( 404 );
	} );

	it( 'closes promptly while a webhook hangs', async () => {
		const other = await startTestSandbox();
		const otherToken = ( await other.connect() ).access_token;
		receiver.delayMs = 10000;
		await other.control( 'POST', 'webhooks', {
			trigger: 'contact_updated',
			url: `${ receiver.url }/slow`,
		} );
		await other.api( 'PUT', 'contacts/1', {
			token: otherToken,
			form: 'phone=1',
		} );
		while ( receiver.received.length === 0 ) {
			await new Promise( ( resolve ) => setTimeout( resolve, 10 ) );
		}
		const started = Date.now();
		await other.close();
		expect( Date.now() - started ).toBeLessThan( 1000 );
		expect( other.state.dispatcher.reportSince( 0 ) ).toEqual( [
			expect.objectContaining( { status: null, error: 'aborted' } ),
		] );
	} );
} );
