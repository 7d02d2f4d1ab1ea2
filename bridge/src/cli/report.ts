import type { Check } from './checks';
import type { Output } from './output';

/**
 * `status`: one line per check. `doctor`: each check marked, with its fix under a failed one.
 * @param checks  The results.
 * @param out     Where to write.
 * @param withFix Doctor's form.
 */
export function printChecks(
	checks: Check[],
	out: Output,
	withFix: boolean
): void {
	for ( const check of checks ) {
		if ( withFix ) {
			out.info(
				`${ check.ok ? '[ok]  ' : '[FAIL]' } ${ check.name }: ${ check.detail }`
			);
			if ( ! check.ok ) {
				out.info( `       fix: ${ check.fix }` );
			}
		} else {
			out.info(
				`${ check.name }: ${ check.ok ? 'yes' : 'no' } (${ check.detail })`
			);
		}
	}
}
