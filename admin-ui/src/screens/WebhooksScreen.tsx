import { Notice } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import { fetchAccessKey } from '../api/access-key';
import { fetchRoles, type Role } from '../api/roles';
import { fetchSettings } from '../api/settings';
import { adminConfig } from '../config';
import { AccessKeyPanel } from '../components/AccessKeyPanel';
import { LoadingState } from '../components/LoadingState';
import { NoticeList, useNotices } from '../components/notices';
import { TestWebhookPanel } from '../components/TestWebhookPanel';
import { useAsync } from '../components/use-async';
import { WebhookUrlBuilder } from '../components/WebhookUrlBuilder';

/**
 * An empty allowed-roles setting means every role the server offers.
 * @param roles   Roles the server offers.
 * @param allowed The allowed-roles setting.
 */
function rolesForWebhooks( roles: Role[], allowed: string[] ): Role[] {
	return allowed.length === 0
		? roles
		: roles.filter( ( role ) => allowed.includes( role.slug ) );
}

async function loadWebhookData() {
	const [ accessKey, roles, settings ] = await Promise.all( [
		fetchAccessKey(),
		fetchRoles(),
		fetchSettings(),
	] );
	return {
		accessKey,
		roles: rolesForWebhooks( roles, settings.allowed_roles ),
	};
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
				roles={ data.roles }
			/>
			<TestWebhookPanel notices={ notices } />
		</div>
	);
}
