import { __, sprintf } from '@wordpress/i18n';

import type { CrmPace } from '../api/crm';
import { formatDateTime } from '../lib/format';

function paceText( pace: CrmPace ): string {
	if ( pace.requests_per_second === null ) {
		return __( 'Not limited: as fast as the machine goes', 'pulse-sync' );
	}
	const rate = sprintf(
		/* translators: %s: a number of CRM requests per second */
		__( '%s requests/s', 'pulse-sync' ),
		pace.requests_per_second.toLocaleString()
	);
	return pace.ceiling === null
		? rate
		: sprintf(
				/* translators: 1: the current pace, 2: the ceiling in requests per second */
				__( '%1$s (ceiling %2$s)', 'pulse-sync' ),
				rate,
				pace.ceiling.toLocaleString()
			);
}

/**
 * The bridge's CRM pace on the Status screen: the pace, the requests of the last second, and
 * whether the CRM is what limits it (it answered 429 in the last minute).
 * @param props      The component props.
 * @param props.pace The pace from the bridge's status, or null when it did not say.
 */
export function CrmPaceFacts( { pace }: { pace: CrmPace | null } ) {
	if ( pace === null ) {
		return null;
	}
	return (
		<dl className="pulse-sync-facts" data-testid="crm-pace">
			<dt>{ __( 'CRM pace', 'pulse-sync' ) }</dt>
			<dd>{ paceText( pace ) }</dd>
			<dt>{ __( 'CRM requests in the last second', 'pulse-sync' ) }</dt>
			<dd>{ pace.current_per_second.toLocaleString() }</dd>
			<dt>{ __( 'Limited by the CRM', 'pulse-sync' ) }</dt>
			<dd>
				{ pace.limited_by_crm
					? sprintf(
							/* translators: %s: date and time of the CRM's last "too many requests" answer */
							__(
								'Yes: the CRM asked the bridge to slow down (last at %s); it now sends what the CRM accepts.',
								'pulse-sync'
							),
							formatDateTime( pace.last_limited_at )
						)
					: __( 'No', 'pulse-sync' ) }
			</dd>
		</dl>
	);
}
