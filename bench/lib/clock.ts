/** Waiting and measuring wall time, in one place so every scenario measures the same way. */

export const sleep = ( ms: number ) =>
	new Promise< void >( ( resolve ) => setTimeout( resolve, ms ) );

export function stopwatch(): () => number {
	const started = performance.now();
	return () => performance.now() - started;
}
