import { ReplayGuard } from '../src/replay-guard';

describe( 'ReplayGuard', () => {
	it( 'refuses an id a second time within its window', () => {
		const guard = new ReplayGuard();
		expect( guard.claim( 'msg_1', 5_000, 1_000 ) ).toBe( true );
		expect( guard.has( 'msg_1', 2_000 ) ).toBe( true );
		expect( guard.claim( 'msg_1', 5_000, 2_000 ) ).toBe( false );
		expect( guard.claim( 'msg_2', 5_000, 2_000 ) ).toBe( true );
	} );

	it( 'forgets ids whose window has ended, so memory stays at one window of requests', () => {
		const guard = new ReplayGuard();
		guard.claim( 'msg_old', 20_000, 10_000 );
		guard.claim( 'msg_new', 400_000, 10_000 );
		expect( guard.has( 'msg_old', 20_001 ) ).toBe( false );
		guard.claim( 'msg_later', 500_000, 30_000 );
		expect( guard.size ).toBe( 2 );
		expect( guard.has( 'msg_new', 30_000 ) ).toBe( true );
	} );
} );
