import { readFormBody } from '../http/body';
import { HttpError } from '../http/errors';
import { redirect, sendHtml } from '../http/respond';
import type { Router } from '../http/router';
import type { SandboxState } from '../state';
import {
	parseWebhookRule,
	redactUrl,
	WEBHOOK_FORMATS,
	type WebhookRule,
} from '../webhooks/rules';
import { html, page } from './html';

const FORMAT_LABELS: Record< WebhookRule[ 'format' ], string > = {
	json: 'POST JSON (contact entity)',
	form: 'POST form (contact_id)',
	get: 'GET (contact_id in the query)',
};

/** Webhook rules (workflow "HTTP Post" steps and global webhooks) and the report of sent webhooks. */
export function registerWebhookPages(
	router: Router,
	state: SandboxState
): void {
	const store = state.contacts;

	const describe = ( rule: WebhookRule ): string =>
		rule.trigger === 'tag_applied'
			? `When tag "${ store.getTag( rule.tag_id )?.name ?? rule.tag_id }" is applied`
			: 'When any contact is updated (global webhook)';

	router.add( 'GET', '/crm/webhooks', ( { res, url } ) => {
		const error = url.searchParams.get( 'error' );
		const rows = state.webhooks.list().map(
			( rule ) =>
				html`<tr>
					<td>${ rule.id }</td>
					<td>${ describe( rule ) }</td>
					<td>${ redactUrl( rule.url ) }</td>
					<td>${ FORMAT_LABELS[ rule.format ] }</td>
					<td>
						<form
							method="post"
							action="/crm/webhooks/${ rule.id }/delete"
						>
							<button type="submit">
								Delete webhook ${ rule.id }
							</button>
						</form>
					</td>
				</tr>`
		);
		const tagOptions = store
			.listTags()
			.map(
				( tag ) =>
					html`<option value="${ tag.id }">${ tag.name }</option>`
			);
		const formatOptions = WEBHOOK_FORMATS.map(
			( format ) =>
				html`<option value="${ format }">
					${ FORMAT_LABELS[ format ] }
				</option>`
		);
		const body = html` ${ error ? html`<p class="error" role="alert">${ error }</p>` : '' }
			<table>
				<thead>
					<tr>
						<th>ID</th>
						<th>Trigger</th>
						<th>URL</th>
						<th>Format</th>
						<th></th>
					</tr>
				</thead>
				<tbody>
					${
						rows.length
							? rows
							: html`<tr>
									<td colspan="5">No webhooks yet.</td>
								</tr>`
					}
				</tbody>
			</table>
			<h2>Add a webhook</h2>
			<form method="post" action="/crm/webhooks">
				<label for="webhook-trigger">Trigger</label>
				<select id="webhook-trigger" name="trigger">
					<option value="tag_applied">
						Tag applied (workflow HTTP Post)
					</option>
					<option value="contact_updated">
						Contact updated (global webhook)
					</option>
				</select>
				<label for="webhook-tag">Tag (for "Tag applied")</label>
				<select id="webhook-tag" name="tag_id">
					${ tagOptions }
				</select>
				<label for="webhook-url">URL</label>
				<input
					id="webhook-url"
					name="url"
					type="url"
					required
					placeholder="http://127.0.0.1:8080/?wpf_action=add&amp;access_key=…"
				/>
				<label for="webhook-format">Format</label>
				<select id="webhook-format" name="format">
					${ formatOptions }
				</select>
				<p><button type="submit">Add webhook</button></p>
			</form>`;
		sendHtml( res, 200, page( 'Webhooks', body ) );
	} );

	router.add( 'POST', '/crm/webhooks', async ( { req, res } ) => {
		const body = await readFormBody( req );
		try {
			state.webhooks.add(
				parseWebhookRule(
					body,
					( id ) => store.getTag( id ) !== undefined
				)
			);
		} catch ( error ) {
			if ( error instanceof HttpError ) {
				return redirect(
					res,
					`/crm/webhooks?${ new URLSearchParams( { error: error.message } ) }`
				);
			}
			throw error;
		}
		redirect( res, '/crm/webhooks' );
	} );

	router.add( 'POST', '/crm/webhooks/:id/delete', ( { res, params } ) => {
		state.webhooks.remove( Number( params.id ) );
		redirect( res, '/crm/webhooks' );
	} );

	router.add( 'GET', '/crm/webhooks/report', ( { res } ) => {
		const entries = state.dispatcher.reportSince( 0 ).reverse();
		const rows = entries.map(
			( entry ) =>
				html`<tr>
					<td>${ entry.time }</td>
					<td>${ entry.rule_id }</td>
					<td>${ entry.contact_id }</td>
					<td>${ entry.method } ${ entry.url }</td>
					<td>${ entry.status ?? entry.error }</td>
					<td>${ entry.duration_ms } ms</td>
				</tr>`
		);
		const body = html`<p>
				${ state.dispatcher.pendingCount() } webhook(s) waiting to be
				sent.
			</p>
			<table>
				<thead>
					<tr>
						<th>Time</th>
						<th>Rule</th>
						<th>Contact</th>
						<th>Request</th>
						<th>Status</th>
						<th>Duration</th>
					</tr>
				</thead>
				<tbody>
					${
						rows.length
							? rows
							: html`<tr>
									<td colspan="6">No webhooks sent yet.</td>
								</tr>`
					}
				</tbody>
			</table>`;
		sendHtml( res, 200, page( 'Webhook report', body ) );
	} );
}
