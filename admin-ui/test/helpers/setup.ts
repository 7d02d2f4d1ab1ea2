import { ADMIN_CONFIG } from './fixtures';

/** Every screen test starts from the same page: the plugin's config and a clean api-fetch mock. */
export function resetPage(): void {
	window.pulseSyncAdmin = {
		...ADMIN_CONFIG,
		bridge: { ...ADMIN_CONFIG.bridge },
	};
	window.location.hash = '';
	jest.clearAllMocks();
}
