/** The shape of a benchmark result: what the JSON file holds and the Markdown summary renders. */

export type Unit = 'ms' | 's' | '/s' | 'MB' | '' | '×' | '%';

export interface Figure {
	label: string;
	value: number | null;
	unit: Unit;
	/** The reference integration's figure for the same measurement, when the issue gives one. */
	reference?: number;
}

export interface TargetCheck {
	label: string;
	/** The target as written, e.g. "≤ 250 ms". */
	target: string;
	actual: number | null;
	unit: Unit;
	met: boolean;
	/** How far from the target: the margin when met, the shortfall when missed. */
	by: string;
}

export interface Section {
	/** e.g. `storm-add (CRM 150 ms)`. */
	title: string;
	params: Record< string, number | string >;
	figures: Figure[];
	targets: TargetCheck[];
	notes: string[];
}

export interface ScenarioResult {
	scenario: string;
	sections: Section[];
	/** Set when the scenario could not finish; its sections hold what was measured before. */
	error?: string;
	durationS: number;
}

export interface BenchReport {
	startedAt: string;
	command: string;
	machine: { cores: number; cpu: string; memoryGb: number; node: string };
	stack: {
		wpVersion: string;
		/** What served WordPress: "nginx + PHP-FPM" (the default) or "php -S". */
		server: string;
		/** Counted PHP workers, e.g. "4 workers" or "pool visitors 4 workers, …". */
		phpWorkers: string;
		/** Bridge settings the caller set through the environment; empty: shipped defaults (run.ts). */
		bridgeEnv: Record< string, string >;
	};
	quick: boolean;
	/** False while running, and in the files of a run that was interrupted. */
	finished: boolean;
	/** Users per second of plain PHP processes on every core (the `limit` scenario). */
	machineLimit: number | null;
	scenarios: ScenarioResult[];
}

/**
 * Three significant figures at most: 1234, 56.7, 0.89.
 * @param value
 */
function digitsFor( value: number ): number {
	if ( Math.abs( value ) >= 100 ) {
		return 0;
	}
	return Math.abs( value ) >= 10 ? 1 : 2;
}

function format( value: number, unit: Unit ): string {
	const text = Number.isInteger( value )
		? String( value )
		: value.toFixed( digitsFor( value ) );
	if ( unit === '' ) {
		return text;
	}
	return unit === '×' ? `${ text }×` : `${ text } ${ unit }`;
}

export function formatValue( value: number | null, unit: Unit ): string {
	return value === null ? 'n/a' : format( value, unit );
}

function check(
	label: string,
	actual: number | null,
	limit: number,
	unit: Unit,
	atMostLimit: boolean
): TargetCheck {
	const target = `${ atMostLimit ? '≤' : '≥' } ${ format( limit, unit ) }`;
	if ( actual === null ) {
		return { label, target, actual, unit, met: false, by: 'not measured' };
	}
	const met = atMostLimit ? actual <= limit : actual >= limit;
	const gap = Math.abs( actual - limit );
	return {
		label,
		target,
		actual,
		unit,
		met,
		by: describeGap( met, gap, limit, unit ),
	};
}

function describeGap(
	met: boolean,
	gap: number,
	limit: number,
	unit: Unit
): string {
	if ( gap === 0 ) {
		return 'exactly on target';
	}
	const relative =
		limit === 0
			? ''
			: ` (${ ( ( gap / Math.abs( limit ) ) * 100 ).toFixed( 0 ) }%)`;
	return `${ met ? 'margin' : 'off by' } ${ format( gap, unit ) }${ relative }`;
}

export const atMost = (
	label: string,
	actual: number | null,
	limit: number,
	unit: Unit
) => check( label, actual, limit, unit, true );

export const atLeast = (
	label: string,
	actual: number | null,
	limit: number,
	unit: Unit
) => check( label, actual, limit, unit, false );
