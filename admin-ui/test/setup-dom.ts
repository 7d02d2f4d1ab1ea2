import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Notice repeats its text in the a11y-speak live regions for screen readers; queries should find
// the visible notice only.
configure( { defaultIgnore: 'script, style, .a11y-speak-region' } );
