/**
 * The files of deploy/ parse, with the tools that will read them on a real server: `nginx -t`,
 * `apache2 -t` (what `apache2ctl configtest` runs) and `systemd-analyze`. Each check is also shown
 * to fail on a broken copy, so a checker that stopped looking would be noticed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isSiteId, newSiteId } from '../../bridge/src/sites/registry';
import {
	APACHE_SITE,
	apacheBridgePatterns,
	checkApache,
	checkNginx,
	NGINX_SITE,
	nginxBridgeLocation,
	renderApacheSite,
	renderNginxSite,
	SYSTEMD_POSTGRES_DROP_IN,
	SYSTEMD_UNIT,
	unitExposure,
	verifyUnit,
	writeNginxConfig,
	type TlsSite,
} from '../src/deploy-files';
import { pickPort } from '../src/ports';
import { makeTestCertificates } from '../src/test-certificates';

/** `systemd-analyze security` of the unit as committed (1.2 "OK"); raise it only with a reason. */
const MAX_EXPOSURE = 1.5;

let dir: string;
let site: TlsSite;

/**
 * The paths a snippet's pattern gets wrong: it must pass the bridge's paths (the unprefixed
 * site's, and a registry site's under a site id the bridge makes) and no other (anything else
 * reaches no bridge route, and a malformed site id is no site).
 * @param pattern A snippet's pattern, as the web server matches it against the request path.
 * @return Each wrong path with what the pattern said (true: passed).
 */
function bridgeApiMismatches( pattern: RegExp ): [ string, boolean ][] {
	const id = newSiteId();
	const passed = [
		'/v1/deliveries',
		'/v1/health',
		`/sites/${ id }/v1/deliveries/msg_1/replay`,
		'/sites/abcdefghij/v1/status?x=1',
	];
	const refused = [
		'/',
		'/v2/deliveries',
		'/wp-admin/v1/',
		'/x/v1/deliveries',
		`/sites/${ id }/`,
		`/sites/${ id }/v2/deliveries`,
		`/sites/${ id }/x/v1/deliveries`,
		'/sites/ABCDEFGHIJ/v1/deliveries',
		'/sites/abcdefghi1/v1/deliveries',
		'/sites/abcdefghi/v1/deliveries',
		'/sites/abcdefghijk/v1/deliveries',
		'/sites//v1/deliveries',
		'/sites/../v1/deliveries',
	];
	return [
		...passed.filter( ( route ) => ! pattern.test( route ) ),
		...refused.filter( ( route ) => pattern.test( route ) ),
	].map( ( route ) => [ route, pattern.test( route ) ] );
}

beforeAll( async () => {
	dir = fs.mkdtempSync( path.join( os.tmpdir(), 'pulse-deploy-files-' ) );
	const certificates = makeTestCertificates( path.join( dir, 'tls' ), [
		'bridge.example.test',
	] );
	site = {
		// nginx -t binds what it listens on: a free port of this machine.
		listen: `127.0.0.1:${ await pickPort( 'PULSE_TEST_TLS_PORT', 8443 ) }`,
		serverName: 'bridge.example.test',
		certificateFile: certificates.certificateFile,
		keyFile: certificates.keyFile,
	};
} );

afterAll( () => {
	fs.rmSync( dir, { recursive: true, force: true } );
} );

describe( 'deploy/nginx/pulse-sync-bridge.conf', () => {
	test( 'nginx -t accepts it inside http {} with the EDIT lines filled in', () => {
		const result = checkNginx(
			writeNginxConfig(
				path.join( dir, 'nginx' ),
				renderNginxSite( site )
			)
		);
		expect( result.output ).toBe( '' );
		expect( result.ok ).toBe( true );
	} );

	test( 'nginx -t refuses a copy with a misspelt directive (the check can fail)', () => {
		const broken = renderNginxSite( site ).replace(
			'proxy_read_timeout',
			'proxy_read_timeuot'
		);
		const result = checkNginx(
			writeNginxConfig( path.join( dir, 'nginx-broken' ), broken )
		);
		expect( result.ok ).toBe( false );
		expect( result.output ).toContain( 'proxy_read_timeuot' );
	} );

	test( 'only the bridge API reaches the bridge, on loopback, and nothing redirects', () => {
		const text = fs.readFileSync( NGINX_SITE, 'utf8' );
		expect( text ).toMatch(
			/location ~ "\^\(\/sites\/\[a-z2-7\]\{10\}\)\?\/v1\/" \{[^}]*proxy_pass http:\/\/127\.0\.0\.1:8787;/
		);
		expect( text.match( /^\s*location /gm ) ).toHaveLength( 2 );
		expect( text ).toMatch( /location \/ \{\s*return 404;\s*\}/ );
		expect( text ).not.toMatch( /return 30[1278]/ );
	} );

	test( "the bridge's location passes /v1/ and /sites/<site-id>/v1/, nothing else", () => {
		expect(
			bridgeApiMismatches(
				nginxBridgeLocation( fs.readFileSync( NGINX_SITE, 'utf8' ) )
			)
		).toEqual( [] );
	} );

	test( 'a snippet without one of the lines an owner edits cannot be rendered', () => {
		const withoutKey = fs
			.readFileSync( NGINX_SITE, 'utf8' )
			.replace( /^\s*ssl_certificate_key .*$/m, '' );
		expect( () => renderNginxSite( site, withoutKey ) ).toThrow(
			/ssl_certificate_key/
		);
	} );
} );

describe( 'deploy/apache/pulse-sync-bridge.conf', () => {
	test( 'apache2 -t accepts it with mod_ssl, mod_proxy_http and mod_headers', () => {
		const result = checkApache(
			path.join( dir, 'apache' ),
			renderApacheSite( site )
		);
		expect( result.output ).toBe( 'Syntax OK' );
		expect( result.ok ).toBe( true );
	} );

	test( 'apache2 -t refuses a copy with a misspelt directive (the check can fail)', () => {
		const broken = renderApacheSite( site ).replace(
			'ProxyPreserveHost',
			'ProxyPreserveHots'
		);
		const result = checkApache( path.join( dir, 'apache-broken' ), broken );
		expect( result.ok ).toBe( false );
		expect( result.output ).toContain( 'ProxyPreserveHots' );
	} );

	test( 'only the bridge API is proxied, to the bridge on loopback, without ProxyPassReverse', () => {
		const text = fs.readFileSync( APACHE_SITE, 'utf8' );
		expect( text ).toContain(
			'ProxyPassMatch "^((/sites/[a-z2-7]{10})?/v1/.*)$" "http://127.0.0.1:8787$1" timeout=60'
		);
		expect( text ).not.toMatch( /^\s*ProxyPass\s/m );
		expect( text ).not.toMatch( /^\s*ProxyPassReverse/m );
		expect( text ).not.toMatch( /^\s*Redirect/m );
	} );

	test( 'ProxyPassMatch and the one granted LocationMatch pass /v1/ and /sites/<site-id>/v1/, nothing else', () => {
		const { proxied, granted } = apacheBridgePatterns(
			fs.readFileSync( APACHE_SITE, 'utf8' )
		);
		expect( bridgeApiMismatches( proxied ) ).toEqual( [] );
		expect( bridgeApiMismatches( granted ) ).toEqual( [] );
	} );
} );

test( "the snippets' site id is the bridge's: 10 characters of a-z and 2-7", () => {
	for ( let n = 0; n < 50; n++ ) {
		expect( isSiteId( newSiteId() ) ).toBe( true );
	}
	// The character class the snippets spell out, against the bridge's own rule.
	for ( const character of 'abcdefghijklmnopqrstuvwxyz0123456789ABC-_'.split(
		''
	) ) {
		expect( [ character, isSiteId( character.repeat( 10 ) ) ] ).toEqual( [
			character,
			/[a-z2-7]/.test( character ),
		] );
	}
} );

describe( 'deploy/pulse-sync-bridge.service (and its PostgreSQL drop-in)', () => {
	test( 'systemd-analyze verify has nothing to say about it', () => {
		expect( verifyUnit( SYSTEMD_UNIT ) ).toEqual( {
			ok: true,
			output: '',
		} );
	} );

	test( 'systemd-analyze verify reports an unknown key in a copy (the check can fail)', () => {
		const copy = path.join( dir, 'pulse-sync-bridge.service' );
		fs.writeFileSync(
			copy,
			fs
				.readFileSync( SYSTEMD_UNIT, 'utf8' )
				.replace( 'NoNewPrivileges=yes', 'NoNewPrivilege=yes' )
		);
		const result = verifyUnit( copy );
		expect( result.ok ).toBe( false );
		expect( result.output ).toContain( 'NoNewPrivilege' );
	} );

	test( 'systemd-analyze verify reads the PostgreSQL drop-in beside it (an unknown key there is reported)', () => {
		const copyDir = path.join( dir, 'with-drop-in' );
		const dropIns = path.join( copyDir, 'pulse-sync-bridge.service.d' );
		fs.mkdirSync( dropIns, { recursive: true } );
		const copy = path.join( copyDir, 'pulse-sync-bridge.service' );
		fs.copyFileSync( SYSTEMD_UNIT, copy );
		fs.writeFileSync(
			path.join( dropIns, 'postgres.conf' ),
			fs
				.readFileSync( SYSTEMD_POSTGRES_DROP_IN, 'utf8' )
				.replace( 'RestartSec=', 'RestartSecc=' )
		);
		const result = verifyUnit( copy );
		expect( result.ok ).toBe( false );
		expect( result.output ).toContain( 'RestartSecc' );
	} );

	test( 'the PostgreSQL drop-in gives the database without a password and the password file outside the hidden home', () => {
		const lines = fs
			.readFileSync( SYSTEMD_POSTGRES_DROP_IN, 'utf8' )
			.split( '\n' );
		expect( lines ).toContain(
			'Environment=PULSE_SYNC_DATABASE_URL=postgres://pulse_sync@db.internal:5432/pulse_sync'
		);
		expect( lines ).toContain(
			'Environment=PGPASSFILE=/etc/pulse-sync-bridge/pgpass'
		);
		expect( lines.join( '\n' ) ).not.toMatch( /^Environment=PGPASSWORD/m );
	} );

	test( `systemd-analyze security rates its exposure ${ MAX_EXPOSURE } or lower`, () => {
		expect( unitExposure( SYSTEMD_UNIT ) ).toBeLessThanOrEqual(
			MAX_EXPOSURE
		);
	} );

	test( 'runs the installed command as its own user with its state folder', () => {
		const unit = fs.readFileSync( SYSTEMD_UNIT, 'utf8' );
		for ( const line of [
			'ExecStart=/usr/bin/env pulse-sync-bridge start --data-dir /var/lib/pulse-sync-bridge',
			'User=pulse-sync-bridge',
			'StateDirectory=pulse-sync-bridge',
			'ProtectSystem=strict',
			'NoNewPrivileges=yes',
		] ) {
			expect( unit.split( '\n' ) ).toContain( line );
		}
	} );
} );
