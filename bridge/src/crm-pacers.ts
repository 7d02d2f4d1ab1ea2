import { apiBaseUrl, CrmPacer, type PacerOptions } from './crm';

/**
 * One CRM pacer per CRM account: the CRM limits an account (its tokens), so every worker, route
 * and rebuilt client of the process that talks to the same account shares one pace.
 *
 * Seam for issue 13 (several bridges on one database): this registry is process-local today. When
 * bridges share a database, the account's pace (rate, pause until, last 429) moves into a store
 * both read and update here, keyed the same way; callers keep asking `forAccount`.
 */
export class CrmPacers {
	private readonly pacers = new Map< string, CrmPacer >();

	constructor( private readonly options: PacerOptions ) {}

	/** @param accountUrl The owner's CRM account URL, in any spelling `apiBaseUrl` accepts. */
	forAccount( accountUrl: string ): CrmPacer {
		const key = apiBaseUrl( accountUrl );
		let pacer = this.pacers.get( key );
		if ( pacer === undefined ) {
			pacer = new CrmPacer( this.options );
			this.pacers.set( key, pacer );
		}
		return pacer;
	}
}
