import { Button } from '@wordpress/components';
import { useEffect, useRef, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import { copyToClipboard } from '../lib/clipboard';

type CopyOutcome = 'idle' | 'copied' | 'failed';

const FEEDBACK_MS = 2000;

export function CopyButton( {
	text,
	label,
	disabled = false,
}: {
	text: string;
	/** Accessible name, e.g. "Copy webhook URL". */
	label: string;
	disabled?: boolean;
} ) {
	const [ outcome, setOutcome ] = useState< CopyOutcome >( 'idle' );
	const timer = useRef< number | undefined >( undefined );

	useEffect( () => () => window.clearTimeout( timer.current ), [] );

	const copy = async () => {
		window.clearTimeout( timer.current );
		try {
			await copyToClipboard( text );
			setOutcome( 'copied' );
		} catch {
			setOutcome( 'failed' );
		}
		timer.current = window.setTimeout(
			() => setOutcome( 'idle' ),
			FEEDBACK_MS
		);
	};

	const captions: Record< CopyOutcome, string > = {
		idle: __( 'Copy', 'pulse-sync' ),
		copied: __( 'Copied!', 'pulse-sync' ),
		failed: __( 'Copy failed: select the text and copy it', 'pulse-sync' ),
	};

	return (
		<Button
			variant="secondary"
			onClick={ copy }
			disabled={ disabled }
			aria-label={ label }
		>
			<span aria-live="polite">{ captions[ outcome ] }</span>
		</Button>
	);
}
