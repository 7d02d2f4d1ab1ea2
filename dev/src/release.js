"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.PLUGIN_SLUG = void 0;
exports.releaseDir = releaseDir;
exports.pluginZipPath = pluginZipPath;
exports.buildPluginZip = buildPluginZip;
exports.release = release;
/**
 * `npm run release`: the artifacts a site owner installs, written into release/ (git-ignored).
 * The version must agree everywhere first (release/version.ts); then each artifact is built in
 * turn. Today: the plugin zip. Another artifact (the bridge's `npm pack` tarball) is one more
 * entry in ARTIFACTS.
 */
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const build_1 = require("./build");
const paths_1 = require("./paths");
const plugin_files_1 = require("./release/plugin-files");
const pot_1 = require("./release/pot");
const version_1 = require("./release/version");
const zip_1 = require("./release/zip");
/** The plugin's folder name on a site (wp-content/plugins/pulse-sync) and its zip's top folder. */
exports.PLUGIN_SLUG = 'pulse-sync';
function releaseDir() {
    return node_path_1.default.resolve(process.env.PULSE_RELEASE_DIR ?? node_path_1.default.join(paths_1.ROOT, 'release'));
}
function pluginZipPath(version, dir = releaseDir()) {
    return node_path_1.default.join(dir, `${exports.PLUGIN_SLUG}-${version}.zip`);
}
/**
 * The plugin zip: the panel built into plugin/build, the translation template into
 * plugin/languages, then the shipped files (release/plugin-files.ts) under `pulse-sync/`.
 * @param version The release's version.
 * @param dir     Where the zip goes.
 */
function buildPluginZip(version, dir) {
    const pluginDir = node_path_1.default.join(paths_1.ROOT, 'plugin');
    (0, build_1.buildAdminUi)();
    (0, pot_1.writePot)(pluginDir, node_path_1.default.join(paths_1.ROOT, 'admin-ui', 'src'), version);
    const files = (0, plugin_files_1.pluginFiles)(pluginDir);
    const zip = pluginZipPath(version, dir);
    (0, zip_1.writeZip)(pluginDir, files, exports.PLUGIN_SLUG, zip);
    return zip;
}
const ARTIFACTS = [buildPluginZip];
/** Builds every artifact; returns their paths. */
function release() {
    const version = (0, version_1.releaseVersion)();
    const dir = releaseDir();
    node_fs_1.default.mkdirSync(dir, { recursive: true });
    console.log(`[release] Pulse Sync ${version} into ${dir}`);
    return ARTIFACTS.map((artifact) => {
        const file = artifact(version, dir);
        console.log(`[release] wrote ${node_path_1.default.relative(paths_1.ROOT, file)} (${node_fs_1.default.statSync(file).size} bytes)`);
        return file;
    });
}
//# sourceMappingURL=release.js.map