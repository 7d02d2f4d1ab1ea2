import { Notice } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

import type { PairingState } from '../api/pairing';
import { formatAge, formatDateTime } from '../lib/format';

function lastSeen( iso: string | null ): string {
	return iso === null
		? __( 'never', 'pulse-sync' )
		: `${ formatDateTime( iso ) } (${ formatAge( iso ) })`;
}

/**
 * "Paired: bridge at …, version …, last seen …", or how to pair when no bridge is. The version is
 * the plugin's pick: what the bridge reports now, else what it last sent, else what it paired with.
 */
export function PairedBridgeSummary( { pairing }: { pairing: PairingState } ) {
	if ( ! pairing.paired || pairing.bridgeUrl === null ) {
		return (
			<p data-testid="pairing-state">
				{ __(
					'No bridge is paired with this site yet: generate a pairing code under “Pair a bridge”.',
					'pulse-sync'
				) }
			</p>
		);
	}
	return (
		<>
			<p data-testid="pairing-state">
				{ sprintf(
					/* translators: 1: bridge URL, 2: bridge version, 3: date and age of its last request. */
					__(
						'Paired: bridge at %1$s, version %2$s, last seen %3$s.',
						'pulse-sync'
					),
					pairing.bridgeUrl,
					pairing.version ?? '—',
					lastSeen( pairing.lastSeenAt )
				) }
			</p>
			{ pairing.previousSecretValidUntil !== null && (
				<Notice status="info" isDismissible={ false }>
					{ sprintf(
						/* translators: %s: date and time. */
						__(
							'The bridge was paired again: the previous secret is still accepted until %s.',
							'pulse-sync'
						),
						formatDateTime( pairing.previousSecretValidUntil )
					) }
				</Notice>
			) }
		</>
	);
}
