import { useState } from '@wordpress/element';

/**
 * Editable copy of loaded data that starts over whenever the loaded data changes (first load,
 * save answer). The reset happens during render, not in an effect, so the form never shows one
 * frame of empty fields before the saved values.
 *
 * @param source  The loaded data, or null while it loads.
 * @param toDraft Builds the editable copy from it.
 * @return The draft (null while `source` is null) and its setter.
 */
export function useDraft< S, D >(
	source: S | null,
	toDraft: ( source: S ) => D
): [ D | null, ( update: ( draft: D ) => D ) => void ] {
	const [ draft, setDraft ] = useState< D | null >( () =>
		source === null ? null : toDraft( source )
	);
	const [ draftSource, setDraftSource ] = useState( source );
	if ( draftSource !== source ) {
		setDraftSource( source );
		setDraft( source === null ? null : toDraft( source ) );
	}
	const update = ( change: ( current: D ) => D ) =>
		setDraft( ( current ) =>
			current === null ? current : change( current )
		);
	return [ draft, update ];
}
