"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.startPhpServer = startPhpServer;
exports.startSmtpSink = startSmtpSink;
exports.startCrmSandbox = startCrmSandbox;
exports.startBridge = startBridge;
/**
 * How each long-running service of the stack is started. Kept apart from stack.ts so that the
 * order of bringing things up reads in one place and the command lines in another.
 */
const node_path_1 = __importDefault(require("node:path"));
const paths_1 = require("./paths");
const processes_1 = require("./processes");
const TSX = node_path_1.default.join(paths_1.ROOT, 'node_modules', '.bin', 'tsx');
/** `php -S` answers one request per worker; WordPress calls itself (cron, REST), so never one. */
const PHP_WORKERS = process.env.PULSE_STACK_PHP_WORKERS ?? '4';
function startPhpServer(wpDir, port, logDir) {
    const logFile = node_path_1.default.join(logDir, 'php-server.log');
    return (0, processes_1.startDetached)({
        name: 'php',
        command: TSX,
        args: [
            node_path_1.default.join(paths_1.ROOT, 'dev', 'src', 'redacting-log.ts'),
            logFile,
            'php',
            '-d',
            'opcache.enable=1',
            '-d',
            'opcache.enable_cli=1',
            '-d',
            'opcache.validate_timestamps=1',
            '-d',
            'opcache.revalidate_freq=0',
            '-d',
            'memory_limit=256M',
            '-d',
            'display_errors=0',
            '-d',
            'log_errors=1',
            '-d',
            `error_log=${node_path_1.default.join(logDir, 'php-errors.log')}`,
            '-d',
            'max_execution_time=60',
            '-S',
            `127.0.0.1:${port}`,
            '-t',
            wpDir,
            node_path_1.default.join(paths_1.ROOT, 'dev', 'php', 'router.php'),
        ],
        env: { PHP_CLI_SERVER_WORKERS: PHP_WORKERS },
        logFile,
    });
}
function startSmtpSink(port, mailDir, logDir) {
    return (0, processes_1.startDetached)({
        name: 'smtp',
        command: TSX,
        args: [
            node_path_1.default.join(paths_1.ROOT, 'dev', 'src', 'smtp-sink.ts'),
            String(port),
            mailDir,
        ],
        logFile: node_path_1.default.join(logDir, 'smtp-sink.log'),
    });
}
function startCrmSandbox(port, dir, logDir) {
    return (0, processes_1.startDetached)({
        name: 'crm-sandbox',
        command: TSX,
        args: [node_path_1.default.join(paths_1.ROOT, 'crm-sandbox', 'src', 'main.ts')],
        // The CRM keeps its contacts across restarts, as WordPress keeps the users linked to them.
        env: {
            PORT: String(port),
            HOST: '127.0.0.1',
            CRM_SANDBOX_STATE: node_path_1.default.join(dir, 'crm-sandbox.json'),
        },
        logFile: node_path_1.default.join(logDir, 'crm-sandbox.log'),
    });
}
function startBridge(env, logDir) {
    return (0, processes_1.startDetached)({
        name: 'bridge',
        // Compiled by buildBridge() (stack.ts) before it is started.
        command: process.execPath,
        args: [node_path_1.default.join(paths_1.ROOT, 'bridge', 'dist', 'main.js')],
        env: {
            PULSE_SYNC_BRIDGE_HOST: '127.0.0.1',
            PULSE_SYNC_BRIDGE_PORT: String(env.port),
            PULSE_SYNC_SITE_URL: env.siteUrl,
            PULSE_SYNC_BRIDGE_SECRET: env.secret,
            PULSE_SYNC_BRIDGE_DB: env.dbFile,
        },
        logFile: node_path_1.default.join(logDir, 'bridge.log'),
    });
}
//# sourceMappingURL=services.js.map