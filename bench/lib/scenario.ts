/** What every scenario file exports, and what it is given to run. */
import type { Section } from './model';

export interface ScenarioSettings {
	/** Webhooks (or users, for `limit`) the scenario sends; see each scenario's description. */
	size: number;
	/** CRM sandbox latency per API call. */
	latencyMs: number;
	concurrency: number;
}

export interface ScenarioContext {
	settings: ScenarioSettings;
	quick: boolean;
	/** Users/s of plain PHP on every core, when `limit` ran first in this run. */
	machineLimit: number | null;
	/** Upper bounds that keep a run finite: sending, and waiting for processing afterwards. */
	timeLimitMs: number;
	drainDeadlineMs: number;
}

export interface ScenarioOutput {
	sections: Section[];
	/** Only `limit` sets it. */
	machineLimit?: number;
}

export interface Scenario {
	name: string;
	description: string;
	defaults: ScenarioSettings;
	quick: ScenarioSettings;
	run: ( context: ScenarioContext ) => Promise< ScenarioOutput >;
}

/** Tags every benchmark contact carries, so a user without them is visibly incomplete. */
export const BENCH_TAGS: readonly number[] = [ 1, 4 ];
