import { Spinner } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

export function LoadingState( { label }: { label?: string } ) {
	return (
		<p role="status" aria-live="polite">
			<Spinner />
			{ label ?? __( 'Loading…', 'pulse-sync' ) }
		</p>
	);
}
