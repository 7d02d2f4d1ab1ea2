import { intentOf, mergeIntents, type JobIntent } from '../../src/queue/merge';

const update = intentOf( 'update', false, null );
const updateTags = intentOf( 'update_tags', false, null );
const add = (
	sendNotification: boolean,
	role: string | null = null
): JobIntent => intentOf( 'add', sendNotification, role );

describe( 'mergeIntents', () => {
	it( 'update + update_tags → one update, in either order', () => {
		expect( mergeIntents( update, updateTags ) ).toEqual( update );
		expect( mergeIntents( updateTags, update ) ).toEqual( update );
	} );

	it( 'update_tags + update_tags stays update_tags', () => {
		expect( mergeIntents( updateTags, updateTags ) ).toEqual( updateTags );
	} );

	it( 'an add absorbs later and earlier updates and keeps its role and notification', () => {
		expect( mergeIntents( add( true, 'customer' ), update ) ).toEqual(
			add( true, 'customer' )
		);
		expect( mergeIntents( updateTags, add( true, 'customer' ) ) ).toEqual(
			add( true, 'customer' )
		);
	} );

	it( 'two adds send the welcome email once if either asked (OR)', () => {
		expect(
			mergeIntents( add( true ), add( false ) ).sendNotification
		).toBe( true );
		expect(
			mergeIntents( add( false ), add( true ) ).sendNotification
		).toBe( true );
		expect(
			mergeIntents( add( false ), add( false ) ).sendNotification
		).toBe( false );
	} );

	it( 'the later role wins when both deliveries name one', () => {
		expect(
			mergeIntents( add( false, 'subscriber' ), add( false, 'customer' ) )
				.role
		).toBe( 'customer' );
		expect(
			mergeIntents( add( false, 'subscriber' ), add( false, null ) ).role
		).toBe( 'subscriber' );
	} );

	it( 'send_notification only counts for an add', () => {
		expect( intentOf( 'update', true, null ).sendNotification ).toBe(
			false
		);
		expect(
			mergeIntents( intentOf( 'update', true, null ), updateTags )
				.sendNotification
		).toBe( false );
	} );
} );
