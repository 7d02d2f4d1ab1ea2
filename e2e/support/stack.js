"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.stack = stack;
exports.screenshotPath = screenshotPath;
exports.logIn = logIn;
exports.collectErrors = collectErrors;
/** The running stack the browser tests use, and the wp-admin login every spec starts with. */
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
function stack() {
    const file = process.env.PULSE_STACK_FILE ??
        node_path_1.default.resolve(__dirname, '..', '..', '.stack', 'stack.json');
    return JSON.parse(node_fs_1.default.readFileSync(file, 'utf8'));
}
/**
 * Screenshots of every screen go here (git-ignored), one folder per WordPress version.
 */
function screenshotPath(name) {
    return node_path_1.default.resolve(__dirname, '..', 'screenshots', `wp-${stack().wpVersion}`, `${name}.png`);
}
async function logIn(page) {
    const info = stack();
    await page.goto(`${info.siteUrl}/wp-login.php`);
    await page.fill('#user_login', info.adminUser);
    await page.fill('#user_pass', info.adminPassword);
    await Promise.all([
        page.waitForURL(/wp-admin/),
        page.click('#wp-submit'),
    ]);
}
/**
 * Console errors and failed page scripts, collected so a spec can assert there were none.
 * Resources from other hosts (Gravatar, emoji CDN) cannot load on this offline machine; those
 * failures are WordPress's, not the panel's, and are left out.
 */
function collectErrors(page) {
    const errors = [];
    const local = new URL(stack().siteUrl).host;
    page.on('console', (message) => {
        if (message.type() !== 'error') {
            return;
        }
        const source = message.location().url;
        const external = source !== '' && !source.includes(local);
        if (!(external && message.text().startsWith('Failed to load resource'))) {
            errors.push(`${message.text()} (${source})`);
        }
    });
    page.on('pageerror', (error) => errors.push(error.message));
    return errors;
}
//# sourceMappingURL=stack.js.map