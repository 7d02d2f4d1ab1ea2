"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.isRunning = isRunning;
exports.up = up;
exports.down = down;
/**
 * Bringing the whole stack up and down. `up` starts every service in the background and records
 * what it owns in stack.json as it goes, so `down` (even after a failed `up`) stops exactly those
 * processes and nothing else.
 */
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const build_1 = require("./build");
const mariadb_1 = require("./mariadb");
const paths_1 = require("./paths");
const ports_1 = require("./ports");
const processes_1 = require("./processes");
const seed_1 = require("./seed");
const services_1 = require("./services");
const stack_file_1 = require("./stack-file");
const system_packages_1 = require("./system-packages");
const wait_1 = require("./wait");
const wordpress_site_1 = require("./wordpress-site");
const wordpress_core_1 = require("./wordpress-core");
async function isRunning(info) {
    return (info !== null &&
        info.processes.length > 0 &&
        info.processes.every((owned) => (0, processes_1.isAlive)(owned.pid)) &&
        (await (0, wait_1.answers)(`${info.siteUrl}/wp-login.php`)));
}
async function up() {
    const existing = (0, stack_file_1.readStack)();
    if (await isRunning(existing)) {
        console.log(`[stack] already running (${(0, paths_1.stackFile)()})`);
        return existing;
    }
    if (existing) {
        await down(); // Leftovers of a stack that died or half started.
    }
    (0, system_packages_1.ensurePackages)(system_packages_1.STACK_PACKAGES);
    const dir = (0, paths_1.stateDir)();
    // PULSE_STACK_SERVICES=wordpress: MariaDB, SMTP sink and WordPress only (plugin-only tests).
    const withServices = process.env.PULSE_STACK_SERVICES !== 'wordpress';
    // PULSE_STACK_PLUGIN=none: WordPress without the plugin (release tests upload the zip), so
    // nothing that needs the plugin runs: no settings, no bridge (it needs the plugin's secret).
    const withPlugin = (0, wordpress_site_1.pluginMode)() === 'linked';
    const withBridge = withServices && withPlugin;
    if (withBridge) {
        (0, build_1.buildBridge)();
    }
    const core = (0, wordpress_core_1.wordpressCore)();
    const logDir = node_path_1.default.join(dir, 'logs');
    const mailDir = node_path_1.default.join(dir, 'mail');
    node_fs_1.default.mkdirSync(logDir, { recursive: true });
    node_fs_1.default.mkdirSync(mailDir, { recursive: true });
    const wpPort = await (0, ports_1.pickPort)('PULSE_STACK_WP_PORT', 8888);
    const bridgePort = await (0, ports_1.pickPort)('PULSE_STACK_BRIDGE_PORT', 8787);
    const crmPort = await (0, ports_1.pickPort)('PULSE_STACK_CRM_PORT', 8790);
    const smtpPort = await (0, ports_1.pickPort)('PULSE_STACK_SMTP_PORT', 2525);
    const siteUrl = `http://127.0.0.1:${wpPort}`;
    const info = {
        wpVersion: core.version,
        siteUrl,
        adminUrl: `${siteUrl}/wp-admin/`,
        adminUser: '',
        adminPassword: '',
        accessKey: '',
        bridgeSecret: '',
        bridgeUrl: `http://127.0.0.1:${bridgePort}`,
        crmSandboxUrl: `http://127.0.0.1:${crmPort}`,
        mailDir,
        smtpPort,
        dbSocket: node_path_1.default.join(dir, 'mysqld.sock'),
        dbName: 'wordpress',
        wpDir: node_path_1.default.join(dir, 'wordpress'),
        logDir,
        processes: [],
        startedAt: new Date().toISOString(),
    };
    const own = (name, pid) => {
        info.processes.push({ name, pid });
        (0, stack_file_1.writeStack)(info);
    };
    try {
        console.log(`[stack] starting MariaDB, SMTP sink and CRM sandbox (WordPress ${core.version})`);
        const db = await (0, mariadb_1.startMariaDb)(dir, logDir);
        own('mariadb', db.pid);
        own('smtp', (0, services_1.startSmtpSink)(smtpPort, mailDir, logDir));
        if (withServices) {
            own('crm-sandbox', (0, services_1.startCrmSandbox)(crmPort, dir, logDir));
        }
        console.log(withPlugin
            ? '[stack] installing WordPress and activating Pulse Sync'
            : '[stack] installing WordPress without Pulse Sync (PULSE_STACK_PLUGIN=none)');
        const site = (0, wordpress_site_1.installSite)({
            core,
            dir,
            siteUrl,
            db,
            smtpPort,
            logDir,
        });
        Object.assign(info, {
            adminUser: site.adminUser,
            adminPassword: site.adminPassword,
            accessKey: site.accessKey,
            bridgeSecret: site.bridgeSecret,
        });
        if (withPlugin) {
            (0, wordpress_site_1.runPhp)(site.wpDir, 'configure.php', {}, {
                settings: {
                    bridge_url: info.bridgeUrl,
                    crm_account_url: info.crmSandboxUrl,
                    crm_portal_url: info.crmSandboxUrl,
                },
            });
        }
        own('php', (0, services_1.startPhpServer)(site.wpDir, wpPort, logDir));
        await (0, wait_1.waitUntil)('WordPress under php -S', () => (0, wait_1.answers)(`${siteUrl}/wp-login.php`), 30000);
        if (withServices) {
            await (0, wait_1.waitUntil)('the CRM sandbox', () => (0, wait_1.answers)(`${info.crmSandboxUrl}/api/v1/tags`), 30000);
        }
        if (withBridge) {
            own('bridge', (0, services_1.startBridge)({
                port: bridgePort,
                siteUrl,
                secret: site.bridgeSecret,
                dbFile: node_path_1.default.join(dir, 'bridge.sqlite'),
            }, logDir));
            await (0, wait_1.waitUntil)('the bridge', () => (0, wait_1.answers)(`${info.bridgeUrl}/v1/health`), 30000);
            await (0, seed_1.seedDemo)(info);
        }
        (0, stack_file_1.writeStack)(info);
        return info;
    }
    catch (error) {
        console.error(`[stack] start failed; logs are in ${logDir}`);
        await down();
        throw error;
    }
}
async function down() {
    const info = (0, stack_file_1.readStack)();
    if (!info) {
        console.log('[stack] nothing to stop');
        return;
    }
    // Reverse order: the bridge stops before WordPress and the database it writes to.
    const owned = [...info.processes].reverse();
    for (const process of owned) {
        await (0, processes_1.stopGroup)(process.pid);
    }
    info.processes = [];
    (0, stack_file_1.writeStack)(info);
    console.log(`[stack] stopped ${owned.map((p) => p.name).join(', ') || 'nothing'}`);
}
//# sourceMappingURL=stack.js.map