/**
 * Delay before the next attempt, or null when `attemptsMade` used up the schedule. A server's
 * Retry-After is honoured when it asks for longer than the schedule.
 */
export function nextRetryDelay( scheduleMs: readonly number[], attemptsMade: number, retryAfterMs: number ): number | null {
	const scheduled = scheduleMs[ attemptsMade - 1 ];
	return scheduled === undefined ? null : Math.max( scheduled, retryAfterMs );
}
