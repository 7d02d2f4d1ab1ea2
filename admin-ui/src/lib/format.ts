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
		return sprintf(
			/* translators: %d: duration in milliseconds. */ __(
				'%d ms',
				'pulse-sync'
			),
			Math.round( ms )
		);
	}
	return sprintf(
		/* translators: %s: duration in seconds. */
		__( '%s s', 'pulse-sync' ),
		( ms / MS_PER_SECOND ).toFixed( 1 )
	);
}

/**
 * "3 min ago" style age of a timestamp, relative to `now`.
 * @param iso An ISO-8601 timestamp.
 * @param now The current time in ms (a parameter for tests).
 */
export function formatAge( iso: string, now: number = Date.now() ): string {
	const seconds = Math.max(
		0,
		Math.round( ( now - new Date( iso ).getTime() ) / MS_PER_SECOND )
	);
	if ( seconds < 60 ) {
		return sprintf(
			/* translators: %d: number of seconds. */ __(
				'%d s ago',
				'pulse-sync'
			),
			seconds
		);
	}
	if ( seconds < 3600 ) {
		return sprintf(
			/* translators: %d: number of minutes. */
			__( '%d min ago', 'pulse-sync' ),
			Math.floor( seconds / 60 )
		);
	}
	return sprintf(
		/* translators: %d: number of hours. */
		__( '%d h ago', 'pulse-sync' ),
		Math.floor( seconds / 3600 )
	);
}

/**
 * Pretty JSON for the detail views; values the server sent are shown as they are.
 * @param value Any JSON value.
 */
export function formatJson( value: unknown ): string {
	return typeof value === 'string' ? value : JSON.stringify( value, null, 2 );
}
