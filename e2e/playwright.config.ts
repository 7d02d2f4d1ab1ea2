/**
 * Playwright in Debian's Chromium (never `playwright install`: browsers cannot be downloaded on
 * these machines) against the stack named by PULSE_STACK_FILE (default .stack/stack.json).
 */
import { defineConfig } from '@playwright/test';

export default defineConfig( {
	testDir: './specs',
	outputDir: '../test-results',
	timeout: 60000,
	workers: 1,
	retries: 0,
	reporter: [ [ 'list' ] ],
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
} );
