import { restRequest } from './client';
import { isRecord } from './guards';

/** A role a webhook may give; the server never lists privileged roles. */
export interface Role {
	slug: string;
	name: string;
}

function toRole( entry: unknown ): Role | null {
	if ( ! isRecord( entry ) ) {
		return null;
	}
	const slug = entry.slug ?? entry.value;
	const name = entry.name ?? entry.label ?? slug;
	return typeof slug === 'string' && typeof name === 'string'
		? { slug, name }
		: null;
}

/**
 * Accepts `[{slug, name}]`, `{roles: [...]}` or a `{slug: name}` map.
 * @param body The answer of GET /roles.
 */
export function parseRoles( body: unknown ): Role[] {
	const list = isRecord( body ) && 'roles' in body ? body.roles : body;
	if ( Array.isArray( list ) ) {
		return list
			.map( toRole )
			.filter( ( role ): role is Role => role !== null );
	}
	if ( isRecord( list ) ) {
		return Object.entries( list ).map( ( [ slug, name ] ) => ( {
			slug,
			name: typeof name === 'string' ? name : slug,
		} ) );
	}
	return [];
}

export async function fetchRoles(): Promise< Role[] > {
	return parseRoles( await restRequest< unknown >( { path: '/roles' } ) );
}
