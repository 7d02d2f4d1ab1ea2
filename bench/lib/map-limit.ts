/**
 * `Promise.all` over a list with at most `limit` calls in flight.
 * @param items
 * @param limit
 * @param fn
 */
export async function mapLimit< T, R >(
	items: readonly T[],
	limit: number,
	fn: ( item: T ) => Promise< R >
): Promise< R[] > {
	const results: R[] = new Array( items.length );
	let next = 0;
	const worker = async () => {
		while ( next < items.length ) {
			const index = next++;
			results[ index ] = await fn( items[ index ] as T );
		}
	};
	await Promise.all(
		Array.from( { length: Math.min( limit, items.length ) }, worker )
	);
	return results;
}
