import { startTestSandbox, type TestSandbox } from './helpers';

let sandbox: TestSandbox;

beforeAll( async () => {
	sandbox = await startTestSandbox();
} );
afterAll( () => sandbox.close() );
beforeEach( () => sandbox.control( 'POST', 'reset' ) );

const getPage = async ( path: string ) => {
	const response = await fetch( `${ sandbox.url }${ path }` );
	return { status: response.status, text: await response.text() };
};

const postForm = ( path: string, form: Record< string, string > ) =>
	fetch( `${ sandbox.url }${ path }`, {
		method: 'POST',
		redirect: 'manual',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams( form ),
	} );

describe( 'web UI', () => {
	it( 'lists contacts 15 a page with links to the next page and to each edit page', async () => {
		const first = await getPage( '/crm/contacts' );
		expect( first.text ).toContain( 'Page 1 of 3' );
		expect( first.text ).toContain( 'href="/crm/contacts?page=2"' );
		expect( first.text ).toContain( 'href="/crm/contact/15/edit"' );
		expect( first.text ).not.toContain( 'href="/crm/contact/16/edit"' );
	} );

	it( 'saves edited fields and escapes them when showing them again', async () => {
		const saved = await postForm( '/crm/contact/2/edit', {
			first_name: '<script>x</script>',
			'address_1.country': 'PT',
		} );
		expect( saved.status ).toBe( 303 );
		const location = saved.headers.get( 'location' ) ?? '';
		expect( ( await getPage( location ) ).text ).toContain(
			'Contact saved.'
		);
		const raw = await sandbox.control( 'GET', 'contacts/2' );
		expect( raw.body ).toMatchObject( {
			first_name: '<script>x</script>',
			'address_1.country': 'PT',
		} );
		const list = await getPage( '/crm/contacts' );
		expect( list.text ).not.toContain( '<script>x</script>' );
		expect( list.text ).toContain( '&lt;script&gt;x&lt;/script&gt;' );
	} );

	it( 'applies and removes tags with labelled buttons', async () => {
		const edit = await getPage( '/crm/contact/2/edit' );
		expect( edit.text ).toContain( '<label for="apply-tag">' );
		await postForm( '/crm/contact/2/tags/apply', { tag_id: '3' } );
		expect(
			( await sandbox.control( 'GET', 'contacts/2' ) ).body.tag_ids
		).toContain( 3 );
		expect( ( await getPage( '/crm/contact/2/edit' ) ).text ).toMatch(
			/Remove tag Unlock Course Two/
		);
		await postForm( '/crm/contact/2/tags/remove', { tag_id: '3' } );
		expect(
			( await sandbox.control( 'GET', 'contacts/2' ) ).body.tag_ids
		).not.toContain( 3 );
	} );

	it( 'adds and deletes webhook rules from the webhooks page', async () => {
		await postForm( '/crm/webhooks', {
			trigger: 'tag_applied',
			tag_id: '1',
			url: 'http://127.0.0.1:9/?wpf_action=add&access_key=HIDDEN',
			format: 'get',
		} );
		const rules = ( await sandbox.control( 'GET', 'webhooks' ) ).body.rules;
		expect( rules ).toEqual( [
			expect.objectContaining( {
				trigger: 'tag_applied',
				tag_id: 1,
				format: 'get',
			} ),
		] );
		const page = await getPage( '/crm/webhooks' );
		expect( page.text ).not.toContain( 'HIDDEN' );
		await postForm( `/crm/webhooks/${ rules[ 0 ].id }/delete`, {} );
		expect(
			( await sandbox.control( 'GET', 'webhooks' ) ).body.rules
		).toEqual( [] );
	} );

	it( 'shows an HTML 404 for an unknown contact', async () => {
		const missing = await getPage( '/crm/contact/999/edit' );
		expect( missing.status ).toBe( 404 );
		expect( missing.text ).toContain( 'Contact not found' );
	} );
} );
