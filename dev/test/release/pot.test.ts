/**
 * The translation template holds the plugin's PHP strings and the panel's `__()` calls in one
 * file; a string both use appears once with both references, and panel strings name the bundle
 * (build/index.js) so `wp i18n make-json` can make the panel's JSON translations from it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { po } from 'gettext-parser';
import { makePot } from '../../src/release/pot';

let dir: string;

beforeAll( () => {
	dir = fs.mkdtempSync( path.join( os.tmpdir(), 'pulse-sync-pot-test-' ) );
	const plugin = path.join( dir, 'plugin' );
	const panel = path.join( dir, 'panel' );
	fs.mkdirSync( path.join( plugin, 'includes' ), { recursive: true } );
	fs.mkdirSync( path.join( panel, 'screens' ), { recursive: true } );
	fs.writeFileSync(
		path.join( plugin, 'pulse-sync.php' ),
		`<?php
/**
 * Plugin Name: Pulse Sync
 * Description: Turns webhooks into users.
 * Text Domain: pulse-sync
 */
`
	);
	fs.writeFileSync(
		path.join( plugin, 'includes', 'Page.php' ),
		`<?php
echo esc_html__( 'Pulse Sync', 'pulse-sync' );
/* translators: %d: HTTP status code. */
printf( __( 'It answered HTTP %d.', 'pulse-sync' ), 500 );
echo __( 'Another plugin’s string', 'other-domain' );
`
	);
	fs.writeFileSync(
		path.join( panel, 'screens', 'Status.tsx' ),
		`import { __, _n } from '@wordpress/i18n';
type Props = { count: number };
export function Status( { count }: Props ): JSX.Element {
	return (
		<h1 title={ _n( 'One delivery', '%d deliveries', count, 'pulse-sync' ) }>
			{ __( 'Pulse Sync', 'pulse-sync' ) }
			{ __( 'Bridge', 'pulse-sync' ) }
		</h1>
	);
}
`
	);
} );

afterAll( () => fs.rmSync( dir, { recursive: true, force: true } ) );

function template() {
	return po.parse(
		makePot(
			path.join( dir, 'plugin' ),
			path.join( dir, 'panel' ),
			'1.2.3'
		)
	);
}

test( 'PHP, plugin header and panel strings are in one template of the release', () => {
	const pot = template();
	const strings = pot.translations[ '' ] ?? {};
	expect( Object.keys( strings ).sort() ).toEqual(
		[
			'',
			'Bridge',
			'It answered HTTP %d.',
			'One delivery',
			'Pulse Sync',
			'Turns webhooks into users.',
		].sort()
	);
	expect( pot.headers[ 'project-id-version' ] ).toBe( 'Pulse Sync 1.2.3' );
	expect( strings[ 'One delivery' ]?.msgid_plural ).toBe( '%d deliveries' );
	expect( strings[ 'It answered HTTP %d.' ]?.comments?.extracted ).toBe(
		'translators: %d: HTTP status code.'
	);
} );

test( 'a string of both PHP and panel appears once, naming the PHP file and the bundle', () => {
	const references = (
		template().translations[ '' ]?.[ 'Pulse Sync' ]?.comments?.reference ??
		''
	).split( /[\n,]\s*/ );
	expect( references ).toEqual(
		expect.arrayContaining( [
			'pulse-sync.php:3',
			'includes/Page.php:2',
			'build/index.js',
		] )
	);
	expect(
		template().translations[ '' ]?.Bridge?.comments?.reference.split(
			'\n'
		)[ 0 ]
	).toBe( 'build/index.js' );
} );
