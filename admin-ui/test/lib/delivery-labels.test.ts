import type { Delivery } from '../../src/api/deliveries';
import { actionLabel } from '../../src/lib/delivery-labels';

const delivery = ( source?: Delivery[ 'source' ] ) =>
	( { action: 'add', source } ) as Delivery;

describe( 'actionLabel', () => {
	it( 'marks the deliveries of import runs, not the webhooks', () => {
		expect( actionLabel( delivery( 'import' ) ) ).toBe( 'add (import)' );
		expect( actionLabel( delivery( 'reconcile' ) ) ).toBe(
			'add (reconcile)'
		);
		expect( actionLabel( delivery( 'webhook' ) ) ).toBe( 'add' );
		expect( actionLabel( delivery() ) ).toBe( 'add' );
	} );
} );
