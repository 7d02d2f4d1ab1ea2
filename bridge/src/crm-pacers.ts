import { apiBaseUrl, CrmPacer, type PaceShare, type PacerOptions } from './crm';

/** The account's pace kept where bridges share it (BridgeStores.paceShare); absent: in memory. */
export type PaceShareFor = ( apiBase: string ) => PaceShare;

/**
 * One CRM pacer per CRM account: the CRM limits an account (its tokens), so every worker, route
 * and rebuilt client of the process that talks to the same account shares one pace, and bridges
 * on one PostgreSQL database share it too (pg-pace-share.ts).
 */
export class CrmPacers {
	private readonly pacers = new Map< string, CrmPacer >();

	/**
	 * @param options  The concurrency and the owner's ceiling.
	 * @param shareFor Where an account's pace is kept when bridges share it.
	 */
	constructor(
		private readonly options: PacerOptions,
		private readonly shareFor?: PaceShareFor
	) {}

	/** @param accountUrl The owner's CRM account URL, in any spelling `apiBaseUrl` accepts. */
	forAccount( accountUrl: string ): CrmPacer {
		const key = apiBaseUrl( accountUrl );
		let pacer = this.pacers.get( key );
		if ( pacer === undefined ) {
			pacer = new CrmPacer(
				this.options,
				undefined,
				this.shareFor?.( key )
			);
			this.pacers.set( key, pacer );
		}
		return pacer;
	}
}
