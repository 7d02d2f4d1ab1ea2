import packageJson from '../package.json';

/** Reported by `/v1/health` and `/v1/status` so the panel can show which bridge answers. */
export const BRIDGE_VERSION: string = packageJson.version;
