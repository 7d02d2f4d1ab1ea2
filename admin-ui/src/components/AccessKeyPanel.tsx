import {
	Button,
	Card,
	CardBody,
	CardHeader,
	Flex,
	Notice,
	TextControl,
} from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import {
	regenerateAccessKey,
	replaceAccessKey,
	type AccessKey,
} from '../api/access-key';
import {
	isAcceptedKeyFormat,
	isWeakAccessKey,
	MIN_KEY_BITS,
	MIN_KEY_LENGTH,
} from '../lib/key-strength';
import { ConfirmModal } from './ConfirmModal';
import { controlProps } from './control-props';
import { CopyButton } from './CopyButton';
import type { Notices } from './notices';

const VISIBLE_KEY_TAIL = 4;

/** Both changes break the CRM workflows that use the current key, so both are confirmed. */
type KeyChange = 'regenerate' | 'replace';

function maskKey( key: string ): string {
	return (
		'•'.repeat( Math.max( 0, key.length - VISIBLE_KEY_TAIL ) ) +
		key.slice( -VISIBLE_KEY_TAIL )
	);
}

function weakKeyWarning(): string {
	return sprintf(
		/* translators: 1: minimum number of characters, 2: minimum number of bits. */
		__(
			'This key is weak (shorter than %1$d characters or less than %2$d bits of randomness): someone who guesses it can create users on this site. Keep it only while old CRM workflows still use it, then regenerate.',
			'pulse-sync'
		),
		MIN_KEY_LENGTH,
		MIN_KEY_BITS
	);
}

export function AccessKeyPanel( {
	currentKey,
	onChange,
	notices,
}: {
	currentKey: AccessKey;
	onChange: ( accessKey: AccessKey ) => void;
	notices: Notices;
} ) {
	const [ revealed, setRevealed ] = useState( false );
	/** The key change waiting for the owner's confirmation. */
	const [ confirming, setConfirming ] = useState< KeyChange | null >( null );
	const [ busy, setBusy ] = useState( false );
	const [ pastedKey, setPastedKey ] = useState( '' );
	const { notify, notifyError } = notices;

	const apply = async (
		request: () => Promise< AccessKey >,
		success: string
	) => {
		setBusy( true );
		try {
			onChange( await request() );
			notify( 'success', success );
			return true;
		} catch ( reason ) {
			notifyError( reason );
			return false;
		} finally {
			setBusy( false );
		}
	};

	const regenerate = () =>
		apply(
			regenerateAccessKey,
			__(
				'A new access key was generated. Update the URL in every CRM workflow and webhook.',
				'pulse-sync'
			)
		);

	const replaceWithPastedKey = async () => {
		const replaced = await apply(
			() => replaceAccessKey( pastedKey.trim() ),
			__( 'The access key was replaced.', 'pulse-sync' )
		);
		if ( replaced ) {
			setPastedKey( '' );
		}
	};

	const confirm = async () => {
		await ( confirming === 'regenerate'
			? regenerate()
			: replaceWithPastedKey() );
		setConfirming( null );
	};

	const trimmedPaste = pastedKey.trim();
	const pasteAccepted = isAcceptedKeyFormat( trimmedPaste );
	const pasteRejected = trimmedPaste !== '' && ! pasteAccepted;

	return (
		<Card>
			<CardHeader>
				<h2>{ __( 'Access key', 'pulse-sync' ) }</h2>
			</CardHeader>
			<CardBody>
				<p>
					{ __(
						'Every webhook URL carries this key; the site rejects webhooks without it.',
						'pulse-sync'
					) }
				</p>
				<Flex justify="flex-start" wrap>
					<code data-testid="access-key">
						{ revealed
							? currentKey.access_key
							: maskKey( currentKey.access_key ) }
					</code>
					<Button
						variant="secondary"
						onClick={ () => setRevealed( ! revealed ) }
						aria-pressed={ revealed }
					>
						{ revealed
							? __( 'Hide', 'pulse-sync' )
							: __( 'Reveal', 'pulse-sync' ) }
					</Button>
					<CopyButton
						text={ currentKey.access_key }
						label={ __( 'Copy access key', 'pulse-sync' ) }
					/>
					<Button
						variant="secondary"
						isDestructive
						onClick={ () => setConfirming( 'regenerate' ) }
					>
						{ __( 'Regenerate', 'pulse-sync' ) }
					</Button>
				</Flex>
				{ currentKey.weak && (
					<Notice status="warning" isDismissible={ false }>
						{ weakKeyWarning() }
					</Notice>
				) }
				<h3>{ __( 'Use an existing key', 'pulse-sync' ) }</h3>
				<p>
					{ __(
						'Moving from another integration? Paste the key your CRM workflows already use so they keep working.',
						'pulse-sync'
					) }
				</p>
				<TextControl
					{ ...controlProps }
					label={ __( 'Existing access key', 'pulse-sync' ) }
					help={
						pasteRejected
							? __(
									'A key is 8 to 128 letters, digits, “_” or “-”.',
									'pulse-sync'
								)
							: undefined
					}
					aria-invalid={ pasteRejected }
					value={ pastedKey }
					onChange={ setPastedKey }
					autoComplete="off"
				/>
				{ pasteAccepted && isWeakAccessKey( trimmedPaste ) && (
					<Notice status="warning" isDismissible={ false }>
						{ weakKeyWarning() }
					</Notice>
				) }
				<Button
					variant="secondary"
					onClick={ () => setConfirming( 'replace' ) }
					disabled={ ! pasteAccepted || busy }
				>
					{ __( 'Use this key', 'pulse-sync' ) }
				</Button>
			</CardBody>
			{ confirming !== null && (
				<ConfirmModal
					title={
						confirming === 'regenerate'
							? __( 'Regenerate the access key?', 'pulse-sync' )
							: __( 'Replace the access key?', 'pulse-sync' )
					}
					confirmLabel={
						confirming === 'regenerate'
							? __( 'Regenerate', 'pulse-sync' )
							: __( 'Use this key', 'pulse-sync' )
					}
					busy={ busy }
					onConfirm={ confirm }
					onCancel={ () => setConfirming( null ) }
				>
					<p>
						{ __(
							'The current key stops working at once: every CRM workflow step and global webhook whose URL contains it will be rejected (HTTP 403) until you paste the new URL into it.',
							'pulse-sync'
						) }
					</p>
				</ConfirmModal>
			) }
		</Card>
	);
}
