import { ContactNotFoundError, type CrmClient, type CrmContact } from '../crm';
import { JobFailedError } from './failure';

export type ContactReader = Pick< CrmClient, 'getContact' | 'getContactTags' >;

export interface LoadedContact {
	contact: CrmContact;
	tagIds: number[];
}

/**
 * The contact and all its tags, always from the CRM (the source of truth). A tag load that
 * fails throws, so the attempt fails: reading it as "no tags" would strip the user's tags.
 * Both are requested at once: with a CRM taking 150 ms a call, one after the other made every
 * job 150 ms longer, and the job's worker is busy all that time. For an unknown contact the
 * tag request is wasted (one extra call), which is the rare case.
 * @param crm       The CRM client.
 * @param contactId The CRM contact id.
 */
export async function loadContact(
	crm: ContactReader,
	contactId: number
): Promise< LoadedContact > {
	try {
		const [ contact, tags ] = await Promise.all( [
			crm.getContact( contactId ),
			crm.getContactTags( contactId ),
		] );
		return { contact, tagIds: tags.map( ( tag ) => tag.id ) };
	} catch ( error ) {
		if ( error instanceof ContactNotFoundError ) {
			throw new JobFailedError(
				'contact_not_found',
				`Contact ${ contactId } does not exist in the CRM.`,
				404
			);
		}
		throw error;
	}
}
