"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.buildAdminUi = buildAdminUi;
exports.buildBridge = buildBridge;
/**
 * Builds what the stack runs from compiled output: the admin panel into plugin/build (wp-scripts)
 * and the bridge into bridge/dist (tsc), as `npm start`, `npm test` and `npm run bench` need them.
 */
const node_child_process_1 = require("node:child_process");
const paths_1 = require("./paths");
function buildWorkspace(workspace, what) {
    console.log(`[stack] building ${what}`);
    const run = (0, node_child_process_1.spawnSync)('npm', ['run', 'build', '-w', workspace, '--silent'], {
        cwd: paths_1.ROOT,
        stdio: 'inherit',
    });
    if (run.status !== 0) {
        throw new Error(`the build of ${what} failed`);
    }
}
function buildAdminUi() {
    buildWorkspace('admin-ui', 'the admin panel (admin-ui → plugin/build)');
}
/**
 * The bridge runs as plain JavaScript under node: under tsx it was two processes (launcher and
 * loader) and about 60 MB more memory. Incremental, so an unchanged bridge builds in about a second.
 */
function buildBridge() {
    buildWorkspace('bridge', 'the bridge (bridge/src → bridge/dist)');
}
//# sourceMappingURL=build.js.map