"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.readStack = readStack;
exports.writeStack = writeStack;
/**
 * `.stack/stack.json`: what a running stack is, for people (printed by `npm start`), for the
 * tests (they read URLs and credentials from it) and for `stack:down` (the PIDs it owns).
 */
const node_fs_1 = __importDefault(require("node:fs"));
const paths_1 = require("./paths");
function readStack(file = (0, paths_1.stackFile)()) {
    try {
        return JSON.parse(node_fs_1.default.readFileSync(file, 'utf8'));
    }
    catch {
        return null;
    }
}
function writeStack(info, file = (0, paths_1.stackFile)()) {
    // Written through a temporary file so a reader never sees half a document.
    const tmp = `${file}.${process.pid}.tmp`;
    node_fs_1.default.writeFileSync(tmp, JSON.stringify(info, null, 2) + '\n', {
        mode: 0o600,
    });
    node_fs_1.default.renameSync(tmp, file);
}
//# sourceMappingURL=stack-file.js.map