"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The stack tool's commands. See docs/architecture.md ("The local stack") and the README.
 */
const stack_1 = require("./stack");
const stack_file_1 = require("./stack-file");
const banner_1 = require("./banner");
const follow_logs_1 = require("./follow-logs");
const test_runner_1 = require("./test-runner");
const lint_1 = require("./lint");
const build_1 = require("./build");
const bench_1 = require("./bench");
const release_1 = require("./release");
const version_1 = require("./release/version");
const commands = {
    async up() {
        (0, banner_1.printBanner)(await (0, stack_1.up)());
        return 0;
    },
    async down() {
        await (0, stack_1.down)();
        return 0;
    },
    async status() {
        const info = (0, stack_file_1.readStack)();
        console.log(info
            ? JSON.stringify({
                ...info,
                adminPassword: '(see .stack/stack.json)',
                bridgeSecret: '(hidden)',
            }, null, 2)
            : 'no stack');
        return 0;
    },
    async start() {
        (0, build_1.buildAdminUi)();
        const info = await (0, stack_1.up)();
        (0, banner_1.printBanner)(info);
        console.log('[stack] following logs; press Ctrl-C to stop everything');
        await (0, follow_logs_1.followLogs)(info.logDir);
        await (0, stack_1.down)();
        return 0;
    },
    test: () => (0, test_runner_1.runTests)(),
    lint: async () => ((0, lint_1.runLint)() ? 0 : 1),
    bench: () => (0, bench_1.runBench)(),
    async release() {
        (0, release_1.release)();
        return 0;
    },
    async 'version-sync'() {
        const changed = (0, version_1.syncVersion)();
        console.log(changed.length > 0
            ? `[version] wrote ${changed.join(', ')}`
            : '[version] every file already says the same version');
        return 0;
    },
};
const name = process.argv[2] ?? 'help';
const command = commands[name];
if (!command) {
    console.error(`usage: pulse-stack ${Object.keys(commands).join('|')}`);
    process.exit(2);
}
command().then((code) => process.exit(code), (error) => {
    console.error(`[stack] ${error.message}`);
    process.exit(1);
});
//# sourceMappingURL=cli.js.map