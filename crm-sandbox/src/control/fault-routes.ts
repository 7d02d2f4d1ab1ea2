import { readJsonBody } from '../http/body';
import { HttpError } from '../http/errors';
import { sendJson } from '../http/respond';
import type { SandboxState } from '../state';
import { parseFaultInput } from './faults';
import type { ControlRoute } from './routes';
import { integerIn } from './validate';

/** Injected faults and latency, and the request log and counters that show their effect. */
export function registerFaultControl(
	control: ControlRoute,
	state: SandboxState
): void {
	control( 'GET', 'faults', ( { res } ) =>
		sendJson( res, 200, {
			faults: state.faults.list(),
			latency_ms: state.faults.latencyMs,
		} )
	);

	control( 'POST', 'faults', async ( { req, res } ) => {
		const body = await readJsonBody( req );
		const inputs = Array.isArray( body.rules ) ? body.rules : [ body ];
		const parsed = inputs.map( ( input ) => {
			if ( typeof input !== 'object' || input === null ) {
				throw new HttpError( 400, {
					error: 'Each fault must be an object.',
				} );
			}
			return parseFaultInput( input as Record< string, unknown > );
		} );
		sendJson( res, 201, {
			faults: parsed.map( ( input ) => state.faults.add( input ) ),
		} );
	} );

	control( 'DELETE', 'faults', ( { res } ) => {
		state.faults.clear();
		sendJson( res, 200, { ok: true } );
	} );

	control( 'POST', 'latency', async ( { req, res } ) => {
		const body = await readJsonBody( req );
		state.faults.latencyMs = integerIn(
			body.latency_ms,
			'latency_ms',
			0,
			600000
		);
		sendJson( res, 200, { latency_ms: state.faults.latencyMs } );
	} );

	control( 'GET', 'requests', ( { res, url } ) => {
		const since = Number( url.searchParams.get( 'since' ) ?? 0 );
		if ( ! Number.isInteger( since ) || since < 0 ) {
			throw new HttpError( 400, {
				error: 'since must be a request sequence number.',
			} );
		}
		sendJson( res, 200, { requests: state.requests.since( since ) } );
	} );

	control( 'DELETE', 'requests', ( { res } ) => {
		state.requests.clear();
		sendJson( res, 200, { ok: true } );
	} );

	control( 'GET', 'counters', ( { res } ) =>
		sendJson( res, 200, { counters: state.requests.countersSnapshot() } )
	);
}
