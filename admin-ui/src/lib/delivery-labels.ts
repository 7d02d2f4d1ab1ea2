import { __ } from '@wordpress/i18n';

import type { DeliveryError, DeliveryState } from '../api/deliveries';

export function stateLabel( state: DeliveryState ): string {
	const labels: Record< DeliveryState, string > = {
		queued: __( 'Queued', 'pulse-sync' ),
		in_progress: __( 'In progress', 'pulse-sync' ),
		done: __( 'Done', 'pulse-sync' ),
		failed: __( 'Failed', 'pulse-sync' ),
	};
	return labels[ state ] ?? state;
}

/**
 * "code: message" for the bridge's error objects.
 * @param error The recorded error.
 */
export function describeError( error: DeliveryError ): string | null {
	if ( error === null ) {
		return null;
	}
	const parts = [ error.code, error.message ].filter(
		( part ): part is string => typeof part === 'string' && part !== ''
	);
	return parts.length > 0
		? parts.join( ': ' )
		: __( 'Unknown error', 'pulse-sync' );
}
