import type { CrmPace, CrmStatus } from '@pulse-sync/contracts';
import { restRequest } from './client';

export interface CrmField {
	key: string;
	label: string;
}

export interface CrmTag {
	id: number;
	name: string;
}

export type { CrmPace, CrmStatus };

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
