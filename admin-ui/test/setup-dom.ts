import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

configure( {
	// Notice repeats its text in the a11y-speak live regions for screen readers; queries should
	// find the visible notice only.
	defaultIgnore: 'script, style, .a11y-speak-region',
	// The first render of @wordpress/components in a test file can take over a second on the
	// 2-core CI machine while other suites run in parallel.
	asyncUtilTimeout: 5000,
} );
