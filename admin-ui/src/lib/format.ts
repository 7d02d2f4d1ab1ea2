import { __, sprintf } from '@wordpress/i18n';

export function formatDateTime( iso: string | null | undefined ): string {
	if ( ! iso ) {
		return '—';
	}
	const date = new Date( iso );
	return Number.isNaN( date.getTime() ) ? iso : date.toLocaleString();
}

const MS_PER_SECOND = 1000;

export function formatDuration( ms: number | null | undefined ): string {
	if ( ms === null || ms === undefined ) {
		return '—';
	}
	if ( ms < MS_PER_SECOND ) {
		/* translators: %d: duration in milliseconds. */
		return sprintf( __( '%d ms', 'pulse-sync' ), Math.round( ms ) );
	}
	/* translators: %s: duration in seconds. */
	return sprintf( __( '%s s', 'pulse-sync' ), ( ms / MS_PER_SECOND ).toFixed( 1 ) );
}

/** "3 min ago" style age of a timestamp, relative to `now`. */
export function formatAge( iso: string, now: number = Date.now() ): string {
	const seconds = Math.max(
		0,
		Math.round( ( now - new Date( iso ).getTime() ) / MS_PER_SECOND )
	);
	if ( seconds < 60 ) {
		/* translators: %d: number of seconds. */
		return sprintf( __( '%d s ago', 'pulse-sync' ), seconds );
	}
	if ( seconds < 3600 ) {
		/* translators: %d: number of minutes. */
		return sprintf( __( '%d min ago', 'pulse-sync' ), Math.floor( seconds / 60 ) );
	}
	/* translators: %d: number of hours. */
	return sprintf( __( '%d h ago', 'pulse-sync' ), Math.floor( seconds / 3600 ) );
}

/** Pretty JSON for the detail views; values the server sent are shown as they are. */
export function formatJson( value: unknown ): string {
	return typeof value === 'string' ? value : JSON.stringify( value, null, 2 );
}
