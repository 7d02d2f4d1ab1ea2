"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.lintChecks = lintChecks;
exports.runLint = runLint;
/**
 * `npm run lint`: every static check in one place, a line per check, false on any failure.
 *
 * - ESLint with @wordpress/eslint-plugin (Prettier formatting included) for all TypeScript.
 * - tsc --noEmit for each workspace (jest only transpiles, so types are checked here).
 * - php -l on every PHP file, and PHP_CodeSniffer from Debian with phpcs.xml.dist. WPCS is not
 *   obtainable here (Packagist is unreachable); phpcs.xml.dist says which sniffs stand in for it.
 */
const node_child_process_1 = require("node:child_process");
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const paths_1 = require("./paths");
const system_packages_1 = require("./system-packages");
function phpFiles() {
    const found = [];
    const walk = (dir) => {
        for (const entry of node_fs_1.default.readdirSync(dir, { withFileTypes: true })) {
            if (['node_modules', 'vendor', 'build'].includes(entry.name)) {
                continue;
            }
            const file = node_path_1.default.join(dir, entry.name);
            if (entry.isDirectory()) {
                walk(file);
            }
            else if (entry.name.endsWith('.php')) {
                found.push(node_path_1.default.relative(paths_1.ROOT, file));
            }
        }
    };
    walk(node_path_1.default.join(paths_1.ROOT, 'plugin'));
    walk(node_path_1.default.join(paths_1.ROOT, 'dev', 'php'));
    return found;
}
function lintChecks() {
    const bin = (name) => node_path_1.default.join(paths_1.ROOT, 'node_modules', '.bin', name);
    return [
        {
            name: 'eslint',
            command: bin('wp-scripts'),
            args: [
                'lint-js',
                'admin-ui/src',
                'bridge',
                'crm-sandbox',
                'dev',
                'e2e',
                'bench',
                'integration',
                'eslint.config.cjs',
                'jest.node.config.js',
            ],
        },
        ...[
            'crm-sandbox',
            'bridge',
            'admin-ui',
            'dev',
            'integration',
            'bench',
        ].map((workspace) => ({
            name: `tsc ${workspace}`,
            command: bin('tsc'),
            args: ['--noEmit', '-p', workspace],
        })),
        {
            name: 'php -l',
            command: 'sh',
            args: [
                '-c',
                'for f in "$@"; do php -l "$f" >/dev/null || exit 1; done',
                'php-l',
                ...phpFiles(),
            ],
        },
        {
            name: 'phpcs',
            command: 'phpcs',
            args: ['-q', '--standard=phpcs.xml.dist'],
        },
    ];
}
function runLint() {
    (0, system_packages_1.ensurePackages)(['php-cli', 'php-codesniffer']);
    let ok = true;
    for (const check of lintChecks()) {
        const run = (0, node_child_process_1.spawnSync)(check.command, check.args, {
            cwd: paths_1.ROOT,
            encoding: 'utf8',
        });
        const passed = run.status === 0;
        ok &&= passed;
        console.log(`[lint] ${passed ? 'ok  ' : 'FAIL'} ${check.name}`);
        if (!passed) {
            console.log(`${run.stdout ?? ''}${run.stderr ?? ''}`
                .trim()
                .split('\n')
                .slice(0, 60)
                .join('\n'));
        }
    }
    return ok;
}
//# sourceMappingURL=lint.js.map