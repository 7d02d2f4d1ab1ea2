import { loadConfig, type BridgeConfig } from '../config';
import { readConfigFile } from './file';

export interface ResolveOptions {
	flags?: Record< string, unknown >;
	env?: Record< string, string | undefined >;
	cwd?: string;
	requireSite?: boolean;
}

/**
 * The configuration of a `pulse-sync-bridge` command: flags, then environment, then
 * `<data-dir>/config.json` (the data folder itself comes from a flag, the environment or the
 * default), then defaults.
 * @param options Flags, environment, working directory, and whether a site is required.
 */
export function resolveConfig( options: ResolveOptions = {} ): BridgeConfig {
	const env = options.env ?? process.env;
	const cwd = options.cwd ?? process.cwd();
	const flags = options.flags ?? {};
	const { dataDir } = loadConfig( env, cwd, { flags, requireSite: false } );
	return loadConfig( env, cwd, {
		flags,
		file: readConfigFile( dataDir ),
		requireSite: options.requireSite ?? true,
	} );
}
