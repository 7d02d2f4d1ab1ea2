/**
 * Leaves the panel for another page (the CRM's OAuth consent page); a seam for tests.
 * @param url Where to go.
 */
export function navigateTo( url: string ): void {
	window.location.assign( url );
}
