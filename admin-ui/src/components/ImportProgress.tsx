import { Button } from '@wordpress/components';
import { Fragment } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import type { ImportCommand, ImportRun } from '../api/imports';

/**
 * The progress of a run: a bar and its counters, with Pause / Resume / Cancel while it is active.
 * The bar is a plain `role="progressbar"` element: `@wordpress/components`' ProgressBar is not
 * in WordPress 6.1, whose own copy of the components the panel uses there.
 * @param root0
 * @param root0.run       The run, as the bridge last reported it.
 * @param root0.busy      A command is being sent.
 * @param root0.onCommand Sends pause, resume or cancel.
 */
export function ImportProgress( {
	run,
	busy,
	onCommand,
}: {
	run: ImportRun;
	busy: boolean;
	onCommand: ( command: ImportCommand ) => void;
} ) {
	const { counts } = run;
	// Until every page is taken, the total the run started with is the best estimate.
	const total = Math.max(
		counts.found,
		run.all_found ? 0 : ( run.total ?? 0 )
	);
	let percent = run.state === 'completed' ? 100 : 0;
	if ( total > 0 ) {
		percent = Math.min(
			100,
			Math.round( ( counts.processed / total ) * 100 )
		);
	}
	const rows: Array< [ string, number ] > = [
		[ __( 'Found', 'pulse-sync' ), counts.found ],
		[ __( 'Processed', 'pulse-sync' ), counts.processed ],
		[ __( 'Created', 'pulse-sync' ), counts.created ],
		[ __( 'Updated', 'pulse-sync' ), counts.updated ],
		[ __( 'Skipped', 'pulse-sync' ), counts.skipped ],
		[ __( 'Failed', 'pulse-sync' ), counts.failed ],
	];
	return (
		<div className="pulse-sync-import-progress" data-state={ run.state }>
			<p>
				{ sprintf(
					/* translators: 1: run number, 2: state (running, paused, …). */
					__( 'Run %1$d: %2$s', 'pulse-sync' ),
					run.id,
					stateLabel( run.state )
				) }
			</p>
			<div
				className="pulse-sync-progress-bar"
				role="progressbar"
				aria-label={ __( 'Import progress', 'pulse-sync' ) }
				aria-valuemin={ 0 }
				aria-valuemax={ 100 }
				aria-valuenow={ percent }
				aria-valuetext={ sprintf(
					/* translators: 1: contacts processed, 2: contacts in all. */
					__( '%1$d of %2$d contacts', 'pulse-sync' ),
					counts.processed,
					total
				) }
			>
				<span style={ { width: `${ percent }%` } } />
			</div>
			<dl className="pulse-sync-facts">
				{ rows.map( ( [ label, value ] ) => (
					<Fragment key={ label }>
						<dt>{ label }</dt>
						<dd>{ value }</dd>
					</Fragment>
				) ) }
			</dl>
			{ run.error !== null && (
				<p role="alert">
					{ sprintf(
						/* translators: %s: the error the bridge reported. */
						__( 'Last problem: %s', 'pulse-sync' ),
						run.error
					) }
				</p>
			) }
			{ ( run.state === 'running' || run.state === 'paused' ) && (
				<div className="pulse-sync-actions">
					<Button
						variant="secondary"
						disabled={ busy }
						onClick={ () =>
							onCommand(
								run.state === 'running' ? 'pause' : 'resume'
							)
						}
					>
						{ run.state === 'running'
							? __( 'Pause', 'pulse-sync' )
							: __( 'Resume', 'pulse-sync' ) }
					</Button>
					<Button
						variant="tertiary"
						isDestructive
						disabled={ busy }
						onClick={ () => onCommand( 'cancel' ) }
					>
						{ __( 'Cancel', 'pulse-sync' ) }
					</Button>
				</div>
			) }
		</div>
	);
}

function stateLabel( state: ImportRun[ 'state' ] ): string {
	switch ( state ) {
		case 'running':
			return __( 'running', 'pulse-sync' );
		case 'paused':
			return __( 'paused', 'pulse-sync' );
		case 'cancelled':
			return __( 'cancelled', 'pulse-sync' );
		case 'completed':
			return __( 'completed', 'pulse-sync' );
		default:
			return __( 'failed', 'pulse-sync' );
	}
}
