import { DuplicateEmailError, UnknownFieldError } from '../data/contacts';
import { CONTACT_FIELDS } from '../data/fields';
import { paginate } from '../api/paginate';
import { readFormBody } from '../http/body';
import { HttpError } from '../http/errors';
import { redirect, sendHtml } from '../http/respond';
import type { Router } from '../http/router';
import type { SandboxState } from '../state';
import { html, page } from './html';

function positiveInt( raw: string | null | undefined ): number | null {
	return raw && /^[1-9]\d*$/.test( raw ) ? Number( raw ) : null;
}

function notFoundPage(): HttpError {
	return new HttpError( 404, { error: 'Contact not found' } );
}

/** The contact list and the edit page, where a person applies tags and edits fields. */
export function registerContactPages(
	router: Router,
	state: SandboxState
): void {
	const store = state.contacts;

	router.add( 'GET', '/crm', ( { res } ) =>
		redirect( res, '/crm/contacts' )
	);

	router.add( 'GET', '/crm/contacts', ( { res, url } ) => {
		const requested = positiveInt( url.searchParams.get( 'page' ) ) ?? 1;
		const list = paginate( store.listContacts(), requested );
		const { current_page: current, last_page: last, total } = list.meta;
		const rows = list.data.map( ( contact ) => {
			const tags = store
				.contactTags( contact )
				.map( ( tag ) => tag.name )
				.join( ', ' );
			const name =
				`${ contact.fields.first_name ?? '' } ${ contact.fields.last_name ?? '' }`.trim();
			return html`<tr>
				<td>${ contact.id }</td>
				<td>${ name }</td>
				<td>${ contact.fields.email ?? '' }</td>
				<td>${ tags }</td>
				<td>
					<a
						href="/crm/contact/${ contact.id }/edit"
						aria-label="Edit contact ${ contact.id }"
						>Edit</a
					>
				</td>
			</tr>`;
		} );
		const pager = html`<p>
			Page ${ current } of ${ last } (${ total } contacts)
			${ current > 1 ? html`<a href="/crm/contacts?page=${ current - 1 }">Previous page</a>` : '' }
			${ current < last ? html`<a href="/crm/contacts?page=${ current + 1 }">Next page</a>` : '' }
		</p>`;
		const body = html`${ pager }
			<table>
				<thead>
					<tr>
						<th>ID</th>
						<th>Name</th>
						<th>Email</th>
						<th>Tags</th>
						<th></th>
					</tr>
				</thead>
				<tbody>
					${ rows }
				</tbody>
			</table>`;
		sendHtml( res, 200, page( 'Contacts', body ) );
	} );

	router.add( 'GET', '/crm/contact/:id/edit', ( { res, params, url } ) => {
		const contact = store.get( positiveInt( params.id ) ?? 0 );
		if ( ! contact ) {
			throw notFoundPage();
		}
		const message = url.searchParams.get( 'message' );
		const error = url.searchParams.get( 'error' );
		const inputs = CONTACT_FIELDS.map( ( field ) => {
			const id = `field-${ field.key.replace( /\W/g, '-' ) }`;
			return html`<label for="${ id }"
					>${ field.label ?? field.key }</label
				>
				<input
					id="${ id }"
					name="${ field.key }"
					value="${ contact.fields[ field.key ] ?? '' }"
				/>`;
		} );
		const current = store.contactTags( contact );
		const tagRows = current.map(
			( tag ) =>
				html`<li>
					${ tag.name }
					<form
						class="inline"
						method="post"
						action="/crm/contact/${ contact.id }/tags/remove"
					>
						<input
							type="hidden"
							name="tag_id"
							value="${ tag.id }"
						/><button type="submit">
							Remove tag ${ tag.name }
						</button>
					</form>
				</li>`
		);
		const options = store
			.listTags()
			.filter( ( tag ) => ! contact.tagIds.has( tag.id ) )
			.map(
				( tag ) =>
					html`<option value="${ tag.id }">${ tag.name }</option>`
			);
		const body = html` ${ message ? html`<p class="notice" role="status">${ message }</p>` : '' }
			${ error ? html`<p class="error" role="alert">${ error }</p>` : '' }
			<p><a href="/crm/contacts">Back to contacts</a></p>
			<h2>Fields</h2>
			<form method="post" action="/crm/contact/${ contact.id }/edit">
				${ inputs }
				<p><button type="submit">Save contact</button></p>
			</form>
			<h2>Tags</h2>
			<ul>
				${ current.length ? tagRows : html`<li>No tags</li>` }
			</ul>
			<form
				method="post"
				action="/crm/contact/${ contact.id }/tags/apply"
			>
				<label for="apply-tag">Tag to apply</label>
				<select id="apply-tag" name="tag_id">
					${ options }
				</select>
				<button type="submit">Apply tag</button>
			</form>`;
		sendHtml( res, 200, page( `Contact #${ contact.id }`, body ) );
	} );

	const back = ( id: number, key: 'message' | 'error', text: string ) =>
		`/crm/contact/${ id }/edit?${ new URLSearchParams( { [ key ]: text } ) }`;

	router.add(
		'POST',
		'/crm/contact/:id/edit',
		async ( { req, res, params } ) => {
			const contact = store.get( positiveInt( params.id ) ?? 0 );
			if ( ! contact ) {
				throw notFoundPage();
			}
			const body = await readFormBody( req );
			const fields: Record< string, string > = {};
			for ( const field of CONTACT_FIELDS ) {
				const value = body[ field.key ];
				if ( typeof value === 'string' ) {
					fields[ field.key ] = value;
				}
			}
			try {
				store.update( contact, fields );
			} catch ( error ) {
				if (
					error instanceof DuplicateEmailError ||
					error instanceof UnknownFieldError
				) {
					return redirect(
						res,
						back( contact.id, 'error', error.message )
					);
				}
				throw error;
			}
			redirect( res, back( contact.id, 'message', 'Contact saved.' ) );
		}
	);

	const tagAction = ( action: 'apply' | 'remove' ) =>
		router.add(
			'POST',
			`/crm/contact/:id/tags/${ action }`,
			async ( { req, res, params } ) => {
				const contact = store.get( positiveInt( params.id ) ?? 0 );
				if ( ! contact ) {
					throw notFoundPage();
				}
				const body = await readFormBody( req );
				const tag = store.getTag(
					positiveInt(
						typeof body.tag_id === 'string' ? body.tag_id : null
					) ?? 0
				);
				if ( ! tag ) {
					return redirect(
						res,
						back( contact.id, 'error', 'Choose a tag.' )
					);
				}
				if ( action === 'apply' ) {
					store.applyTags( contact, [ tag.id ] );
				} else {
					store.removeTags( contact, [ tag.id ] );
				}
				redirect(
					res,
					back(
						contact.id,
						'message',
						action === 'apply'
							? `Tag "${ tag.name }" applied.`
							: `Tag "${ tag.name }" removed.`
					)
				);
			}
		);
	tagAction( 'apply' );
	tagAction( 'remove' );
}
