import { dueAfterDelivery } from '../../src/queue/settle';

const settle = { settleMs: 30_000, capMs: 300_000 };
const T = 1_000_000;

describe( 'dueAfterDelivery', () => {
	it( 'holds a new update or update_tags job for the settle time during a storm', () => {
		for ( const action of [ 'update', 'update_tags' ] as const ) {
			expect(
				dueAfterDelivery(
					{ action, dueAt: null, createdAt: T },
					T,
					settle
				)
			).toBe( T + 30_000 );
		}
	} );

	it( 'never holds an add, storm or not', () => {
		expect(
			dueAfterDelivery(
				{ action: 'add', dueAt: null, createdAt: T },
				T,
				settle
			)
		).toBe( T );
	} );

	it( 'holds nothing outside a storm', () => {
		expect(
			dueAfterDelivery(
				{ action: 'update', dueAt: null, createdAt: T },
				T,
				null
			)
		).toBe( T );
	} );

	it( 'restarts the quiet time with each delivery merged during a storm (debounce)', () => {
		expect(
			dueAfterDelivery(
				{ action: 'update', dueAt: T + 30_000, createdAt: T },
				T + 20_000,
				settle
			)
		).toBe( T + 50_000 );
	} );

	it( 'never holds a job beyond the cap counted from its first delivery', () => {
		expect(
			dueAfterDelivery(
				{ action: 'update', dueAt: T + 290_000, createdAt: T },
				T + 280_000,
				settle
			)
		).toBe( T + 300_000 );
		// A job queued before the storm and kept waiting longer than the cap stays due.
		expect(
			dueAfterDelivery(
				{ action: 'update', dueAt: T, createdAt: T },
				T + 400_000,
				settle
			)
		).toBe( T + 300_000 );
	} );

	it( 'makes a held job due at once when an add joins it', () => {
		expect(
			dueAfterDelivery(
				{ action: 'add', dueAt: T + 30_000, createdAt: T },
				T + 5000,
				settle
			)
		).toBe( T + 5000 );
	} );

	it( 'makes a held job due at once when a delivery joins it after the storm', () => {
		expect(
			dueAfterDelivery(
				{ action: 'update', dueAt: T + 30_000, createdAt: T },
				T + 5000,
				null
			)
		).toBe( T + 5000 );
		// … but never later than it already was.
		expect(
			dueAfterDelivery(
				{ action: 'update', dueAt: T, createdAt: T },
				T + 5000,
				null
			)
		).toBe( T );
	} );
} );
