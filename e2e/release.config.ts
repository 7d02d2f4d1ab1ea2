/**
 * The release tests: the plugin zip installed through wp-admin on a stack started with
 * `PULSE_STACK_PLUGIN=none PULSE_STACK_SERVICES=wordpress` (dev/src/test-runner.ts does that for
 * WordPress 6.1 and 6.8). Same browser settings as playwright.config.ts, other specs.
 */
import { defineConfig } from '@playwright/test';
import base from './playwright.config';

export default defineConfig( {
	...base,
	testDir: './release',
	outputDir: '../test-results/release',
} );
