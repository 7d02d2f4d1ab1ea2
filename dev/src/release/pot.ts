/**
 * languages/pulse-sync.pot, the template translators start from: the plugin's PHP strings
 * (wp-pot, which parses PHP with php-parser and reads the plugin header) and the panel's `__()`
 * calls (WordPress's own @wordpress/babel-plugin-makepot, run over admin-ui/src through Babel's
 * TypeScript preset), merged into one file with gettext-parser.
 *
 * Every panel string also names `build/index.js`, the file it is compiled into: `wp i18n
 * make-json` turns a translation into the JSON file `wp_set_script_translations()` loads only for
 * strings whose references name a .js file of the plugin.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { transformFileSync, type TransformOptions } from '@babel/core';
import {
	po,
	type GetTextComment,
	type GetTextTranslations,
} from 'gettext-parser';
import { WP_Pot as WpPot } from 'wp-pot';
import { ROOT } from '../paths';

export const TEXT_DOMAIN = 'pulse-sync';

/** The panel's bundle, relative to the plugin folder (see Admin/Page.php). */
const PANEL_SCRIPT = 'build/index.js';

function phpStrings( pluginDir: string, version: string ): string {
	return new WpPot( {
		php: { textdomain: TEXT_DOMAIN, metadataFile: 'pulse-sync.php' },
		pot: {
			package: `Pulse Sync ${ version }`,
			// Poedit's defaults would exclude *.js files, where half the strings live.
			defaultHeaders: false,
			extraHeaders: { 'X-Domain': TEXT_DOMAIN },
			bugReport: 'https://github.com/pulse-sync/pulse-sync/issues',
		},
		pathsRelativeTo: pluginDir,
		globOpts: { cwd: pluginDir, absolute: true },
	} )
		.parse( [ '*.php', 'includes/**/*.php' ] )
		.generatePot();
}

function sourceFiles( dir: string ): string[] {
	return fs
		.readdirSync( dir, { withFileTypes: true, recursive: true } )
		.filter(
			( entry ) =>
				entry.isFile() && /\.(ts|tsx|js|jsx)$/.test( entry.name )
		)
		.map( ( entry ) => path.join( entry.parentPath, entry.name ) )
		.sort();
}

/**
 * The plugin writes its file after every source file, with the strings of all files so far, as
 * long as Babel reuses one instance of it: one options object for every file does that.
 */
function panelStrings( sourceDir: string ): string {
	const work = fs.mkdtempSync( path.join( os.tmpdir(), 'pulse-sync-pot-' ) );
	const output = path.join( work, 'panel.pot' );
	try {
		const options: TransformOptions = {
			babelrc: false,
			configFile: false,
			code: false,
			cwd: ROOT,
			presets: [
				[
					'@babel/preset-typescript',
					{ isTSX: true, allExtensions: true },
				],
			],
			plugins: [ [ '@wordpress/babel-plugin-makepot', { output } ] ],
		};
		for ( const file of sourceFiles( sourceDir ) ) {
			transformFileSync( file, options );
		}
		return fs.existsSync( output ) ? fs.readFileSync( output, 'utf8' ) : '';
	} finally {
		fs.rmSync( work, { recursive: true, force: true } );
	}
}

const NO_COMMENTS: GetTextComment = {
	translator: '',
	reference: '',
	extracted: '',
	flag: '',
	previous: '',
};

/** Adds `from`'s strings to `into`, joining the references of a string both have. */
function merge( into: GetTextTranslations, from: GetTextTranslations ): void {
	for ( const [ context, strings ] of Object.entries( from.translations ) ) {
		into.translations[ context ] ??= {};
		for ( const [ msgid, translation ] of Object.entries( strings ) ) {
			if ( msgid === '' ) {
				continue; // The header entry: `into` keeps its own.
			}
			const existing = into.translations[ context ][ msgid ];
			if ( ! existing ) {
				into.translations[ context ][ msgid ] = translation;
				continue;
			}
			const references = [
				existing.comments?.reference,
				translation.comments?.reference,
			]
				.filter( ( reference ) => reference )
				.join( '\n' );
			existing.comments = {
				...NO_COMMENTS,
				...translation.comments,
				...existing.comments,
				reference: references,
			};
		}
	}
}

/** Names the compiled bundle beside each source reference of the panel's strings. */
function referToBundle( panel: GetTextTranslations ): void {
	for ( const strings of Object.values( panel.translations ) ) {
		for ( const [ msgid, translation ] of Object.entries( strings ) ) {
			if ( msgid !== '' ) {
				translation.comments = {
					...NO_COMMENTS,
					...translation.comments,
					reference: [ PANEL_SCRIPT, translation.comments?.reference ]
						.filter( ( reference ) => reference )
						.join( '\n' ),
				};
			}
		}
	}
}

/**
 * The whole template, as text. `pluginDir` is the plugin folder (PHP), `panelSourceDir` the panel's
 * sources (admin-ui/src).
 * @param pluginDir      The plugin folder.
 * @param panelSourceDir The panel's TypeScript sources.
 * @param version        The release's version, for the header.
 */
export function makePot(
	pluginDir: string,
	panelSourceDir: string,
	version: string
): string {
	const template = po.parse( phpStrings( pluginDir, version ) );
	const panelText = panelStrings( panelSourceDir );
	if ( panelText !== '' ) {
		const panel = po.parse( panelText );
		referToBundle( panel );
		merge( template, panel );
	}
	return po.compile( template ).toString( 'utf8' ) + '\n';
}

/** Writes `<plugin>/languages/pulse-sync.pot` and returns its path. */
export function writePot(
	pluginDir: string,
	panelSourceDir: string,
	version: string
): string {
	const file = path.join( pluginDir, 'languages', `${ TEXT_DOMAIN }.pot` );
	fs.mkdirSync( path.dirname( file ), { recursive: true } );
	fs.writeFileSync( file, makePot( pluginDir, panelSourceDir, version ) );
	return file;
}
