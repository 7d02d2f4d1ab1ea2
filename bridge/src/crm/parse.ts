import { TransientError } from './errors';
import type { CrmContact, CrmField, CrmTag } from './types';

/** The CRM sometimes sends ids as numeric strings; anything else means a garbled answer. */
function parseId( value: unknown, what: string ): number {
	const id =
		typeof value === 'string' && /^\d+$/.test( value )
			? Number( value )
			: value;
	if ( typeof id !== 'number' || ! Number.isInteger( id ) || id <= 0 ) {
		throw new TransientError(
			`${ what }: the answer has no valid id`,
			'invalid_response'
		);
	}
	return id;
}

function asRecord( value: unknown, what: string ): Record< string, unknown > {
	if (
		typeof value !== 'object' ||
		value === null ||
		Array.isArray( value )
	) {
		throw new TransientError(
			`${ what }: the answer is not an object`,
			'invalid_response'
		);
	}
	return value as Record< string, unknown >;
}

export function parseContact( body: unknown ): CrmContact {
	const record = asRecord( body, 'contact' );
	return { ...record, id: parseId( record.id, 'contact' ) };
}

export function parseTag( item: unknown ): CrmTag {
	const record = asRecord( item, 'tag' );
	return {
		id: parseId( record.id, 'tag' ),
		name:
			typeof record.name === 'string' ? record.name : String( record.id ),
	};
}

export function parseIdRow( item: unknown ): number {
	return parseId(
		asRecord( item, 'contact list row' ).id,
		'contact list row'
	);
}

/** `address_1.country` → "Address 1 Country", for fields the CRM sends without a label. */
export function labelFromKey( key: string ): string {
	return key
		.split( /[._\s]+/ )
		.filter( ( word ) => word !== '' )
		.map( ( word ) => word.charAt( 0 ).toUpperCase() + word.slice( 1 ) )
		.join( ' ' );
}

/** `{"data": {"key": {"label"?: …}}}` → `[{key, label}]` in the CRM's order. */
export function parseFields( body: unknown ): CrmField[] {
	const data = asRecord(
		asRecord( body, 'available fields' ).data,
		'available fields'
	);
	return Object.entries( data ).map( ( [ key, definition ] ) => {
		const label =
			typeof definition === 'object' && definition !== null
				? ( definition as { label?: unknown } ).label
				: undefined;
		return {
			key,
			label:
				typeof label === 'string' && label.trim() !== ''
					? label
					: labelFromKey( key ),
		};
	} );
}
