import { Notice } from '@wordpress/components';
import { useCallback, useRef, useState } from '@wordpress/element';

import { errorMessage } from '../api/client';

export type NoticeStatus = 'success' | 'error' | 'warning' | 'info';

export interface PanelNotice {
	id: number;
	status: NoticeStatus;
	message: string;
}

export interface Notices {
	notices: PanelNotice[];
	notify: ( status: NoticeStatus, message: string ) => void;
	/** Shows the server's own message (REST `message`), which says what to fix. */
	notifyError: ( error: unknown ) => void;
	dismiss: ( id: number ) => void;
}

/** One notice per kind of outcome at a time: a new save result replaces the previous one. */
export function useNotices(): Notices {
	const [ notices, setNotices ] = useState< PanelNotice[] >( [] );
	const nextId = useRef( 1 );

	const notify = useCallback( ( status: NoticeStatus, message: string ) => {
		const id = nextId.current++;
		setNotices( ( current ) => [
			...current.filter( ( notice ) => notice.status !== status ),
			{ id, status, message },
		] );
	}, [] );

	const notifyError = useCallback(
		( error: unknown ) => notify( 'error', errorMessage( error ) ),
		[ notify ]
	);

	const dismiss = useCallback( ( id: number ) => {
		setNotices( ( current ) =>
			current.filter( ( notice ) => notice.id !== id )
		);
	}, [] );

	return { notices, notify, notifyError, dismiss };
}

export function NoticeList( {
	notices,
	onDismiss,
}: {
	notices: PanelNotice[];
	onDismiss: ( id: number ) => void;
} ) {
	return (
		<>
			{ notices.map( ( notice ) => (
				<Notice
					key={ notice.id }
					status={ notice.status }
					onRemove={ () => onDismiss( notice.id ) }
				>
					{ notice.message }
				</Notice>
			) ) }
		</>
	);
}
