"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.runTests = runTests;
/**
 * `npm test`: every suite in one command, a summary line per suite, non-zero on any failure.
 *
 * Order: lint; the jest suites that start their own servers (sandbox, bridge, panel); then, for
 * each WordPress generation (6.1 with React 17, 6.8 with React 18), a real stack in its own state
 * folder for PHPUnit, the end-to-end webhook tests and Playwright, stopped afterwards whatever
 * happened.
 */
const node_child_process_1 = require("node:child_process");
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const build_1 = require("./build");
const lint_1 = require("./lint");
const paths_1 = require("./paths");
const stack_1 = require("./stack");
const system_packages_1 = require("./system-packages");
const outcomes = [];
/** No suite may hang the run: CI gives the whole run 90 minutes. */
const SUITE_TIMEOUT_MS = 20 * 60 * 1000;
function record(suite, started, passed) {
    const seconds = (Date.now() - started) / 1000;
    outcomes.push({ suite, passed, seconds });
    console.log(`\n[test] ${passed ? 'PASS' : 'FAIL'} ${suite} (${seconds.toFixed(1)} s)\n`);
    return passed;
}
function runSuite(suite, command, args, env = {}) {
    console.log(`\n[test] ${suite}: ${command} ${args.join(' ')}`);
    const started = Date.now();
    const run = (0, node_child_process_1.spawnSync)(command, args, {
        timeout: SUITE_TIMEOUT_MS,
        cwd: paths_1.ROOT,
        stdio: 'inherit',
        env: { ...process.env, ...env },
    });
    return record(suite, started, run.status === 0);
}
const bin = (name) => node_path_1.default.join(paths_1.ROOT, 'node_modules', '.bin', name);
async function onStack(version, suites) {
    const dir = node_path_1.default.join(paths_1.ROOT, `.stack-test-${version}`);
    const env = {
        PULSE_STACK_DIR: dir,
        WP_VERSION: version,
        PULSE_STACK_FILE: node_path_1.default.join(dir, 'stack.json'),
        // The bridge's real schedule waits 30 s before the first retry; tests need not.
        PULSE_SYNC_RETRY_SCHEDULE: '2s,5s,10s,30s',
    };
    Object.assign(process.env, env);
    const started = Date.now();
    try {
        // Every run starts from a new site: a state folder left by an interrupted run keeps the
        // settings and users its tests made.
        await (0, stack_1.down)();
        node_fs_1.default.rmSync(dir, { recursive: true, force: true });
        await (0, stack_1.up)();
        record(`stack up (WordPress ${version})`, started, true);
        suites(env);
    }
    catch (error) {
        console.error(`[test] ${error.message}`);
        record(`stack up (WordPress ${version})`, started, false);
    }
    finally {
        await (0, stack_1.down)();
        for (const key of Object.keys(env)) {
            delete process.env[key];
        }
    }
}
async function runTests() {
    (0, system_packages_1.ensurePackages)([...system_packages_1.STACK_PACKAGES, ...system_packages_1.TEST_PACKAGES]);
    const lintStarted = Date.now();
    record('lint', lintStarted, (0, lint_1.runLint)());
    const buildStarted = Date.now();
    let built = true;
    try {
        (0, build_1.buildAdminUi)();
    }
    catch {
        built = false;
    }
    record('admin-ui build', buildStarted, built);
    runSuite('crm-sandbox (jest)', bin('jest'), [
        '-c',
        'crm-sandbox/jest.config.js',
    ]);
    runSuite('bridge (jest)', bin('jest'), [
        '-c',
        'bridge/jest.config.js',
    ]);
    runSuite('admin-ui (jest)', 'npm', [
        'test',
        '-w',
        'admin-ui',
        '--silent',
    ]);
    runSuite('dev (jest)', bin('jest'), ['-c', 'dev/jest.config.js']);
    runSuite('bench harness (jest)', bin('jest'), [
        '-c',
        'bench/jest.config.js',
    ]);
    for (const version of ['6.1', '6.8']) {
        await onStack(version, (env) => {
            runSuite(`plugin (PHPUnit, WordPress ${version})`, 'phpunit', ['-c', 'plugin/phpunit.xml.dist'], env);
            if (version === '6.1') {
                runSuite('webhooks end to end (jest, real stack)', bin('jest'), ['-c', 'integration/jest.config.js', '--runInBand'], env);
            }
            runSuite(`panel (Playwright, WordPress ${version})`, bin('playwright'), ['test', '-c', 'e2e/playwright.config.ts'], env);
        });
    }
    const failed = outcomes.filter((outcome) => !outcome.passed);
    console.log('\n[test] summary');
    for (const outcome of outcomes) {
        console.log(`  ${outcome.passed ? 'PASS' : 'FAIL'}  ${outcome.suite}  (${outcome.seconds.toFixed(1)} s)`);
    }
    console.log(`\nsuites: ${outcomes.length - failed.length} passed, ${failed.length} failed`);
    return failed.length === 0 ? 0 : 1;
}
//# sourceMappingURL=test-runner.js.map