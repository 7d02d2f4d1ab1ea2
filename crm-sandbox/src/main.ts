import { parseArgs } from 'node:util';
import { DEMO_CLIENT, startSandbox } from './index';

/**
 * `npm start -w crm-sandbox [-- --port 8788 --host 127.0.0.1 --state .stack/crm-sandbox.json]`.
 * Flags win over the environment (PORT, HOST, CRM_SANDBOX_STATE, CRM_SANDBOX_TOKEN_TTL).
 * The first line on stdout is the sandbox URL, for scripts that start it.
 */
async function main(): Promise< void > {
	const { values } = parseArgs( {
		options: {
			port: { type: 'string' },
			host: { type: 'string' },
			state: { type: 'string' },
			'token-ttl': { type: 'string' },
		},
	} );
	const port = Number( values.port ?? process.env.PORT ?? 8788 );
	const ttl = values[ 'token-ttl' ] ?? process.env.CRM_SANDBOX_TOKEN_TTL;
	if ( ! Number.isInteger( port ) || port < 0 || port > 65535 ) {
		throw new Error( 'The port must be an integer between 0 and 65535.' );
	}
	if ( ttl !== undefined && ! /^[1-9]\d*$/.test( ttl ) ) {
		throw new Error(
			'The token TTL must be a positive number of seconds.'
		);
	}
	const sandbox = await startSandbox( {
		port,
		host: values.host ?? process.env.HOST ?? '127.0.0.1',
		stateFile: values.state ?? process.env.CRM_SANDBOX_STATE ?? undefined,
		tokenTtlSeconds: ttl === undefined ? undefined : Number( ttl ),
	} );
	process.stdout.write( `${ sandbox.url }\n` );
	process.stderr.write(
		`PulseTechnologyCRM sandbox: contacts at ${ sandbox.url }/crm/, API at ${ sandbox.url }/api/v1/, ` +
			`demo OAuth client id ${ DEMO_CLIENT.id }\n`
	);
	const stop = () => {
		sandbox.close().then(
			() => process.exit( 0 ),
			() => process.exit( 1 )
		);
	};
	process.once( 'SIGINT', stop );
	process.once( 'SIGTERM', stop );
}

main().catch( ( error: unknown ) => {
	process.stderr.write(
		`crm-sandbox: ${ error instanceof Error ? error.message : String( error ) }\n`
	);
	process.exit( 1 );
} );
