import { adminConfig } from '../config';

/**
 * The contact's edit page in the CRM's web UI (`{account}/crm/contact/{id}/edit`).
 * @param contactId The CRM contact id.
 */
export function crmContactUrl( contactId: number ): string | null {
	const account = adminConfig().crmAccountUrl;
	return account === ''
		? null
		: `${ account }/crm/contact/${ encodeURIComponent( String( contactId ) ) }/edit`;
}

export function userEditUrl( userId: number ): string {
	return `${ adminConfig().adminUrl }user-edit.php?user_id=${ encodeURIComponent(
		String( userId )
	) }`;
}
