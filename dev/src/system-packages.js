"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TEST_PACKAGES = exports.STACK_PACKAGES = void 0;
exports.ensurePackages = ensurePackages;
/**
 * Debian packages the stack and the tests need. Missing ones are installed with apt-get when we
 * run as root (CI and these machines), otherwise we print the exact command and stop: a stack that
 * half starts is worse than a clear instruction.
 */
const node_child_process_1 = require("node:child_process");
/** What `npm start` needs: PHP for WordPress, MariaDB, and WordPress 6.1 itself. */
exports.STACK_PACKAGES = [
    'php-cli',
    'php-mysql',
    'php-curl',
    'php-xml',
    'php-mbstring',
    'php8.2-opcache',
    'mariadb-server',
    'wordpress',
];
/** What `npm test` and `npm run lint` add: a browser, PHPUnit, PHP_CodeSniffer. */
exports.TEST_PACKAGES = ['chromium', 'phpunit', 'php-codesniffer'];
function isInstalled(pkg) {
    const query = (0, node_child_process_1.spawnSync)('dpkg-query', ['-W', '-f=${Status}', pkg], {
        encoding: 'utf8',
    });
    return (query.status === 0 && query.stdout.includes('install ok installed'));
}
function ensurePackages(packages) {
    const missing = packages.filter((pkg) => !isInstalled(pkg));
    if (missing.length === 0) {
        return;
    }
    const command = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
    if (process.getuid?.() !== 0) {
        console.error(`[stack] missing Debian packages. Run as root:\n  apt-get update && ${command}`);
        process.exit(1);
    }
    console.log(`[stack] installing Debian packages: ${missing.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    for (const args of [
        ['update', '-qq'],
        ['install', '-y', '-qq', '--no-install-recommends', ...missing],
    ]) {
        const run = (0, node_child_process_1.spawnSync)('apt-get', args, { stdio: 'inherit', env });
        if (run.status !== 0) {
            throw new Error(`apt-get ${args[0]} failed (exit ${run.status})`);
        }
    }
}
//# sourceMappingURL=system-packages.js.map