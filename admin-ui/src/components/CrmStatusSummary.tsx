import { __ } from '@wordpress/i18n';

import type { CrmStatus } from '../api/crm';
import { formatDateTime } from '../lib/format';

export function CrmStatusSummary( { crm }: { crm: CrmStatus | null } ) {
	if ( crm === null ) {
		return (
			<p>
				{ __(
					'The CRM status is unknown because the bridge did not answer. See the Status screen.',
					'pulse-sync'
				) }
			</p>
		);
	}
	return (
		<dl className="pulse-sync-facts">
			<dt>{ __( 'Connected', 'pulse-sync' ) }</dt>
			<dd>
				{ crm.connected
					? __( 'Yes', 'pulse-sync' )
					: __( 'No', 'pulse-sync' ) }
			</dd>
			{ crm.account_url !== null && (
				<>
					<dt>{ __( 'Account', 'pulse-sync' ) }</dt>
					<dd>{ crm.account_url }</dd>
				</>
			) }
			<dt>{ __( 'Access token expires', 'pulse-sync' ) }</dt>
			<dd>{ formatDateTime( crm.expires_at ) }</dd>
			<dt>{ __( 'Last error', 'pulse-sync' ) }</dt>
			<dd>{ crm.last_error ?? __( 'None', 'pulse-sync' ) }</dd>
		</dl>
	);
}
