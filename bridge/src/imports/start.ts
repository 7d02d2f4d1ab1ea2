import type { CrmClient } from '../crm';
import type { CrmConnection } from '../crm-connection';
import type { ImportRouteDeps } from '../http/imports';
import { CrmNotConfiguredError } from '../jobs/failure';
import type { Logger } from '../log';
import type { Queue } from '../queue/queue';
import type { SettingsSource } from '../settings';
import type { WordPressClient } from '../wordpress/client';
import { FEED_WINDOW, ImportFeeder } from './feeder';
import { Reconciler } from './reconciler';
import type { RunStore } from './run-store';

export interface ImportsDeps {
	runs: RunStore;
	queue: Queue;
	settings: SettingsSource;
	connection: CrmConnection;
	wordpress: WordPressClient;
	logger: Logger;
}

export interface RunningImports {
	routes: ImportRouteDeps;
	start: () => void;
	stop: () => Promise< void >;
}

const POLL_MS = 1000;
const PAGE_RETRY_MS = 10_000;
// The reconciliation is daily; looking once a minute keeps it within a minute of its time.
const RECONCILE_CHECK_MS = 60_000;

/**
 * Wires the import runs into the bridge: the feeder that queues their contacts and the daily
 * reconciliation timer. Runs left running by a stopped or killed bridge go on from their cursor
 * when it (or another bridge of the site) starts again.
 * @param deps The site's run store, queue, settings, CRM connection, WordPress client and logger.
 */
export function startImports( deps: ImportsDeps ): RunningImports {
	const { runs } = deps;
	const crm = async (): Promise< CrmClient > => {
		const client = deps.connection.client(
			( await deps.settings.current() ).crm
		);
		if ( client === null ) {
			throw new CrmNotConfiguredError();
		}
		return client;
	};
	const feeder = new ImportFeeder(
		runs,
		deps.queue,
		{ crm, wordpress: deps.wordpress },
		{
			window: FEED_WINDOW,
			pollMs: POLL_MS,
			retryMs: PAGE_RETRY_MS,
			logger: deps.logger,
		}
	);
	const reconciler = new Reconciler(
		runs,
		() => deps.settings.current(),
		() => feeder.wake(),
		deps.logger
	);
	let timer: NodeJS.Timeout | undefined;
	const check = (): void => {
		reconciler
			.tick()
			.catch( ( error: unknown ) =>
				deps.logger.log( 'warn', 'reconcile.check_failed', { error } )
			);
	};
	return {
		routes: { runs, feeder, crm },
		start: () => {
			feeder.start();
			// Not at once: the settings would be cached before a starting site has written them.
			timer = setInterval( check, RECONCILE_CHECK_MS );
			timer.unref();
		},
		stop: async () => {
			clearInterval( timer );
			await feeder.stop();
		},
	};
}
