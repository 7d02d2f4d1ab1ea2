/**
 * Copies text to the clipboard. `navigator.clipboard` exists only in secure contexts, and many
 * WordPress sites run wp-admin over plain HTTP, so the old selection-and-execCommand path stays.
 * @param text What to copy.
 */
export async function copyToClipboard( text: string ): Promise< void > {
	if ( window.isSecureContext && navigator.clipboard ) {
		await navigator.clipboard.writeText( text );
		return;
	}
	const textarea = document.createElement( 'textarea' );
	textarea.value = text;
	textarea.setAttribute( 'readonly', '' );
	textarea.style.position = 'fixed';
	textarea.style.opacity = '0';
	document.body.appendChild( textarea );
	textarea.select();
	try {
		if ( ! document.execCommand( 'copy' ) ) {
			throw new Error( 'copy command refused' );
		}
	} finally {
		document.body.removeChild( textarea );
	}
}
