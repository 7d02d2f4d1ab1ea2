"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.TEXT_DOMAIN = void 0;
exports.makePot = makePot;
exports.writePot = writePot;
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
const node_fs_1 = __importDefault(require("node:fs"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const core_1 = require("@babel/core");
const gettext_parser_1 = require("gettext-parser");
const wp_pot_1 = require("wp-pot");
const paths_1 = require("../paths");
exports.TEXT_DOMAIN = 'pulse-sync';
/** The panel's bundle, relative to the plugin folder (see Admin/Page.php). */
const PANEL_SCRIPT = 'build/index.js';
function phpStrings(pluginDir, version) {
    return new wp_pot_1.WP_Pot({
        php: { textdomain: exports.TEXT_DOMAIN, metadataFile: 'pulse-sync.php' },
        pot: {
            package: `Pulse Sync ${version}`,
            // Poedit's defaults would exclude *.js files, where half the strings live.
            defaultHeaders: false,
            extraHeaders: { 'X-Domain': exports.TEXT_DOMAIN },
            bugReport: 'https://github.com/pulse-sync/pulse-sync/issues',
        },
        pathsRelativeTo: pluginDir,
        globOpts: { cwd: pluginDir, absolute: true },
    })
        .parse(['*.php', 'includes/**/*.php'])
        .generatePot();
}
function sourceFiles(dir) {
    return node_fs_1.default
        .readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((entry) => entry.isFile() && /\.(ts|tsx|js|jsx)$/.test(entry.name))
        .map((entry) => node_path_1.default.join(entry.parentPath, entry.name))
        .sort();
}
/**
 * The plugin writes its file after every source file, with the strings of all files so far, as
 * long as Babel reuses one instance of it: one options object for every file does that.
 */
function panelStrings(sourceDir) {
    const work = node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'pulse-sync-pot-'));
    const output = node_path_1.default.join(work, 'panel.pot');
    try {
        const options = {
            babelrc: false,
            configFile: false,
            code: false,
            cwd: paths_1.ROOT,
            presets: [
                [
                    '@babel/preset-typescript',
                    { isTSX: true, allExtensions: true },
                ],
            ],
            plugins: [['@wordpress/babel-plugin-makepot', { output }]],
        };
        for (const file of sourceFiles(sourceDir)) {
            (0, core_1.transformFileSync)(file, options);
        }
        return node_fs_1.default.existsSync(output) ? node_fs_1.default.readFileSync(output, 'utf8') : '';
    }
    finally {
        node_fs_1.default.rmSync(work, { recursive: true, force: true });
    }
}
const NO_COMMENTS = {
    translator: '',
    reference: '',
    extracted: '',
    flag: '',
    previous: '',
};
/** Adds `from`'s strings to `into`, joining the references of a string both have. */
function merge(into, from) {
    for (const [context, strings] of Object.entries(from.translations)) {
        into.translations[context] ??= {};
        for (const [msgid, translation] of Object.entries(strings)) {
            if (msgid === '') {
                continue; // The header entry: `into` keeps its own.
            }
            const existing = into.translations[context][msgid];
            if (!existing) {
                into.translations[context][msgid] = translation;
                continue;
            }
            const references = [
                existing.comments?.reference,
                translation.comments?.reference,
            ]
                .filter((reference) => reference)
                .join('\n');
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
function referToBundle(panel) {
    for (const strings of Object.values(panel.translations)) {
        for (const [msgid, translation] of Object.entries(strings)) {
            if (msgid !== '') {
                translation.comments = {
                    ...NO_COMMENTS,
                    ...translation.comments,
                    reference: [PANEL_SCRIPT, translation.comments?.reference]
                        .filter((reference) => reference)
                        .join('\n'),
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
function makePot(pluginDir, panelSourceDir, version) {
    const template = gettext_parser_1.po.parse(phpStrings(pluginDir, version));
    const panelText = panelStrings(panelSourceDir);
    if (panelText !== '') {
        const panel = gettext_parser_1.po.parse(panelText);
        referToBundle(panel);
        merge(template, panel);
    }
    return gettext_parser_1.po.compile(template).toString('utf8') + '\n';
}
/** Writes `<plugin>/languages/pulse-sync.pot` and returns its path. */
function writePot(pluginDir, panelSourceDir, version) {
    const file = node_path_1.default.join(pluginDir, 'languages', `${exports.TEXT_DOMAIN}.pot`);
    node_fs_1.default.mkdirSync(node_path_1.default.dirname(file), { recursive: true });
    node_fs_1.default.writeFileSync(file, makePot(pluginDir, panelSourceDir, version));
    return file;
}
//# sourceMappingURL=pot.js.map