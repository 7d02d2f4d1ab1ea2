import { parseOptions, UsageError } from '../lib/options';

const known = [ 'limit', 'storm-add', 'bulk-edit' ];

test( 'sizes apply to every scenario or, with NAME=, to one', () => {
	const options = parseOptions(
		[
			'--scenario',
			'storm-add,bulk-edit',
			'--size',
			'500',
			'--size=bulk-edit=2500',
			'--quick',
		],
		known
	);
	expect( options.scenarios ).toEqual( [ 'storm-add', 'bulk-edit' ] );
	expect( options.size ).toBe( 500 );
	expect( options.sizeFor ).toEqual( { 'bulk-edit': 2500 } );
	expect( options.quick ).toBe( true );
} );

test.each( [
	[ [ '--scenario', 'storm' ], /unknown scenario "storm"/ ],
	[ [ '--size', 'many' ], /--size needs an integer/ ],
	[ [ '--size', 'nope=3' ], /unknown scenario "nope"/ ],
	[ [ '--latency', '-5' ], /--latency needs an integer ≥ 0/ ],
	[ [ '--concurrency' ], /--concurrency needs an integer ≥ 1/ ],
	[ [ '--fast' ], /unknown option --fast/ ],
] )( 'refuses %j instead of running the full benchmark', ( argv, message ) => {
	expect( () => parseOptions( argv, known ) ).toThrow( UsageError );
	expect( () => parseOptions( argv, known ) ).toThrow( message );
} );
