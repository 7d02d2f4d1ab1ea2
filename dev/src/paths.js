"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.ROOT = void 0;
exports.stateDir = stateDir;
exports.cacheDir = cacheDir;
exports.stackFile = stackFile;
/**
 * Where the stack keeps things. Everything here is derived from the repository root and two
 * environment variables, so parallel runs (tests, benchmarks) can use separate state folders.
 */
const node_path_1 = __importDefault(require("node:path"));
exports.ROOT = node_path_1.default.resolve(__dirname, '..', '..');
/** The state folder: MariaDB datadir, WordPress copy, logs, mail, stack.json. */
function stateDir() {
    return node_path_1.default.resolve(process.env.PULSE_STACK_DIR ?? node_path_1.default.join(exports.ROOT, '.stack'));
}
/** Downloads that outlive a state folder (newer WordPress builds). */
function cacheDir() {
    return node_path_1.default.resolve(process.env.PULSE_STACK_CACHE ?? node_path_1.default.join(exports.ROOT, '.cache'));
}
function stackFile(dir = stateDir()) {
    return node_path_1.default.join(dir, 'stack.json');
}
//# sourceMappingURL=paths.js.map