"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * Runs a command and writes its output to a log file with secrets redacted (see redact.ts).
 * Used for `php -S`, whose request log has no off switch and includes full URLs.
 *
 * Run: tsx dev/src/redacting-log.ts <log file> <command> [args…]
 * The command stays in this process's group, so stopping the group stops both.
 */
const node_child_process_1 = require("node:child_process");
const node_fs_1 = __importDefault(require("node:fs"));
const node_readline_1 = __importDefault(require("node:readline"));
const redact_1 = require("./redact");
const [logFile, command, ...args] = process.argv.slice(2);
if (!logFile || !command) {
    console.error('usage: redacting-log.ts <log file> <command> [args…]');
    process.exit(2);
}
const log = node_fs_1.default.createWriteStream(logFile, { flags: 'a' });
const child = (0, node_child_process_1.spawn)(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
for (const stream of [child.stdout, child.stderr]) {
    node_readline_1.default
        .createInterface({ input: stream })
        .on('line', (line) => log.write((0, redact_1.redactLine)(line) + '\n'));
}
child.on('exit', (code, signal) => {
    log.end(() => process.exit(code ?? (signal ? 1 : 0)));
});
for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => child.kill(signal));
}
//# sourceMappingURL=redacting-log.js.map