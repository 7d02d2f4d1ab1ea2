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
 * @param crm       The CRM client.
 * @param contactId The CRM contact id.
 */
export async function loadContact(
	crm: ContactReader,
	contactId: number
): Promise< LoadedContact > {
	let contact: CrmContact;
	try {
		contact = await crm.getContact( contactId );
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
	const tags = await crm.getContactTags( contactId );
	return { contact, tagIds: tags.map( ( tag ) => tag.id ) };
}
