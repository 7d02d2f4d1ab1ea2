/**
 * The web-server files for WordPress itself (docs/deploy.md, "Web server: a separate PHP pool for
 * webhooks") parse with the tools that read them on a real server: `nginx -t`, `php-fpm8.2 -t`,
 * `apache2 -t`. Each check is also shown to fail on a broken copy. What they do is tested on the
 * running nginx stack, which serves WordPress with these very files
 * (integration/lean-endpoint.test.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	APACHE_WORDPRESS,
	APACHE_WORDPRESS_MODULES,
	checkApache,
	checkFpmPool,
	checkNginx,
	FPM_POOL,
	NGINX_WORDPRESS,
	renderApacheWordPress,
	renderFpmPool,
	renderNginxWordPress,
	writeNginxConfig,
	type WordPressSite,
} from '../src/deploy-files';
import { pickPort } from '../src/ports';

let dir: string;
let site: WordPressSite;

beforeAll( async () => {
	dir = fs.mkdtempSync( path.join( os.tmpdir(), 'pulse-deploy-wp-' ) );
	site = {
		// nginx -t binds what it listens on: a free port of this machine.
		listen: `127.0.0.1:${ await pickPort( 'PULSE_TEST_WP_PORT', 8880 ) }`,
		serverName: 'site.example.test',
		root: path.join( dir, 'wordpress' ),
		visitorsSocket: path.join( dir, 'visitors.sock' ),
		webhooksSocket: path.join( dir, 'pulse-sync.sock' ),
		accessLog: path.join( dir, 'access.log' ),
	};
	fs.mkdirSync( site.root );
} );

afterAll( () => {
	fs.rmSync( dir, { recursive: true, force: true } );
} );

describe( 'deploy/nginx/wordpress-pulse-sync.conf', () => {
	const render = () =>
		renderNginxWordPress( site ).replace( /^\s*listen \[::\]:.*$/m, '' );

	test( 'nginx -t accepts it inside http {} with the EDIT lines filled in', () => {
		const result = checkNginx(
			writeNginxConfig( path.join( dir, 'nginx' ), render() )
		);
		expect( result.output ).toBe( '' );
		expect( result.ok ).toBe( true );
	} );

	test( 'nginx -t refuses a copy with a misspelt directive (the check can fail)', () => {
		const broken = render().replace( 'fastcgi_pass', 'fastcgi_passs' );
		const result = checkNginx(
			writeNginxConfig( path.join( dir, 'nginx-broken' ), broken )
		);
		expect( result.ok ).toBe( false );
		expect( result.output ).toContain( 'fastcgi_passs' );
	} );

	test( 'its access log format has no query string (the access key travels in it)', () => {
		const text = fs.readFileSync( NGINX_WORDPRESS, 'utf8' );
		const format = /log_format pulse_sync '([^;]*)';/.exec( text )?.[ 1 ];
		expect( format ).toContain( '$uri' );
		expect( format ).not.toMatch(
			/\$(request_uri|args|query_string|request)\b/
		);
		expect( text ).toMatch( /access_log \S+ pulse_sync;/ );
	} );
} );

describe( 'deploy/php-fpm/pulse-sync.conf', () => {
	test( 'php-fpm8.2 -t accepts the pool', () => {
		const result = checkFpmPool(
			path.join( dir, 'fpm' ),
			renderFpmPool( {
				listen: site.webhooksSocket,
				ownAccount: process.getuid?.() !== 0,
			} )
		);
		expect( result.ok ).toBe( true );
	} );

	test( 'php-fpm8.2 -t refuses a pool with a misspelt setting (the check can fail)', () => {
		const broken = fs
			.readFileSync( FPM_POOL, 'utf8' )
			.replace( 'pm.max_children', 'pm.max_childern' );
		const result = checkFpmPool(
			path.join( dir, 'fpm-broken' ),
			renderFpmPool(
				{ listen: site.webhooksSocket, ownAccount: true },
				broken
			)
		);
		expect( result.ok ).toBe( false );
		expect( result.output ).toContain( 'pm.max_childern' );
	} );
} );

describe( 'deploy/apache/wordpress-pulse-sync.conf', () => {
	test( 'apache2 -t accepts it with mod_proxy_fcgi, mod_setenvif and mod_rewrite', () => {
		const result = checkApache(
			path.join( dir, 'apache' ),
			renderApacheWordPress( site ),
			APACHE_WORDPRESS_MODULES
		);
		expect( result.output ).toBe( 'Syntax OK' );
		expect( result.ok ).toBe( true );
	} );

	test( 'apache2 -t refuses a copy with a misspelt directive (the check can fail)', () => {
		const result = checkApache(
			path.join( dir, 'apache-broken' ),
			renderApacheWordPress( site ).replace(
				'SetEnvIfExpr',
				'SetEnvIfExprr'
			),
			APACHE_WORDPRESS_MODULES
		);
		expect( result.ok ).toBe( false );
		expect( result.output ).toContain( 'SetEnvIfExprr' );
	} );

	test( 'its access log format has the path without the query string', () => {
		const text = fs.readFileSync( APACHE_WORDPRESS, 'utf8' );
		const format = /LogFormat "(.*)" pulse_sync/.exec( text )?.[ 1 ];
		expect( format ).toContain( '%U' );
		expect( format ).not.toMatch( /%q|%r|%\{QUERY_STRING\}/ );
	} );
} );
