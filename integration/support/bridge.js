"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.delivery = delivery;
exports.waitForDelivery = waitForDelivery;
exports.killBridge = killBridge;
exports.startStackBridge = startStackBridge;
exports.waitForQuiet = waitForQuiet;
/** The bridge of the running stack: signed reads of its delivery log, and stop/start for fault tests. */
const node_path_1 = __importDefault(require("node:path"));
const processes_1 = require("../../dev/src/processes");
const seed_1 = require("../../dev/src/seed");
const services_1 = require("../../dev/src/services");
const stack_file_1 = require("../../dev/src/stack-file");
const paths_1 = require("../../dev/src/paths");
const wait_1 = require("../../dev/src/wait");
const stack_1 = require("./stack");
function delivery(id) {
    return (0, seed_1.callBridge)((0, stack_1.stack)(), 'GET', `/v1/deliveries/${encodeURIComponent(id)}`);
}
async function waitForDelivery(id, states = ['done', 'failed'], timeoutMs = 60000) {
    let last = null;
    await (0, wait_1.waitUntil)(`delivery ${id} to reach ${states.join('|')}`, async () => {
        last = await delivery(id);
        return states.includes(last.state);
    }, timeoutMs);
    return last;
}
function bridgeProcess() {
    return (0, stack_1.stack)().processes.find((owned) => owned.name === 'bridge');
}
async function killBridge(signal = 'SIGKILL') {
    const owned = bridgeProcess();
    if (!owned) {
        throw new Error('the stack has no bridge process');
    }
    if (signal === 'SIGKILL') {
        process.kill(-owned.pid, 'SIGKILL');
    }
    await (0, processes_1.stopGroup)(owned.pid, 5000);
}
/** Start the bridge again with the stack's configuration and record its new PID. */
async function startStackBridge() {
    const info = (0, stack_1.stack)();
    const file = process.env.PULSE_STACK_FILE ?? (0, paths_1.stackFile)();
    const dir = node_path_1.default.dirname(file);
    const port = Number(new URL(info.bridgeUrl).port);
    const pid = (0, services_1.startBridge)({
        port,
        siteUrl: info.siteUrl,
        secret: info.bridgeSecret,
        dbFile: node_path_1.default.join(dir, 'bridge.sqlite'),
    }, info.logDir);
    info.processes = info.processes
        .filter((owned) => owned.name !== 'bridge')
        .concat({ name: 'bridge', pid });
    (0, stack_file_1.writeStack)(info, file);
    await (0, wait_1.waitUntil)('the bridge', () => (0, wait_1.answers)(`${info.bridgeUrl}/v1/health`), 30000);
}
/**
 * Wait until the bridge has nothing queued or running, then until the plugin has forgotten any
 * backlog it was told about (it remembers one for 10 s and answers 202 without waiting meanwhile),
 * so that a test about answers starts from a quiet site. That also outlasts a storm the bridge
 * saw (it ends 10 s after the last burst), during which it answers 202 without waiting too.
 */
async function waitForQuiet(timeoutMs = 120000) {
    await (0, wait_1.waitUntil)('the bridge queue to drain', async () => {
        const status = (await (0, seed_1.callBridge)((0, stack_1.stack)(), 'GET', '/v1/status'));
        return status.queue.pending === 0 && status.queue.in_progress === 0;
    }, timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, PLUGIN_BACKLOG_MEMORY_MS));
}
/** How long the plugin remembers a reported backlog (filter pulse_sync_backlog_memory_seconds). */
const PLUGIN_BACKLOG_MEMORY_MS = 11000;
//# sourceMappingURL=bridge.js.map