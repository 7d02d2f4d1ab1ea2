"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.runBench = runBench;
/**
 * `npm run bench`: the benchmark scenarios live in bench/ (see bench/README.md); they bring up
 * their own stack in .stack-bench and write bench/results/<timestamp>.{json,md}.
 */
const node_child_process_1 = require("node:child_process");
const node_path_1 = __importDefault(require("node:path"));
const paths_1 = require("./paths");
async function runBench() {
    const run = (0, node_child_process_1.spawnSync)(node_path_1.default.join(paths_1.ROOT, 'node_modules', '.bin', 'tsx'), [node_path_1.default.join(paths_1.ROOT, 'bench', 'run.ts'), ...process.argv.slice(3)], {
        cwd: paths_1.ROOT,
        stdio: 'inherit',
    });
    return run.status ?? 1;
}
//# sourceMappingURL=bench.js.map