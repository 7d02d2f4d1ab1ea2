"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.requestedVersion = requestedVersion;
exports.wordpressCore = wordpressCore;
/**
 * Which WordPress core the stack runs.
 *
 * - `6.1` (default): Debian bookworm's `wordpress` package, installed as a system package.
 * - `6.8`: Debian trixie's `wordpress` package, the React 18 generation, fetched once into the
 *   cache with apt (a private apt configuration, so the system's sources are untouched) and
 *   unpacked with dpkg-deb.
 *
 * Why not the zips in @wp-playground/wordpress-builds: Playground serves most of wp-includes/js
 * from a remote host and strips it from those builds, so wp-admin cannot render a React panel on
 * them, and this machine cannot reach that host.
 */
const node_child_process_1 = require("node:child_process");
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const paths_1 = require("./paths");
const SUPPORTED = ['6.1', '6.8'];
function requestedVersion() {
    const wanted = process.env.WP_VERSION ?? '6.1';
    if (!SUPPORTED.includes(wanted)) {
        throw new Error(`WP_VERSION must be one of ${SUPPORTED.join(', ')}, got "${wanted}"`);
    }
    return wanted;
}
function wordpressCore(version = requestedVersion()) {
    if (version === '6.1') {
        return { version, dir: '/usr/share/wordpress' };
    }
    return { version, dir: fetchTrixieWordPress() };
}
function fetchTrixieWordPress() {
    const base = node_path_1.default.join((0, paths_1.cacheDir)(), 'wordpress-trixie');
    const core = node_path_1.default.join(base, 'root', 'usr', 'share', 'wordpress');
    if (node_fs_1.default.existsSync(node_path_1.default.join(core, 'wp-includes', 'version.php'))) {
        return core;
    }
    console.log('[stack] fetching WordPress from Debian trixie into the cache (once)');
    const apt = node_path_1.default.join(base, 'apt');
    for (const sub of ['lists/partial', 'archives/partial']) {
        node_fs_1.default.mkdirSync(node_path_1.default.join(apt, sub), { recursive: true });
    }
    const sources = node_path_1.default.join(apt, 'sources.list');
    node_fs_1.default.writeFileSync(sources, 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main\n');
    const options = [
        `-o`,
        `Dir::Etc::SourceList=${sources}`,
        `-o`,
        `Dir::Etc::SourceParts=/dev/null`,
        `-o`,
        `Dir::State::Lists=${node_path_1.default.join(apt, 'lists')}`,
        `-o`,
        `Dir::Cache=${apt}`,
        `-o`,
        `Debug::NoLocking=1`,
        `-o`,
        `APT::Sandbox::User=root`,
    ];
    run('apt-get', [...options, 'update', '-qq'], apt);
    run('apt-get', [...options, 'download', 'wordpress'], apt);
    const deb = node_fs_1.default
        .readdirSync(apt)
        .find((name) => name.startsWith('wordpress_') && name.endsWith('.deb'));
    if (!deb) {
        throw new Error('apt-get download wordpress produced no .deb');
    }
    run('dpkg-deb', ['-x', node_path_1.default.join(apt, deb), node_path_1.default.join(base, 'root')], apt);
    return core;
}
function run(command, args, cwd) {
    const result = (0, node_child_process_1.spawnSync)(command, args, { cwd, encoding: 'utf8' });
    if (result.status !== 0) {
        throw new Error(`${command} ${args.slice(-2).join(' ')} failed:\n${result.stderr}`);
    }
}
//# sourceMappingURL=wordpress-core.js.map