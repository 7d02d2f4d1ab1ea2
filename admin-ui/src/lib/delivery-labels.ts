import { __ } from '@wordpress/i18n';

import type { Delivery, DeliveryError, DeliveryState } from '../api/deliveries';

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
 * The action as the log shows it: an import run's deliveries say where they came from.
 * @param delivery The delivery.
 */
export function actionLabel( delivery: Delivery ): string {
	const sources: Record< string, string > = {
		import: __( 'import', 'pulse-sync' ),
		resync: __( 'resync', 'pulse-sync' ),
		reconcile: __( 'reconcile', 'pulse-sync' ),
	};
	const source = sources[ delivery.source ];
	return source === undefined
		? delivery.action
		: `${ delivery.action } (${ source })`;
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
