import { restRequest } from './client';

export type UsernameFormat = 'email' | 'firstlast' | 'first_digits';

export interface FieldMappingRow {
	wp: string;
	crm: string;
}

/** `pulse_sync_settings` as GET /settings returns it (no secrets, see docs/architecture.md). */
export interface Settings {
	bridge_url: string;
	wait_budget_ms: number;
	max_waiting_workers: number;
	default_role: string;
	/** Roles a webhook may grant; empty = the default role only. */
	allowed_roles: string[];
	/** Whether webhooks also change the role of users Pulse Sync did not create. */
	change_roles_of_other_users: boolean;
	/** Whether an existing, unlinked user with the contact's email is linked to it. */
	link_users_by_email: boolean;
	username_format: UsernameFormat;
	always_send_welcome: boolean;
	return_password_enabled: boolean;
	return_password_field: string;
	field_mapping: FieldMappingRow[];
	crm_account_url: string;
	crm_portal_url: string;
	crm_client_id: string;
	/** The daily reconciliation of `reconcile_tag_ids` (imports what has no user yet). */
	reconcile_enabled: boolean;
	reconcile_tag_ids: number[];
	crm_client_secret_set: boolean;
}

/** What a screen may send: only the keys it edits, plus the write-only client secret. */
export type SettingsChanges = Partial<
	Omit< Settings, 'crm_client_secret_set' >
> & {
	crm_client_secret?: string;
};

export function fetchSettings(): Promise< Settings > {
	return restRequest< Settings >( { path: '/settings' } );
}

export function saveSettings( changes: SettingsChanges ): Promise< Settings > {
	return restRequest< Settings >( {
		path: '/settings',
		method: 'POST',
		data: changes,
	} );
}
