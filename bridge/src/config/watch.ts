import fs from 'node:fs';

// fs.watchFile polls stat(): it sees a file replaced by rename (as `pair` writes it) and a file
// that does not exist yet, where fs.watch loses track of a renamed inode.
const POLL_MS = 1000;

/**
 * Calls `onChange` when the file's mtime changes (or it appears or disappears).
 * @param file     The file to watch.
 * @param onChange Called after each change.
 * @param pollMs   How often the file is looked at.
 * @return Stops watching.
 */
export function watchFile(
	file: string,
	onChange: () => void,
	pollMs: number = POLL_MS
): () => void {
	const listener = ( current: fs.Stats, previous: fs.Stats ): void => {
		if ( current.mtimeMs !== previous.mtimeMs ) {
			onChange();
		}
	};
	fs.watchFile( file, { interval: pollMs, persistent: false }, listener );
	return () => fs.unwatchFile( file, listener );
}
