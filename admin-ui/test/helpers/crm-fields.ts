import { screen, waitFor } from '@testing-library/react';

/** Waits until no CRM field picker shows its loading state any more. */
export async function crmFieldsSettled(): Promise< void > {
	await waitFor( () =>
		expect(
			screen.queryAllByText( 'Loading the CRM fields…' )
		).toHaveLength( 0 )
	);
}
