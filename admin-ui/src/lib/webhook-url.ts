import type { DeliveryAction } from '../api/deliveries';

export interface WebhookUrlOptions {
	/** The site's front-end URL the listener answers on, e.g. `https://site.example/`. */
	base: string;
	accessKey: string;
	action: DeliveryAction;
	/** '' = let the plugin use the site's default role. */
	role: string;
	sendNotification: boolean;
}

/**
 * The URL an owner pastes into a CRM workflow step or global webhook, in the exact form the CRM's
 * published setup guide uses (`?wpf_action=…&access_key=…[&send_notification=true][&role=…]`),
 * so that URLs already configured for the reference integration keep working.
 * @param options Base URL, key, action, role and notification flag.
 */
export function buildWebhookUrl( options: WebhookUrlOptions ): string {
	const params: Array< [ string, string ] > = [
		[ 'wpf_action', options.action ],
		[ 'access_key', options.accessKey ],
	];
	if ( options.sendNotification ) {
		params.push( [ 'send_notification', 'true' ] );
	}
	if ( options.role !== '' ) {
		params.push( [ 'role', options.role ] );
	}
	const query = params
		.map(
			( [ name, value ] ) => `${ name }=${ encodeURIComponent( value ) }`
		)
		.join( '&' );
	const separator = options.base.includes( '?' ) ? '&' : '?';
	return `${ options.base }${ separator }${ query }`;
}
