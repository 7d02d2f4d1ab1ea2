import type { Delivery } from '../../src/api/deliveries';
import type { Settings } from '../../src/api/settings';

export const NS = '/pulse-sync/v1';

export const ADMIN_CONFIG = {
	restNamespace: 'pulse-sync/v1',
	siteUrl: 'https://shop.example',
	webhookBase: 'https://shop.example/',
	version: '0.1.0',
	crmAccountUrl: 'https://acme.pulsecrm.example',
	adminUrl: 'https://shop.example/wp-admin/',
	bridge: { siteUrl: 'https://shop.example' },
};

export function settingsFixture(
	overrides: Partial< Settings > = {}
): Settings {
	return {
		bridge_url: 'http://127.0.0.1:8787',
		wait_budget_ms: 3000,
		max_waiting_workers: 2,
		default_role: '',
		allowed_roles: [],
		change_roles_of_other_users: false,
		link_users_by_email: true,
		username_format: 'email',
		always_send_welcome: false,
		return_password_enabled: false,
		return_password_field: '',
		field_mapping: [
			{ wp: 'user_email', crm: 'email' },
			{ wp: 'first_name', crm: 'first_name' },
			{ wp: 'last_name', crm: 'last_name' },
		],
		crm_account_url: 'https://acme.pulsecrm.example',
		crm_portal_url: '',
		crm_client_id: 'pulse-sync-demo',
		reconcile_enabled: false,
		reconcile_tag_ids: [],
		crm_client_secret_set: false,
		...overrides,
	};
}

/** `GET /roles`: the allowed-roles setting keeps customer and member. */
export const ROLE_LIST = {
	roles: [
		{ slug: 'subscriber', name: 'Subscriber', allowed: false },
		{ slug: 'customer', name: 'Customer', allowed: true },
		{ slug: 'member', name: 'Member', allowed: true },
	],
	site_default_role: 'subscriber',
};

export const CRM_FIELDS = [
	{ key: 'email', label: 'Email' },
	{ key: 'first_name', label: 'First Name' },
	{ key: 'last_name', label: 'Last Name' },
	{ key: 'custom_password', label: 'Custom Password' },
];

export function deliveryFixture(
	overrides: Partial< Delivery > = {}
): Delivery {
	return {
		id: 'msg_00000000000000000000000000000001',
		source: 'webhook',
		received_at: '2026-11-28T10:00:00Z',
		action: 'add',
		contact_id: 7,
		params: { send_notification: true, access_key: '[redacted]' },
		source_ip: '203.0.113.5',
		state: 'done',
		result_status: 'created',
		user_id: 5,
		email: 'ada@example.com',
		error: null,
		attempts: [
			{
				n: 1,
				started_at: '2026-11-28T10:00:00Z',
				duration_ms: 420,
				error: null,
			},
		],
		duration_ms: 420,
		...overrides,
	};
}
