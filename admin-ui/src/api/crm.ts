import { restRequest } from './client';

export interface CrmField {
	key: string;
	label: string;
}

export interface CrmTag {
	id: number;
	name: string;
}

/** The bridge's CRM status object (docs/architecture.md, GET /v1/status → crm). */
export interface CrmStatus {
	connected: boolean;
	account_url: string | null;
	expires_at: string | null;
	last_error: string | null;
	/** How fast the bridge sends CRM requests; null when the bridge did not say (older bridge). */
	pace: CrmPace | null;
}

/** The bridge's adaptive CRM pace (`crm.pace` of its `GET /v1/status`). */
export interface CrmPace {
	/** Request starts per second allowed now; null: not paced (no limit met, no ceiling). */
	requests_per_second: number | null;
	/** The owner's ceiling (`PULSE_SYNC_CRM_REQUESTS_PER_SECOND`), or null. */
	ceiling: number | null;
	/** Requests started in the last second. */
	current_per_second: number;
	/** The CRM answered 429 in the last minute: the CRM sets the pace. */
	limited_by_crm: boolean;
	last_limited_at: string | null;
}

export async function fetchCrmFields( refresh = false ): Promise< CrmField[] > {
	const body = await restRequest< { fields: CrmField[] } >( {
		path: '/crm/fields',
		query: { refresh: refresh ? 1 : undefined },
	} );
	return body.fields;
}

export async function fetchCrmTags( refresh = false ): Promise< CrmTag[] > {
	const body = await restRequest< { tags: CrmTag[] } >( {
		path: '/crm/tags',
		query: { refresh: refresh ? 1 : undefined },
	} );
	return body.tags;
}

/** Starts OAuth: the plugin answers with the CRM's authorize page URL for this site. */
export async function connectCrm(): Promise< string > {
	const body = await restRequest< { authorize_url: string } >( {
		path: '/crm/connect',
		method: 'POST',
	} );
	return body.authorize_url;
}

export function disconnectCrm(): Promise< CrmStatus > {
	return restRequest< CrmStatus >( {
		path: '/crm/disconnect',
		method: 'POST',
	} );
}
