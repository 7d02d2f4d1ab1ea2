/** Where a command writes: stdout and stderr, or a test's buffers. */
export interface Output {
	info: ( line: string ) => void;
	error: ( line: string ) => void;
}

export const consoleOutput: Output = {
	info: ( line ) => process.stdout.write( `${ line }\n` ),
	error: ( line ) => process.stderr.write( `${ line }\n` ),
};
