/** A storm's outcome as report figures, with the reference integration's figure where one exists. */
import type { Figure } from './model';
import type { StormOutcome } from './storm';

export interface StormReference {
	throughput?: number;
	p50Ms?: number;
	p99Ms?: number;
	crmCallsPerContact?: number;
}

export function stormFigures(
	outcome: StormOutcome,
	reference: StormReference = {}
): Figure[] {
	const figures: Figure[] = [
		{ label: 'webhooks sent', value: outcome.sent, unit: '' },
		{ label: 'answered 2xx', value: outcome.answered2xx, unit: '' },
		{ label: 'non-2xx answers', value: outcome.non2xx, unit: '' },
		{
			label: 'answer p50',
			value: outcome.latency.p50,
			unit: 'ms',
			reference: reference.p50Ms,
		},
		{ label: 'answer p95', value: outcome.latency.p95, unit: 'ms' },
		{
			label: 'answer p99',
			value: outcome.latency.p99,
			unit: 'ms',
			reference: reference.p99Ms,
		},
		{ label: 'sending took', value: outcome.loadS, unit: 's' },
		{
			label: 'time until all processed',
			value: outcome.processedS,
			unit: 's',
		},
		{
			label: 'throughput, end to end',
			value: outcome.throughput,
			unit: '/s',
			reference: reference.throughput,
		},
		{
			label: 'contacts with a user',
			value: outcome.users.withUser,
			unit: '',
		},
		{ label: 'duplicate users', value: outcome.users.duplicates, unit: '' },
		{
			label: 'contacts without a user',
			value: outcome.users.missing,
			unit: '',
		},
		{
			label: 'answered 2xx, not processed when the wait ended',
			value: outcome.unprocessed,
			unit: '',
		},
		{
			label: 'lost (not processed, nothing left queued or spooled)',
			value: outcome.lost,
			unit: '',
		},
		{
			label: 'deliveries still in the bridge queue when the wait ended',
			value: outcome.left.queued,
			unit: '',
		},
		{
			label: 'deliveries still in the plugin spool when the wait ended',
			value: outcome.left.spooled,
			unit: '',
		},
		{
			label: 'users missing a tag',
			value: outcome.users.withoutTags,
			unit: '',
		},
		{
			label: 'CRM API calls per contact',
			value: outcome.crmCallsPerContact,
			unit: '',
			reference: reference.crmCallsPerContact,
		},
		{
			// The bridge paces its CRM calls; this shows whether that pace is what bounds throughput.
			label: 'CRM API calls per second, end to end',
			value:
				outcome.processedS === null
					? null
					: outcome.crm.total / outcome.processedS,
			unit: '/s',
		},
		{
			label: 'bridge peak RSS',
			value: outcome.bridgePeakRssMb,
			unit: 'MB',
		},
		{
			label: 'bridge queue peak (deliveries)',
			value: outcome.peakQueued,
			unit: '',
		},
		{ label: 'deliveries merged', value: outcome.merged, unit: '' },
		{
			label: 'bridge jobs done',
			value: outcome.bridgeTime.jobsDone,
			unit: '',
		},
		{
			label: 'bridge job retries',
			value: outcome.bridgeTime.retries,
			unit: '',
		},
		{
			label: 'bridge job duration p50',
			value: outcome.bridgeTime.job.p50,
			unit: 'ms',
		},
		{
			label: 'bridge job duration p95',
			value: outcome.bridgeTime.job.p95,
			unit: 'ms',
		},
		{
			label: 'CRM call p50 (as the bridge saw it)',
			value: outcome.bridgeTime.crmCall.p50,
			unit: 'ms',
		},
		{
			label: 'share of job time spent in CRM calls',
			value:
				outcome.bridgeTime.crmShare === null
					? null
					: outcome.bridgeTime.crmShare * 100,
			unit: '%',
		},
		...cpuFigures( outcome ),
	];
	if ( outcome.withoutPassword !== null ) {
		figures.push( {
			label: 'created users whose password did not reach the CRM',
			value: outcome.withoutPassword,
			unit: '',
		} );
	}
	return figures;
}

/**
 * `200 × 12, 202 × 88`: a count per kind, for the notes.
 * @param counts
 */
export function countsNote( counts: Record< string, number > ): string {
	return (
		Object.entries( counts )
			.map( ( [ key, count ] ) => `${ key } × ${ count }` )
			.join( ', ' ) || 'none'
	);
}

/**
 * Notes every storm section carries: the answer mix and CRM calls by endpoint.
 * @param outcome
 */
export function stormNotes( outcome: StormOutcome ): string[] {
	const notes = [
		`answers: ${ countsNote( outcome.answers ) }`,
		`CRM API calls: ${ countsNote( outcome.crm.byEndpoint ) }`,
	];
	if ( outcome.unsent > 0 ) {
		notes.push(
			`${ outcome.unsent } webhooks not sent: the time limit passed first`
		);
	}
	if ( outcome.processedS === null ) {
		notes.push( 'not everything was processed before the drain deadline' );
	} else if ( ! outcome.complete ) {
		notes.push(
			'the queue emptied but some contacts did not reach the expected state'
		);
	}
	return notes;
}

/**
 * Where the two cores went: CPU per 2xx-answered webhook for each process (the bench client
 * included, since it shares the machine), and how many cores were busy on average.
 * @param outcome The storm.
 */
function cpuFigures( outcome: StormOutcome ): Figure[] {
	if ( outcome.answered2xx === 0 || outcome.cpu.length === 0 ) {
		return [];
	}
	const total = outcome.cpu.reduce(
		( sum, [ , seconds ] ) => sum + seconds,
		0
	);
	const perWebhook = ( seconds: number ) =>
		( seconds * 1000 ) / outcome.answered2xx;
	return [
		...outcome.cpu.map( ( [ label, seconds ] ): Figure => ( {
			label: `CPU per webhook: ${ label }`,
			value: perWebhook( seconds ),
			unit: 'ms',
		} ) ),
		{
			label: 'CPU per webhook, all processes',
			value: perWebhook( total ),
			unit: 'ms',
		},
		{
			label: 'cores busy on average',
			value:
				outcome.processedS === null ? null : total / outcome.processedS,
			unit: '',
		},
	];
}
