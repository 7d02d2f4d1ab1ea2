import { readJsonBody } from '../http/body';
import { HttpError } from '../http/errors';
import { sendJson } from '../http/respond';
import type { SandboxState } from '../state';
import { parseWebhookRule } from '../webhooks/rules';
import type { ControlRoute } from './routes';
import { integerIn } from './validate';

/** Webhook rules, the report of sent webhooks, and a way to wait for the queue to drain. */
export function registerWebhookControl(
	control: ControlRoute,
	state: SandboxState
): void {
	const store = state.contacts;

	const tagExists = ( id: number ) => store.getTag( id ) !== undefined;

	control( 'GET', 'webhooks', ( { res } ) =>
		sendJson( res, 200, { rules: state.webhooks.list() } )
	);

	control( 'POST', 'webhooks', async ( { req, res } ) => {
		sendJson(
			res,
			201,
			state.webhooks.add(
				parseWebhookRule( await readJsonBody( req ), tagExists )
			)
		);
	} );

	// The fixed paths go first: `webhooks/:id` would swallow `webhooks/report`.
	control( 'GET', 'webhooks/report', ( { res, url } ) => {
		const since = Number( url.searchParams.get( 'since' ) ?? 0 );
		sendJson( res, 200, {
			pending: state.dispatcher.pendingCount(),
			report: state.dispatcher.reportSince(
				Number.isInteger( since ) ? since : 0
			),
		} );
	} );

	control( 'DELETE', 'webhooks/report', ( { res } ) => {
		state.dispatcher.clearReport();
		sendJson( res, 200, { ok: true } );
	} );

	/** Answers once every queued webhook has been sent, so a test need not poll the report. */
	control( 'POST', 'webhooks/flush', async ( { res } ) => {
		await state.dispatcher.idle();
		sendJson( res, 200, { pending: state.dispatcher.pendingCount() } );
	} );

	control( 'POST', 'webhooks/concurrency', async ( { req, res } ) => {
		const body = await readJsonBody( req );
		state.dispatcher.options.concurrency = integerIn(
			body.concurrency,
			'concurrency',
			1,
			1024
		);
		sendJson( res, 200, {
			concurrency: state.dispatcher.options.concurrency,
		} );
	} );

	control( 'PUT', 'webhooks/:id', async ( { req, res, params } ) => {
		const rule = state.webhooks.replace(
			Number( params.id ),
			parseWebhookRule( await readJsonBody( req ), tagExists )
		);
		if ( ! rule ) {
			throw new HttpError( 404, { error: 'Webhook rule not found.' } );
		}
		sendJson( res, 200, rule );
	} );

	control( 'DELETE', 'webhooks/:id', ( { res, params } ) => {
		if ( ! state.webhooks.remove( Number( params.id ) ) ) {
			throw new HttpError( 404, { error: 'Webhook rule not found.' } );
		}
		sendJson( res, 200, { ok: true } );
	} );
}
