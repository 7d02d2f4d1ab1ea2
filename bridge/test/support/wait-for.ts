/**
 * Resolves once the condition holds, checked every 100 ms; throws after 10 s.
 * @param condition What must become true.
 */
export async function waitFor(
	condition: () => Promise< boolean >
): Promise< void > {
	for ( let i = 0; i < 100; i++ ) {
		if ( await condition() ) {
			return;
		}
		await new Promise( ( resolve ) => setTimeout( resolve, 100 ) );
	}
	throw new Error( 'condition not met in 10 s' );
}
