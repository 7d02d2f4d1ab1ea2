"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.copyCore = copyCore;
exports.writeConfig = writeConfig;
exports.installSite = installSite;
exports.runPhp = runPhp;
/**
 * A WordPress site in the state folder: a private copy of core (so wp-config.php and wp-content
 * are ours, not Debian's /etc/wordpress lookup), the plugin linked in, a mail mu-plugin, and a
 * non-interactive install through dev/php/install.php.
 */
const node_child_process_1 = require("node:child_process");
const node_crypto_1 = __importDefault(require("node:crypto"));
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const paths_1 = require("./paths");
/** Debian links a few files to other packages; these are where the package itself would live. */
const DEBIAN_HOME = '/usr/share/wordpress';
function copyCore(core, wpDir) {
    const marker = node_path_1.default.join(wpDir, '.pulse-stack-core');
    if (node_fs_1.default.existsSync(marker) &&
        node_fs_1.default.readFileSync(marker, 'utf8') === core.dir) {
        return;
    }
    node_fs_1.default.rmSync(wpDir, { recursive: true, force: true });
    copyTree(core.dir, wpDir, '');
    node_fs_1.default.writeFileSync(marker, core.dir);
}
function copyTree(from, to, relative) {
    node_fs_1.default.mkdirSync(to, { recursive: true });
    for (const entry of node_fs_1.default.readdirSync(from, { withFileTypes: true })) {
        const source = node_path_1.default.join(from, entry.name);
        const target = node_path_1.default.join(to, entry.name);
        const rel = node_path_1.default.join(relative, entry.name);
        if (entry.name === 'wp-config.php' && relative === '') {
            continue; // Debian's wp-config.php looks in /etc/wordpress; ours is written below.
        }
        if (entry.isSymbolicLink()) {
            const resolved = resolveDebianLink(source, rel);
            if (resolved) {
                node_fs_1.default.copyFileSync(resolved, target);
            }
        }
        else if (entry.isDirectory()) {
            copyTree(source, target, rel);
        }
        else {
            node_fs_1.default.copyFileSync(source, target);
        }
    }
}
/**
 * A package unpacked in the cache keeps relative links such as ../../../javascript/underscore/…,
 * meant to be read from /usr/share/wordpress. Resolve them there; when the system lacks the
 * target (trixie links lodash to a package bookworm does not have), use the system WordPress's own
 * copy of that file.
 */
function resolveDebianLink(source, rel) {
    const link = node_fs_1.default.readlinkSync(source);
    const candidates = [
        node_path_1.default.resolve(node_path_1.default.dirname(source), link),
        node_path_1.default.resolve(node_path_1.default.dirname(node_path_1.default.join(DEBIAN_HOME, rel)), link),
        node_path_1.default.join(DEBIAN_HOME, rel),
    ];
    for (const candidate of candidates) {
        try {
            if (node_fs_1.default.statSync(candidate).isFile()) {
                return candidate;
            }
        }
        catch {
            // Try the next place.
        }
    }
    console.warn(`[stack] skipped ${rel}: its link target ${link} is not on this machine`);
    return null;
}
function phpString(value) {
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
function writeConfig(options, wpDir) {
    const saltsFile = node_path_1.default.join(options.dir, 'wp-salts.json');
    if (!node_fs_1.default.existsSync(saltsFile)) {
        const names = [
            'AUTH_KEY',
            'SECURE_AUTH_KEY',
            'LOGGED_IN_KEY',
            'NONCE_KEY',
            'AUTH_SALT',
            'SECURE_AUTH_SALT',
            'LOGGED_IN_SALT',
            'NONCE_SALT',
        ];
        const salts = Object.fromEntries(names.map((name) => [
            name,
            node_crypto_1.default.randomBytes(48).toString('base64'),
        ]));
        node_fs_1.default.writeFileSync(saltsFile, JSON.stringify(salts), { mode: 0o600 });
    }
    const salts = JSON.parse(node_fs_1.default.readFileSync(saltsFile, 'utf8'));
    const define = (name, value) => `define( '${name}', ${typeof value === 'string' ? phpString(value) : String(value)} );`;
    const lines = [
        '<?php',
        '// Written by the Pulse Sync local stack (dev/src/wordpress-site.ts) on every start.',
        define('DB_NAME', options.db.name),
        define('DB_USER', options.db.user),
        define('DB_PASSWORD', options.db.password),
        define('DB_HOST', `localhost:${options.db.socket}`),
        define('DB_CHARSET', 'utf8mb4'),
        define('DB_COLLATE', ''),
        ...Object.entries(salts).map(([name, value]) => define(name, value)),
        define('WP_HOME', options.siteUrl),
        define('WP_SITEURL', options.siteUrl),
        define('WP_ENVIRONMENT_TYPE', 'local'),
        define('WP_DEBUG', true),
        define('WP_DEBUG_DISPLAY', false),
        define('WP_DEBUG_LOG', node_path_1.default.join(options.logDir, 'wp-debug.log')),
        define('FS_METHOD', 'direct'),
        define('AUTOMATIC_UPDATER_DISABLED', true),
        define('WP_HTTP_BLOCK_EXTERNAL', true),
        define('PULSE_STACK_SMTP_PORT', options.smtpPort),
        "$table_prefix = 'wp_';",
        "if ( ! defined( 'ABSPATH' ) ) { define( 'ABSPATH', __DIR__ . '/' ); }",
        "require_once ABSPATH . 'wp-settings.php';",
        '',
    ];
    node_fs_1.default.writeFileSync(node_path_1.default.join(wpDir, 'wp-config.php'), lines.join('\n'), {
        mode: 0o600,
    });
}
function linkInto(target, link) {
    node_fs_1.default.mkdirSync(node_path_1.default.dirname(link), { recursive: true });
    node_fs_1.default.rmSync(link, { recursive: true, force: true });
    node_fs_1.default.symlinkSync(target, link);
}
function installSite(options) {
    const wpDir = node_path_1.default.join(options.dir, 'wordpress');
    copyCore(options.core, wpDir);
    writeConfig(options, wpDir);
    linkInto(node_path_1.default.join(paths_1.ROOT, 'plugin'), node_path_1.default.join(wpDir, 'wp-content', 'plugins', 'pulse-sync'));
    linkInto(node_path_1.default.join(paths_1.ROOT, 'dev', 'php', 'mu-plugins', 'pulse-stack-smtp.php'), node_path_1.default.join(wpDir, 'wp-content', 'mu-plugins', 'pulse-stack-smtp.php'));
    const credentialsFile = node_path_1.default.join(options.dir, 'admin.json');
    if (!node_fs_1.default.existsSync(credentialsFile)) {
        const credentials = {
            user: 'admin',
            password: node_crypto_1.default.randomBytes(12).toString('base64url'),
        };
        node_fs_1.default.writeFileSync(credentialsFile, JSON.stringify(credentials), {
            mode: 0o600,
        });
    }
    const admin = JSON.parse(node_fs_1.default.readFileSync(credentialsFile, 'utf8'));
    const adminEnv = {
        PULSE_ADMIN_USER: admin.user,
        PULSE_ADMIN_PASSWORD: admin.password,
        PULSE_ADMIN_EMAIL: 'admin@example.test',
    };
    runPhp(wpDir, 'install.php', adminEnv);
    // A second process: activation must not run with WP_INSTALLING, which install.php defines.
    const installed = JSON.parse(runPhp(wpDir, 'activate.php', adminEnv));
    return {
        wpDir,
        adminUser: admin.user,
        adminPassword: admin.password,
        accessKey: installed.access_key,
        bridgeSecret: installed.bridge_secret,
    };
}
/**
 * Runs one of dev/php/*.php against the site (they load wp-load.php: WP-CLI is not obtainable
 * here). `input` goes to the script's standard input as JSON.
 */
function runPhp(wpDir, script, env = {}, input) {
    const result = (0, node_child_process_1.spawnSync)('php', [node_path_1.default.join(paths_1.ROOT, 'dev', 'php', script)], {
        env: { ...process.env, ...env, PULSE_WP_DIR: wpDir },
        input: input === undefined ? '' : JSON.stringify(input),
        encoding: 'utf8',
    });
    if (result.status !== 0) {
        throw new Error(`php ${script} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
    }
    return result.stdout;
}
//# sourceMappingURL=wordpress-site.js.map