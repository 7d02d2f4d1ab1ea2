import type { Output } from '../../src/cli/output';

/** A command's output kept in memory, both streams in order. */
export function captureOutput(): Output & { text: () => string } {
	const lines: string[] = [];
	return {
		info: ( line ) => lines.push( line ),
		error: ( line ) => lines.push( line ),
		text: () => lines.join( '\n' ),
	};
}
