/** The Markdown summary of a run: every target in one table, then the figures of each run. */
import { formatValue, type BenchReport, type Section } from './model';

function ratio( value: number | null, reference: number | undefined ): string {
	if ( value === null || reference === undefined || reference === 0 ) {
		return '';
	}
	return `${ ( value / reference ).toFixed( 2 ) }×`;
}

function renderSection( section: Section ): string[] {
	const params = Object.entries( section.params )
		.map( ( [ key, value ] ) => `${ key } ${ value }` )
		.join( ', ' );
	const lines = [
		`### ${ section.title }`,
		'',
		`Parameters: ${ params }.`,
		'',
	];
	lines.push(
		'| figure | value | reference | ratio to reference |',
		'|---|---:|---:|---:|'
	);
	for ( const figure of section.figures ) {
		lines.push(
			`| ${ figure.label } | ${ formatValue( figure.value, figure.unit ) } | ${
				figure.reference === undefined
					? ''
					: formatValue( figure.reference, figure.unit )
			} | ${ ratio( figure.value, figure.reference ) } |`
		);
	}
	if ( section.notes.length > 0 ) {
		lines.push( '', ...section.notes.map( ( note ) => `- ${ note }` ) );
	}
	lines.push( '' );
	return lines;
}

/**
 * Every target of the run in one table, before the details.
 * @param report
 */
function targetsAtAGlance( report: BenchReport ): string[] {
	const rows = report.scenarios.flatMap( ( scenario ) =>
		scenario.sections.flatMap( ( section ) =>
			section.targets.map(
				( target ) =>
					`| ${ section.title } | ${ target.label } | ${ target.target } | ${ formatValue( target.actual, target.unit ) } | ${
						target.met ? 'met' : '**missed**'
					}, ${ target.by } |`
			)
		)
	);
	if ( rows.length === 0 ) {
		return [];
	}
	return [
		'| run | target | required | measured | result |',
		'|---|---|---|---:|---|',
		...rows,
		'',
	];
}

export function renderMarkdown( report: BenchReport ): string {
	const targets = report.scenarios.flatMap( ( scenario ) =>
		scenario.sections.flatMap( ( section ) => section.targets )
	);
	const met = targets.filter( ( target ) => target.met ).length;
	const lines = [
		`# Pulse Sync benchmark, ${ report.startedAt }`,
		'',
		`Command: \`${ report.command }\`${ report.quick ? ' (quick mode: small sizes, not comparable)' : '' }`,
		'',
		...( report.finished
			? []
			: [
					'**Unfinished run**: interrupted, or still running; only the scenarios below were measured.',
					'',
				] ),
		`Machine: ${ report.machine.cores } cores (${ report.machine.cpu }), ${ report.machine.memoryGb.toFixed( 1 ) } GB, Node ${ report.machine.node }; WordPress ${ report.stack.wpVersion } under ${ report.stack.server } (${ report.stack.phpWorkers }).`,
		'',
		`Bridge settings for this run: ${
			Object.keys( report.stack.bridgeEnv ).length === 0
				? 'the shipped defaults'
				: Object.entries( report.stack.bridgeEnv )
						.map( ( [ name, value ] ) => `${ name }=${ value }` )
						.join( ', ' )
		}.`,
		'',
		`Machine limit (plain PHP creating users on every core): ${ formatValue( report.machineLimit, '/s' ) }.`,
		'',
		`Targets met: ${ met } of ${ targets.length }.`,
		'',
		...targetsAtAGlance( report ),
	];
	for ( const scenario of report.scenarios ) {
		lines.push(
			`## ${ scenario.scenario } (${ scenario.durationS.toFixed( 0 ) } s)`,
			''
		);
		if ( scenario.error ) {
			lines.push(
				`**The scenario stopped with an error:** ${ scenario.error }`,
				''
			);
		}
		for ( const section of scenario.sections ) {
			lines.push( ...renderSection( section ) );
		}
	}
	return lines.join( '\n' );
}
