import { restRequest } from './client';

/** A role a webhook may give; the server never lists privileged roles. */
export interface Role {
	slug: string;
	name: string;
	/** A webhook may grant it now: ticked in allowed roles (none ticked: only the default role). */
	allowed: boolean;
}

export interface RoleList {
	roles: Role[];
	/** The role new users get when no allowed role is asked for. */
	site_default_role: string;
}

export function fetchRoles(): Promise< RoleList > {
	return restRequest< RoleList >( { path: '/roles' } );
}
