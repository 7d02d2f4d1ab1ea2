/**
 * Delay before the next attempt, or null when `attemptsMade` used up the schedule. A server's
 * Retry-After is honoured when it asks for longer than the schedule.
 * @param scheduleMs   Delays between attempts (PULSE_SYNC_RETRY_SCHEDULE).
 * @param attemptsMade Attempts made so far, including the one that just failed.
 * @param retryAfterMs The least the server asked us to wait, 0 if it did not say.
 */
export function nextRetryDelay(
	scheduleMs: readonly number[],
	attemptsMade: number,
	retryAfterMs: number
): number | null {
	const scheduled = scheduleMs[ attemptsMade - 1 ];
	return scheduled === undefined ? null : Math.max( scheduled, retryAfterMs );
}
