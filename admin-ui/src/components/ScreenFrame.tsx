import { Notice } from '@wordpress/components';
import type { ReactNode } from 'react';

import { LoadingState } from './LoadingState';
import { NoticeList, type Notices } from './notices';

/**
 * The frame every settings screen shares: a spinner until the data is there, the load error when
 * it never came, and the save notices above the content.
 * @param root0
 * @param root0.loading
 * @param root0.loadError
 * @param root0.notices
 * @param root0.children
 */
export function ScreenFrame( {
	loading,
	loadError,
	notices,
	children,
}: {
	loading: boolean;
	loadError: string | null;
	notices: Notices;
	children: () => ReactNode;
} ) {
	return (
		<div className="pulse-sync-screen">
			<NoticeList
				notices={ notices.notices }
				onDismiss={ notices.dismiss }
			/>
			{ loading && <LoadingState /> }
			{ ! loading && loadError !== null && (
				<Notice status="error" isDismissible={ false }>
					{ loadError }
				</Notice>
			) }
			{ ! loading && loadError === null && children() }
		</div>
	);
}
