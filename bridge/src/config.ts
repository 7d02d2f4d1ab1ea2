import os from 'node:os';
import {
	SETTING_NAMES,
	SETTINGS,
	type DefaultContext,
	type SettingValues,
} from './config/settings';
import { parseSiteEntries, type SiteEntry } from './sites/registry';

export { parseSchedule } from './config/parsers';
export { DEFAULT_RETRY_SCHEDULE } from './config/settings';

/** Everything the bridge is configured with, validated once at start (settings: config/settings.ts). */
export interface BridgeConfig extends Omit<
	SettingValues,
	'secret' | 'previousSecret'
> {
	/**
	 * Current secret first, then the one before the last rotation. The second one is accepted on
	 * incoming signatures until `previousSecretUntil`, and always opens data sealed under it.
	 * Empty while the bridge is not paired.
	 */
	secrets: string[];
	/**
	 * The sites paired after the top-level one (config.json `sites`, sites/registry.ts); absent
	 * or empty for a bridge of one site.
	 */
	sites?: SiteEntry[];
}

export class ConfigError extends Error {
	constructor( readonly problems: string[] ) {
		super(
			`Invalid bridge configuration:\n  - ${ problems.join( '\n  - ' ) }`
		);
		this.name = 'ConfigError';
	}
}

type Env = Record< string, string | undefined >;

export interface ConfigSources {
	/** Command-line values by flag name (without `--`), as parseArgs returns them. */
	flags?: Record< string, unknown >;
	/** The decoded `<data-dir>/config.json`. */
	file?: Record< string, unknown >;
	/**
	 * True (the default): a missing site URL or secret is a problem. `start` passes false: an
	 * unpaired bridge runs, answers 503 on /v1/ready, and picks up a pairing from config.json.
	 */
	requireSite?: boolean;
	uid?: number;
	home?: string;
}

/**
 * Reads every setting from the flags, then the `PULSE_SYNC_*` variables, then config.json, then
 * the default; throws one ConfigError that lists every bad value.
 * @param env     process.env or a test's own variables.
 * @param cwd     Directory relative paths are resolved against.
 * @param sources Flags, config file and what the defaults depend on.
 */
export function loadConfig(
	env: Env,
	cwd: string = process.cwd(),
	sources: ConfigSources = {}
): BridgeConfig {
	const problems: string[] = [];
	const values: Partial< SettingValues > = {};
	const context: DefaultContext = {
		values,
		env,
		uid: sources.uid ?? process.getuid?.() ?? 0,
		home: sources.home ?? env.HOME ?? os.homedir(),
		cwd,
	};
	for ( const name of SETTING_NAMES ) {
		const setting = SETTINGS[ name ];
		const found = rawValue( name, env, sources );
		const raw = found?.raw ?? setting.fallback( context );
		if ( raw === undefined ) {
			if ( setting.siteLink && sources.requireSite !== false ) {
				problems.push( `${ setting.env } is required` );
			}
			( values as Record< string, unknown > )[ name ] = null;
			continue;
		}
		try {
			( values as Record< string, unknown > )[ name ] = setting.parse(
				raw,
				context
			);
		} catch ( error ) {
			problems.push(
				`${ found?.source ?? name }: ${ ( error as Error ).message }`
			);
		}
	}
	const all = values as SettingValues;
	if ( all.stormSettleCapMs < all.stormSettleMs ) {
		problems.push(
			'PULSE_SYNC_STORM_SETTLE_CAP must not be shorter than PULSE_SYNC_STORM_SETTLE'
		);
	}
	const sites = parseSiteEntries(
		sources.file?.sites,
		all.allowHttpSite,
		problems
	);
	if ( problems.length > 0 ) {
		throw new ConfigError( problems );
	}
	const { secret, previousSecret, ...rest } = all;
	return {
		...rest,
		sites,
		secrets:
			secret === null
				? []
				: [
						secret,
						...( previousSecret === null
							? []
							: [ previousSecret ] ),
					],
	};
}

/**
 * The first source that has the setting, and its name for error messages.
 * @param name    The setting.
 * @param env     The environment.
 * @param sources Flags and config file.
 */
function rawValue(
	name: keyof SettingValues,
	env: Env,
	sources: ConfigSources
): { raw: string; source: string } | undefined {
	const setting = SETTINGS[ name ];
	const flag = setting.flag && sources.flags?.[ setting.flag ];
	if ( typeof flag === 'string' && flag.trim() !== '' ) {
		return { raw: flag.trim(), source: `--${ setting.flag }` };
	}
	const fromEnv = setting.env && env[ setting.env ]?.trim();
	if ( fromEnv ) {
		return { raw: fromEnv, source: setting.env as string };
	}
	const fromFile = setting.file ? sources.file?.[ setting.file ] : undefined;
	if (
		( typeof fromFile === 'string' && fromFile.trim() !== '' ) ||
		typeof fromFile === 'number'
	) {
		return {
			raw: String( fromFile ).trim(),
			source: `config.json "${ setting.file }"`,
		};
	}
	return undefined;
}
