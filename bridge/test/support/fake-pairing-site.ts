import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the plugin's pairing exchange (docs/architecture.md, "Pairing"), for the
 * bridge's own tests of `pulse-sync-bridge pair`: single-use codes, a new secret per pairing,
 * the previous one valid 10 minutes. The plugin's real route is tested against real WordPress
 * (e2e/release/install-from-zip.spec.ts).
 */
export class FakePairingSite {
	/** Bodies of every exchange request, in order. */
	readonly exchanges: Record< string, unknown >[] = [];
	/** Pairing codes the site issued and has not seen used. */
	readonly codes = new Set< string >();
	secret: string | null = null;
	/** Answer every exchange with this instead (status and headers), e.g. a redirect. */
	override: { status: number; headers?: Record< string, string > } | null =
		null;
	private server: http.Server | null = null;
	url = '';

	issueCode(): string {
		const code = randomBytes( 8 )
			.toString( 'hex' )
			.toUpperCase()
			.replace( /(.{4})(?!$)/g, '$1-' );
		this.codes.add( code );
		return code;
	}

	async start(): Promise< void > {
		this.server = http.createServer( ( request, response ) => {
			let text = '';
			request.on( 'data', ( chunk: Buffer ) => ( text += chunk ) );
			request.on( 'end', () => {
				const reply = this.handle( request, text );
				response.writeHead( reply.status, {
					'content-type': 'application/json',
					...reply.headers,
				} );
				response.end( JSON.stringify( reply.body ) );
			} );
		} );
		await new Promise< void >( ( resolve ) =>
			this.server?.listen( 0, '127.0.0.1', resolve )
		);
		this.url = `http://127.0.0.1:${ ( this.server.address() as AddressInfo ).port }`;
	}

	async close(): Promise< void > {
		await new Promise( ( resolve ) => this.server?.close( resolve ) );
	}

	private handle(
		request: http.IncomingMessage,
		text: string
	): {
		status: number;
		body: unknown;
		headers?: Record< string, string >;
	} {
		if (
			request.method !== 'POST' ||
			request.url !== '/wp-json/pulse-sync/v1/pairing/exchange'
		) {
			return { status: 404, body: { code: 'rest_no_route' } };
		}
		const body = JSON.parse( text ) as Record< string, unknown >;
		this.exchanges.push( body );
		if ( this.override ) {
			return {
				status: this.override.status,
				body: { code: 'overridden' },
				headers: this.override.headers ?? {},
			};
		}
		const code = String( body.code ?? '' );
		if ( ! this.codes.delete( code ) ) {
			return {
				status: 403,
				body: { code: 'pulse_sync_invalid_pairing_code' },
			};
		}
		const rotated = this.secret !== null;
		this.secret = `whsec_${ randomBytes( 32 ).toString( 'base64' ) }`;
		return {
			status: 200,
			body: {
				secret: this.secret,
				site_url: this.url,
				previous_secret_valid_until: rotated
					? new Date( Date.now() + 10 * 60_000 ).toISOString()
					: null,
			},
		};
	}
}
