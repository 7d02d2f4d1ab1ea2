import { __, sprintf } from '@wordpress/i18n';

/*
 * The same bounds as the plugin's settings validation (plugin/includes/Settings.php), checked here
 * so the owner sees the problem next to the field. The CRM gives up on a webhook after a few tens
 * of seconds (and PHP's default max_execution_time is 30 s), so the wait stays well below that.
 */
export const MAX_WAIT_BUDGET_MS = 20000;
export const MAX_WAITING_WORKERS = 20;

function isWholeNumberInRange( value: string, max: number ): boolean {
	if ( ! /^\d+$/.test( value.trim() ) ) {
		return false;
	}
	return Number( value ) <= max;
}

/**
 * Messages for the two numeric fields, keyed by field; empty when both are fine.
 * @param waitBudget     The wait budget as typed.
 * @param waitingWorkers The waiting-worker limit as typed.
 */
export function validateImportLimits(
	waitBudget: string,
	waitingWorkers: string
) {
	const problems: { waitBudget?: string; waitingWorkers?: string } = {};
	if ( ! isWholeNumberInRange( waitBudget, MAX_WAIT_BUDGET_MS ) ) {
		problems.waitBudget = sprintf(
			/* translators: %d: maximum wait budget in milliseconds. */
			__(
				'Enter a whole number of milliseconds from 0 to %d.',
				'pulse-sync'
			),
			MAX_WAIT_BUDGET_MS
		);
	}
	if ( ! isWholeNumberInRange( waitingWorkers, MAX_WAITING_WORKERS ) ) {
		problems.waitingWorkers = sprintf(
			/* translators: %d: maximum number of waiting workers. */
			__( 'Enter a whole number from 0 to %d.', 'pulse-sync' ),
			MAX_WAITING_WORKERS
		);
	}
	return problems;
}
