/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml( value: unknown ): string {
	return String( value ?? '' )
		.replace( /&/g, '&amp;' )
		.replace( /</g, '&lt;' )
		.replace( />/g, '&gt;' )
		.replace( /"/g, '&quot;' )
		.replace( /'/g, '&#39;' );
}

/** A tagged template that escapes every interpolated value unless it is already `SafeHtml`. */
export class SafeHtml {
	constructor( readonly value: string ) {}
	toString(): string {
		return this.value;
	}
}

export function html(
	strings: TemplateStringsArray,
	...values: unknown[]
): SafeHtml {
	let out = strings[ 0 ] ?? '';
	values.forEach( ( value, i ) => {
		out += renderValue( value ) + ( strings[ i + 1 ] ?? '' );
	} );
	return new SafeHtml( out );
}

function renderValue( value: unknown ): string {
	if ( value instanceof SafeHtml ) {
		return value.value;
	}
	if ( Array.isArray( value ) ) {
		return value.map( renderValue ).join( '' );
	}
	return escapeHtml( value );
}

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 0; color: #1d2327; background: #f6f7f7; }
header { background: #1d2b4f; color: #fff; padding: 0.6rem 1.2rem; display: flex; gap: 1.5rem; align-items: center; }
header a { color: #fff; }
main { padding: 1.2rem; max-width: 70rem; }
table { border-collapse: collapse; background: #fff; width: 100%; }
th, td { border: 1px solid #dcdcde; padding: 0.35rem 0.6rem; text-align: left; vertical-align: top; }
label { display: block; margin: 0.4rem 0 0.15rem; font-weight: 600; }
input, select { padding: 0.3rem; min-width: 18rem; }
button { padding: 0.35rem 0.9rem; cursor: pointer; }
.notice { background: #edfaef; border-left: 4px solid #00a32a; padding: 0.5rem 0.8rem; }
.error { background: #fcf0f1; border-left: 4px solid #d63638; padding: 0.5rem 0.8rem; }
.inline { display: inline; }
`;

/** The page shell of the sandbox's web UI, with the CRM's navigation. */
export function page(
	title: string,
	body: SafeHtml,
	options: { nav?: boolean } = {}
): string {
	const nav =
		options.nav === false
			? html``
			: html`<nav>
					<a href="/crm/contacts">Contacts</a> ·
					<a href="/crm/webhooks">Webhooks</a> ·
					<a href="/crm/webhooks/report">Webhook report</a>
				</nav>`;
	return html`<!doctype html>
		<html lang="en">
			<head>
				<meta charset="utf-8" />
				<title>${ title } · PulseTechnologyCRM sandbox</title>
				<style>
					${ new SafeHtml( STYLE ) }
				</style>
			</head>
			<body>
				<header>
					<strong>PulseTechnologyCRM</strong>
					<span>(sandbox)</span> ${ nav }
				</header>
				<main>
					<h1>${ title }</h1>
					${ body }
				</main>
			</body>
		</html> `.value;
}
