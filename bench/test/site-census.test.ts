import { countCensus, type Census } from '../lib/site-census';

test( 'counts missing contacts, duplicates and users lacking a tag', () => {
	const result: Census = {
		byContact: new Map( [
			[ 1, [ { userId: 10, tagIds: [ 1, 4 ], firstName: 'A' } ] ],
			[
				2,
				[
					{ userId: 11, tagIds: [ 1, 4 ], firstName: 'B' },
					{ userId: 12, tagIds: [ 1 ], firstName: 'B' },
				],
			],
		] ),
	};
	expect( countCensus( [ 1, 2, 3, 3 ], [ 1, 4 ], result ) ).toEqual( {
		contacts: 3,
		withUser: 2,
		duplicates: 1,
		missing: 1,
		withoutTags: 1,
	} );
} );
