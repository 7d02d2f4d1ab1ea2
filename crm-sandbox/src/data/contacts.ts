import { FIELD_KEYS } from './fields';

export interface Tag {
	id: number;
	name: string;
}

export interface Contact {
	id: number;
	fields: Record< string, string >;
	tagIds: Set< number >;
	createdAt: string;
	updatedAt: string;
}

/** What changed, for the webhook dispatcher. */
export type ContactEvent =
	| { type: 'tag_applied'; contactId: number; tagId: number }
	| { type: 'contact_updated'; contactId: number };

function normaliseEmail( email: string ): string {
	return email.trim().toLowerCase();
}

export class UnknownFieldError extends Error {
	constructor( readonly key: string ) {
		super( `Unknown contact field: ${ key }` );
	}
}

export class DuplicateEmailError extends Error {
	constructor() {
		super( 'The email has already been taken.' );
	}
}

export class UnknownTagError extends Error {
	constructor( readonly tagId: number ) {
		super( `Tag ${ tagId } does not exist.` );
	}
}

export interface ContactStoreSnapshot {
	contacts: Array< {
		id: number;
		fields: Record< string, string >;
		tag_ids: number[];
		created_at: string;
		updated_at: string;
	} >;
	tags: Tag[];
	next_contact_id: number;
	next_tag_id: number;
}

/**
 * Contacts and tags of the sandbox account. Every change is reported to the listeners so that the
 * webhook rules can fire, whichever door (API, web UI, control API) the change came through.
 */
export class ContactStore {
	private contacts = new Map< number, Contact >();
	/** Normalised email → contact id; bulk imports of thousands would crawl with a scan per create. */
	private idsByEmail = new Map< string, number >();
	private tags = new Map< number, Tag >();
	private nextContactId = 1;
	private nextTagId = 1;
	private readonly listeners: Array< ( event: ContactEvent ) => void > = [];

	constructor( private readonly now: () => Date = () => new Date() ) {}

	onChange( listener: ( event: ContactEvent ) => void ): void {
		this.listeners.push( listener );
	}

	clear(): void {
		this.contacts.clear();
		this.idsByEmail.clear();
		this.tags.clear();
		this.nextContactId = 1;
		this.nextTagId = 1;
	}

	/* Tags ------------------------------------------------------------------------------------ */

	createTag( name: string ): Tag {
		const tag = { id: this.nextTagId++, name };
		this.tags.set( tag.id, tag );
		return tag;
	}

	listTags(): Tag[] {
		return [ ...this.tags.values() ];
	}

	getTag( id: number ): Tag | undefined {
		return this.tags.get( id );
	}

	findTagByName( name: string ): Tag | undefined {
		const wanted = name.toLowerCase();
		return this.listTags().find(
			( tag ) => tag.name.toLowerCase() === wanted
		);
	}

	/* Contacts -------------------------------------------------------------------------------- */

	listContacts(): Contact[] {
		return [ ...this.contacts.values() ];
	}

	get( id: number ): Contact | undefined {
		return this.contacts.get( id );
	}

	count(): number {
		return this.contacts.size;
	}

	findByEmail( email: string ): Contact | undefined {
		const id = this.idsByEmail.get( normaliseEmail( email ) );
		return id === undefined ? undefined : this.contacts.get( id );
	}

	create( fields: Record< string, string > ): Contact {
		this.assertKnownFields( fields );
		const email = fields.email;
		if ( email && this.findByEmail( email ) ) {
			throw new DuplicateEmailError();
		}
		const stamp = this.now().toISOString();
		const contact: Contact = {
			id: this.nextContactId++,
			fields: { ...fields },
			tagIds: new Set(),
			createdAt: stamp,
			updatedAt: stamp,
		};
		this.contacts.set( contact.id, contact );
		this.indexEmail( contact, undefined );
		return contact;
	}

	update( contact: Contact, fields: Record< string, string > ): void {
		this.assertKnownFields( fields );
		const email = fields.email;
		if ( email ) {
			const owner = this.findByEmail( email );
			if ( owner && owner.id !== contact.id ) {
				throw new DuplicateEmailError();
			}
		}
		const previousEmail = contact.fields.email;
		Object.assign( contact.fields, fields );
		this.indexEmail( contact, previousEmail );
		this.touch( contact );
		this.emit( { type: 'contact_updated', contactId: contact.id } );
	}

	/** Applies tags; only tags the contact did not have yet count as "applied" for workflows. */
	applyTags( contact: Contact, tagIds: number[] ): void {
		this.assertKnownTags( tagIds );
		const added = tagIds.filter( ( id ) => ! contact.tagIds.has( id ) );
		if ( added.length === 0 ) {
			return;
		}
		added.forEach( ( id ) => contact.tagIds.add( id ) );
		this.touch( contact );
		for ( const tagId of added ) {
			this.emit( { type: 'tag_applied', contactId: contact.id, tagId } );
		}
		this.emit( { type: 'contact_updated', contactId: contact.id } );
	}

	removeTags( contact: Contact, tagIds: number[] ): void {
		this.assertKnownTags( tagIds );
		const removed = tagIds.filter( ( id ) => contact.tagIds.delete( id ) );
		if ( removed.length === 0 ) {
			return;
		}
		this.touch( contact );
		this.emit( { type: 'contact_updated', contactId: contact.id } );
	}

	contactTags( contact: Contact ): Tag[] {
		return [ ...contact.tagIds ]
			.sort( ( a, b ) => a - b )
			.map( ( id ) => this.tags.get( id ) )
			.filter( ( tag ): tag is Tag => tag !== undefined );
	}

	/** The flat "contact entity" the API returns: every field key, `null` when never set. */
	toEntity( contact: Contact ): Record< string, unknown > {
		const entity: Record< string, unknown > = { id: contact.id };
		for ( const key of FIELD_KEYS ) {
			entity[ key ] = contact.fields[ key ] ?? null;
		}
		entity.created_at = contact.createdAt;
		entity.updated_at = contact.updatedAt;
		return entity;
	}

	/* Persistence ----------------------------------------------------------------------------- */

	snapshot(): ContactStoreSnapshot {
		return {
			contacts: this.listContacts().map( ( contact ) => ( {
				id: contact.id,
				fields: contact.fields,
				tag_ids: [ ...contact.tagIds ],
				created_at: contact.createdAt,
				updated_at: contact.updatedAt,
			} ) ),
			tags: this.listTags(),
			next_contact_id: this.nextContactId,
			next_tag_id: this.nextTagId,
		};
	}

	restore( snapshot: ContactStoreSnapshot ): void {
		this.clear();
		for ( const tag of snapshot.tags ) {
			this.tags.set( tag.id, { id: tag.id, name: tag.name } );
		}
		for ( const saved of snapshot.contacts ) {
			const contact: Contact = {
				id: saved.id,
				fields: { ...saved.fields },
				tagIds: new Set( saved.tag_ids ),
				createdAt: saved.created_at,
				updatedAt: saved.updated_at,
			};
			this.contacts.set( contact.id, contact );
			this.indexEmail( contact, undefined );
		}
		this.nextContactId = snapshot.next_contact_id;
		this.nextTagId = snapshot.next_tag_id;
	}

	private indexEmail(
		contact: Contact,
		previousEmail: string | undefined
	): void {
		if ( previousEmail ) {
			this.idsByEmail.delete( normaliseEmail( previousEmail ) );
		}
		if ( contact.fields.email ) {
			this.idsByEmail.set(
				normaliseEmail( contact.fields.email ),
				contact.id
			);
		}
	}

	private touch( contact: Contact ): void {
		contact.updatedAt = this.now().toISOString();
	}

	private emit( event: ContactEvent ): void {
		for ( const listener of this.listeners ) {
			listener( event );
		}
	}

	private assertKnownFields( fields: Record< string, string > ): void {
		for ( const key of Object.keys( fields ) ) {
			if ( ! FIELD_KEYS.has( key ) ) {
				throw new UnknownFieldError( key );
			}
		}
	}

	private assertKnownTags( tagIds: number[] ): void {
		for ( const id of tagIds ) {
			if ( ! this.tags.has( id ) ) {
				throw new UnknownTagError( id );
			}
		}
	}
}
