"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * Stopping a stack's process group: everything in the group ends, and a process that already
 * exited but was not reaped yet (a zombie of a long-lived parent) does not make it wait forever.
 */
const node_child_process_1 = require("node:child_process");
const node_fs_1 = __importDefault(require("node:fs"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const processes_1 = require("../src/processes");
const log = () => node_path_1.default.join(node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'pulse-proc-')), 'out.log');
test('stopGroup ends a process and the children it forked', async () => {
    // A shell that forks a sleeping child, like php -S forks its workers.
    const pid = (0, processes_1.startDetached)({
        name: 'group',
        command: 'sh',
        args: ['-c', 'sleep 60 & sleep 60'],
        logFile: log(),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const members = (0, node_child_process_1.execFileSync)('pgrep', ['-g', String(pid)], {
        encoding: 'utf8',
    })
        .trim()
        .split('\n');
    expect(members.length).toBeGreaterThanOrEqual(2);
    await (0, processes_1.stopGroup)(pid, 2000);
    expect(members.map(Number).filter(processes_1.isAlive)).toEqual([]);
});
test('regression: an exited, unreaped member does not keep stopGroup waiting', async () => {
    // This test process is the parent and does not reap until its event loop turns.
    const pid = (0, processes_1.startDetached)({
        name: 'quick',
        command: 'sh',
        args: ['-c', 'exit 0'],
        logFile: log(),
    });
    const started = Date.now();
    await (0, processes_1.stopGroup)(pid, 1000);
    expect(Date.now() - started).toBeLessThan(5000);
});
//# sourceMappingURL=processes.test.js.map