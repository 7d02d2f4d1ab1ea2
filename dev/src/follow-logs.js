"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.followLogs = followLogs;
/**
 * `npm start` stays in the foreground and shows the services' logs as they grow, until Ctrl-C.
 * Polling instead of fs.watch: it works the same on every filesystem and costs nothing here.
 */
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
function followLogs(logDir) {
    const offsets = new Map();
    for (const name of node_fs_1.default.readdirSync(logDir)) {
        offsets.set(name, node_fs_1.default.statSync(node_path_1.default.join(logDir, name)).size);
    }
    const poll = () => {
        for (const name of node_fs_1.default.readdirSync(logDir)) {
            const file = node_path_1.default.join(logDir, name);
            const size = node_fs_1.default.statSync(file).size;
            const from = offsets.get(name) ?? 0;
            if (size > from) {
                const buffer = Buffer.alloc(size - from);
                const fd = node_fs_1.default.openSync(file, 'r');
                node_fs_1.default.readSync(fd, buffer, 0, buffer.length, from);
                node_fs_1.default.closeSync(fd);
                const label = name.replace(/\.log$/, '');
                for (const line of buffer
                    .toString('utf8')
                    .split('\n')
                    .filter(Boolean)) {
                    console.log(`[${label}] ${line}`);
                }
            }
            offsets.set(name, size);
        }
    };
    return new Promise((resolve) => {
        const timer = setInterval(poll, 500);
        const stop = () => {
            clearInterval(timer);
            console.log('\n[stack] stopping…');
            resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
    });
}
//# sourceMappingURL=follow-logs.js.map