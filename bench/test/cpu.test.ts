import { cpuBetween, type CpuSnapshot } from '../lib/cpu';

const snapshot = ( entries: [ number, string, number ][] ): CpuSnapshot =>
	new Map(
		entries.map( ( [ pid, label, seconds ] ) => [
			pid,
			{ label, seconds },
		] )
	);

describe( 'cpuBetween', () => {
	it( 'adds up the processes of a label, largest first', () => {
		const before = snapshot( [
			[ 10, 'php (php)', 1 ],
			[ 11, 'php (php)', 2 ],
			[ 20, 'bridge (node)', 5 ],
		] );
		const after = snapshot( [
			[ 10, 'php (php)', 4 ],
			[ 11, 'php (php)', 6 ],
			[ 20, 'bridge (node)', 6.5 ],
		] );
		expect( cpuBetween( before, after ) ).toEqual( [
			[ 'php (php)', 7 ],
			[ 'bridge (node)', 1.5 ],
		] );
	} );

	it( 'counts a process that started in between from zero and drops one that ended', () => {
		const before = snapshot( [ [ 20, 'bridge (node)', 5 ] ] );
		const after = snapshot( [ [ 21, 'bridge (node)', 2 ] ] );
		expect( cpuBetween( before, after ) ).toEqual( [
			[ 'bridge (node)', 2 ],
		] );
	} );
} );
