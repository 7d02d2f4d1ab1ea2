/**
 * Writes a zip whose entries all sit under one top folder, the layout wp-admin » Plugins » Upload
 * Plugin expects (the folder becomes wp-content/plugins/<folder>). adm-zip is what
 * `wp-scripts plugin-zip` uses; it needs no zip program on the machine.
 */
import fs from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';

/**
 * @param sourceDir  The folder the files are read from.
 * @param files      Paths relative to sourceDir, with `/` separators.
 * @param topFolder  The one folder at the top of the zip.
 * @param targetFile The zip to write (replaced when it exists).
 */
export function writeZip(
	sourceDir: string,
	files: readonly string[],
	topFolder: string,
	targetFile: string
): void {
	const zip = new AdmZip();
	for ( const file of files ) {
		zip.addFile(
			`${ topFolder }/${ file }`,
			fs.readFileSync( path.join( sourceDir, file ) )
		);
	}
	fs.mkdirSync( path.dirname( targetFile ), { recursive: true } );
	fs.rmSync( targetFile, { force: true } );
	zip.writeZip( targetFile );
}

/** The entry names of a zip, for checks of what it holds. */
export function zipEntries( zipFile: string ): string[] {
	return new AdmZip( zipFile )
		.getEntries()
		.map( ( entry ) => entry.entryName )
		.sort();
}
