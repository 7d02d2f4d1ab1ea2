/** The zip's layout: every entry under the one top folder wp-admin's Upload Plugin expects. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { writeZip, zipEntries } from '../../src/release/zip';

test( 'every file lands under the top folder with its content', () => {
	const dir = fs.mkdtempSync( path.join( os.tmpdir(), 'pulse-sync-zip-' ) );
	try {
		fs.mkdirSync( path.join( dir, 'src', 'includes', 'Users' ), {
			recursive: true,
		} );
		fs.writeFileSync(
			path.join( dir, 'src', 'pulse-sync.php' ),
			'<?php // main'
		);
		fs.writeFileSync(
			path.join( dir, 'src', 'includes', 'Users', 'Upserter.php' ),
			'<?php // upserter'
		);
		fs.writeFileSync( path.join( dir, 'src', 'left-out.txt' ), 'no' );
		const target = path.join( dir, 'out', 'pulse-sync-1.2.3.zip' );
		writeZip(
			path.join( dir, 'src' ),
			[ 'pulse-sync.php', 'includes/Users/Upserter.php' ],
			'pulse-sync',
			target
		);
		expect( zipEntries( target ) ).toEqual( [
			'pulse-sync/includes/Users/Upserter.php',
			'pulse-sync/pulse-sync.php',
		] );
		expect(
			new AdmZip( target ).readAsText(
				'pulse-sync/includes/Users/Upserter.php'
			)
		).toBe( '<?php // upserter' );
	} finally {
		fs.rmSync( dir, { recursive: true, force: true } );
	}
} );
