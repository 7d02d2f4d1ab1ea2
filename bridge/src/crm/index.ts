export { CrmClient, CRM_DEFAULTS } from './client';
export { AIMD, type PaceSnapshot } from './aimd';
export { CrmPacer, type PacerOptions } from './pacer';
export type { PaceShare, PaceState } from './pace-share';
export {
	ContactNotFoundError,
	CrmError,
	CrmUsageError,
	NotConnectedError,
	PermanentError,
	RateLimitedError,
	TransientError,
	UnauthorizedError,
} from './errors';
export { apiBaseUrl, defaultPortalUrl, effectivePortalUrl } from './urls';
export type {
	CrmConfig,
	CrmContact,
	CrmField,
	CrmLogger,
	CrmTag,
	TokenSet,
	TokenStore,
} from './types';
