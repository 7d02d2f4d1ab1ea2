"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.REQUIRED_FILES = exports.SHIPPED_FOLDERS = void 0;
exports.pluginFiles = pluginFiles;
/**
 * Which files of plugin/ a site receives: a rule, not a list of files, so that PHP other people add
 * under includes/ ships without anyone updating the release. Everything else in plugin/ (tests/,
 * phpunit.xml.dist, TESTS.md, vendor/, dot files) stays out.
 */
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
/** Folders shipped whole (WordPress's plugin handbook layout; the panel's bundle is build/). */
exports.SHIPPED_FOLDERS = ['includes', 'build', 'languages'];
/** Files at the top of plugin/ that ship: the PHP entry points and the readme. */
function isShippedTopFile(name) {
    return name.endsWith('.php') || name === 'readme.txt';
}
/** Without these the zip would install a broken plugin, so the release stops instead. */
exports.REQUIRED_FILES = [
    'pulse-sync.php',
    'uninstall.php',
    'readme.txt',
    'build/index.js',
    'build/index.asset.php',
    'languages/pulse-sync.pot',
];
function filesUnder(pluginDir, folder) {
    const dir = node_path_1.default.join(pluginDir, folder);
    if (!node_fs_1.default.existsSync(dir)) {
        return [];
    }
    return node_fs_1.default
        .readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((entry) => entry.isFile())
        .map((entry) => node_path_1.default.relative(pluginDir, node_path_1.default.join(entry.parentPath, entry.name)))
        .filter((file) => !file.split(node_path_1.default.sep).some((part) => part.startsWith('.')));
}
/**
 * The shipped files, relative to `pluginDir`, with `/` separators, sorted.
 * @param pluginDir The plugin folder (plugin/).
 */
function pluginFiles(pluginDir) {
    const top = node_fs_1.default
        .readdirSync(pluginDir, { withFileTypes: true })
        .filter((entry) => entry.isFile() && isShippedTopFile(entry.name))
        .map((entry) => entry.name);
    const files = [
        ...top,
        ...exports.SHIPPED_FOLDERS.flatMap((folder) => filesUnder(pluginDir, folder)),
    ].map((file) => file.split(node_path_1.default.sep).join('/'));
    const missing = exports.REQUIRED_FILES.filter((file) => !files.includes(file));
    if (missing.length > 0) {
        throw new Error(`the plugin is incomplete, missing: ${missing.join(', ')}`);
    }
    return files.sort();
}
//# sourceMappingURL=plugin-files.js.map