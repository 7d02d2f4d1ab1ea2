import { buildWebhookUrl } from '../../src/lib/webhook-url';

describe( 'buildWebhookUrl', () => {
	const base = 'https://shop.example/';

	it( 'gives the reference URL form with action and key only', () => {
		expect(
			buildWebhookUrl( {
				base,
				accessKey: 'k1',
				action: 'update_tags',
				role: '',
				sendNotification: false,
			} )
		).toBe( 'https://shop.example/?wpf_action=update_tags&access_key=k1' );
	} );

	it( 'appends send_notification and role in the CRM guide order', () => {
		expect(
			buildWebhookUrl( {
				base,
				accessKey: 'k1',
				action: 'add',
				role: 'customer',
				sendNotification: true,
			} )
		).toBe(
			'https://shop.example/?wpf_action=add&access_key=k1&send_notification=true&role=customer'
		);
	} );

	it( 'extends a base that already has a query string and encodes values', () => {
		expect(
			buildWebhookUrl( {
				base: 'https://shop.example/?lang=de',
				accessKey: 'a&b=c',
				action: 'add',
				role: '',
				sendNotification: false,
			} )
		).toBe(
			'https://shop.example/?lang=de&wpf_action=add&access_key=a%26b%3Dc'
		);
	} );
} );
