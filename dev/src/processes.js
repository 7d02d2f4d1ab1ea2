"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.startDetached = startDetached;
exports.isAlive = isAlive;
exports.stopGroup = stopGroup;
/**
 * Background processes the stack owns. Each one is started in its own process group so that
 * stopping it also stops its children (php -S forks PHP_CLI_SERVER_WORKERS workers, tsx forks
 * node), and nothing the stack did not start is ever signalled.
 */
const node_child_process_1 = require("node:child_process");
const node_fs_1 = __importDefault(require("node:fs"));
function startDetached(options) {
    const log = node_fs_1.default.openSync(options.logFile, 'a');
    const child = (0, node_child_process_1.spawn)(options.command, options.args, {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        detached: true,
        stdio: ['ignore', log, log],
    });
    node_fs_1.default.closeSync(log);
    if (child.pid === undefined) {
        throw new Error(`could not start ${options.name} (${options.command})`);
    }
    child.unref();
    return child.pid;
}
/** Whether the process runs (a zombie, exited but not yet reaped, does not). */
function isAlive(pid) {
    const stat = readStat(String(pid));
    return stat !== null && stat.state !== 'Z';
}
/** State and process group from /proc/<pid>/stat, or null when there is no such process. */
function readStat(pid) {
    let stat;
    try {
        stat = node_fs_1.default.readFileSync(`/proc/${pid}/stat`, 'utf8');
    }
    catch {
        return null;
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
    const [state = '', , pgrp] = stat
        .slice(stat.lastIndexOf(')') + 2)
        .split(' ');
    return { state, pgrp: Number(pgrp) };
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * SIGTERM to the whole group, SIGKILL after `graceMs` if anything is left.
 */
async function stopGroup(pid, graceMs = 5000) {
    const signalGroup = (signal) => {
        try {
            process.kill(-pid, signal);
        }
        catch {
            // The group is already gone.
        }
    };
    signalGroup('SIGTERM');
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline) {
        if (!groupAlive(pid)) {
            return;
        }
        await sleep(100);
    }
    signalGroup('SIGKILL');
    while (groupAlive(pid)) {
        await sleep(50);
    }
}
/**
 * Whether any process of the group still runs. Zombies do not count: a stack started by a
 * long-lived process (the test runner) stays that process's children, and their exit is only
 * reaped when its event loop turns, which it does not while it waits for a test suite.
 */
function groupAlive(pgid) {
    return node_fs_1.default.readdirSync('/proc').some((entry) => {
        if (!/^\d+$/.test(entry)) {
            return false;
        }
        const stat = readStat(entry);
        return stat !== null && stat.pgrp === pgid && stat.state !== 'Z';
    });
}
//# sourceMappingURL=processes.js.map