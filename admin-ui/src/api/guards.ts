// Small readers for JSON whose exact shape another part of the project owns.

export function isRecord( value: unknown ): value is Record< string, unknown > {
	return (
		typeof value === 'object' && value !== null && ! Array.isArray( value )
	);
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
