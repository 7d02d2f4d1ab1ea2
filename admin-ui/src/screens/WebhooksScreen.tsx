import { Notice } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import { fetchAccessKey } from '../api/access-key';
import { fetchRoles } from '../api/roles';
import { adminConfig } from '../config';
import { AccessKeyPanel } from '../components/AccessKeyPanel';
import { LoadingState } from '../components/LoadingState';
import { NoticeList, useNotices } from '../components/notices';
import { TestWebhookPanel } from '../components/TestWebhookPanel';
import { useAsync } from '../components/use-async';
import { WebhookUrlBuilder } from '../components/WebhookUrlBuilder';

async function loadWebhookData() {
	const [ accessKey, roleList ] = await Promise.all( [
		fetchAccessKey(),
		fetchRoles(),
	] );
	return { accessKey, roleList };
}

export function WebhooksScreen() {
	const { data, error, loading, setData } = useAsync( loadWebhookData );
	const notices = useNotices();

	if ( loading ) {
		return <LoadingState />;
	}
	if ( ! data ) {
		return (
			<Notice status="error" isDismissible={ false }>
				{ error?.message ??
					__(
						'The webhook settings could not be loaded.',
						'pulse-sync'
					) }
			</Notice>
		);
	}
	return (
		<div className="pulse-sync-screen">
			<NoticeList
				notices={ notices.notices }
				onDismiss={ notices.dismiss }
			/>
			<AccessKeyPanel
				currentKey={ data.accessKey }
				onChange={ ( accessKey ) => setData( { ...data, accessKey } ) }
				notices={ notices }
			/>
			<WebhookUrlBuilder
				base={ adminConfig().webhookBase }
				webhookKey={ data.accessKey.access_key }
				roleList={ data.roleList }
			/>
			<TestWebhookPanel notices={ notices } />
		</div>
	);
}
