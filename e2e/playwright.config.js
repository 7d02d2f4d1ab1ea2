"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * Playwright in Debian's Chromium (never `playwright install`: browsers cannot be downloaded on
 * these machines) against the stack named by PULSE_STACK_FILE (default .stack/stack.json).
 */
const test_1 = require("@playwright/test");
exports.default = (0, test_1.defineConfig)({
    testDir: './specs',
    outputDir: '../test-results',
    timeout: 60000,
    workers: 1,
    retries: 0,
    reporter: [['list']],
    use: {
        headless: true,
        screenshot: 'only-on-failure',
        launchOptions: {
            executablePath: '/usr/bin/chromium',
            args: [
                '--no-sandbox',
                '--disable-gpu',
                '--disable-background-networking',
                '--disable-component-update',
                '--no-first-run',
                '--disable-sync',
            ],
        },
    },
});
//# sourceMappingURL=playwright.config.js.map