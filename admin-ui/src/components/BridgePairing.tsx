import {
	Button,
	Card,
	CardBody,
	CardHeader,
	Flex,
	FlexBlock,
	Notice,
} from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import { errorMessage } from '../api/client';
import { generatePairingCode, type PairingCode } from '../api/pairing';
import { formatDateTime } from '../lib/format';
import { CopyButton } from './CopyButton';
import { useMountedRef } from './use-async';

/**
 * "Pair a bridge": a one-time code and the command that uses it. The bridge exchanges the code for
 * the bridge secret itself, so no secret is ever shown here (docs/architecture.md, "Pairing").
 */
export function BridgePairing() {
	const [ pairing, setPairing ] = useState< PairingCode | null >( null );
	const [ error, setError ] = useState< string | null >( null );
	const [ busy, setBusy ] = useState( false );
	const mounted = useMountedRef();

	const generate = async () => {
		setBusy( true );
		try {
			const issued = await generatePairingCode();
			if ( mounted.current ) {
				setPairing( issued );
				setError( null );
			}
		} catch ( reason ) {
			if ( mounted.current ) {
				setError( errorMessage( reason ) );
			}
		} finally {
			if ( mounted.current ) {
				setBusy( false );
			}
		}
	};

	return (
		<Card>
			<CardHeader>
				<h2>{ __( 'Pair a bridge', 'pulse-sync' ) }</h2>
			</CardHeader>
			<CardBody>
				<p>
					{ __(
						'Generate a one-time code, then run the command on the machine where the bridge runs. The bridge fetches its secret from this site with the code and tells the site where it can be reached. A code works once, for 15 minutes. Pairing again replaces the secret; the old one keeps working for 10 minutes.',
						'pulse-sync'
					) }
				</p>
				{ error !== null && (
					<Notice status="error" isDismissible={ false }>
						{ error }
					</Notice>
				) }
				<Button
					variant={ pairing === null ? 'primary' : 'secondary' }
					onClick={ generate }
					isBusy={ busy }
					disabled={ busy }
				>
					{ pairing === null
						? __( 'Generate pairing code', 'pulse-sync' )
						: __( 'Generate a new code', 'pulse-sync' ) }
				</Button>
				{ pairing !== null && <PairingCommand pairing={ pairing } /> }
			</CardBody>
		</Card>
	);
}

function PairingCommand( { pairing }: { pairing: PairingCode } ) {
	return (
		<>
			<dl className="pulse-sync-facts">
				<dt>{ __( 'Pairing code', 'pulse-sync' ) }</dt>
				<dd>
					<code data-testid="pairing-code">{ pairing.code }</code>
				</dd>
				<dt>{ __( 'Valid until', 'pulse-sync' ) }</dt>
				<dd data-testid="pairing-expiry">
					{ formatDateTime( pairing.expiresAt ) }
				</dd>
			</dl>
			<p>
				{ __(
					'Run this where the bridge runs (Node.js 20 or later):',
					'pulse-sync'
				) }
			</p>
			<Flex align="flex-start">
				<FlexBlock>
					<pre data-testid="pairing-command">{ pairing.command }</pre>
				</FlexBlock>
				<CopyButton
					text={ pairing.command }
					label={ __( 'Copy the pairing command', 'pulse-sync' ) }
				/>
			</Flex>
		</>
	);
}
