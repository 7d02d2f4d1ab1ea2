import { JsonObject } from '@pulse-sync/contracts';

// Small readers for JSON whose exact shape another part of the project owns.

/**
 * A JSON object, by the contracts' one rule (`JsonObject`).
 * @param value Anything decoded from JSON.
 */
export function isRecord( value: unknown ): value is JsonObject {
	return JsonObject.safeParse( value ).success;
}

export function recordOr( value: unknown ): Record< string, unknown > {
	return isRecord( value ) ? value : {};
}

export function stringOrNull( value: unknown ): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}

export function numberOrNull( value: unknown ): number | null {
	return typeof value === 'number' && Number.isFinite( value ) ? value : null;
}
