/** Exit codes of every `pulse-sync-bridge` command (also listed by `--help` and in the README). */
export const EXIT = {
	ok: 0,
	/** A check failed, the site refused the pairing, or the bridge failed. */
	failed: 1,
	/** Unknown command or option, missing argument, or invalid configuration. */
	usage: 2,
} as const;
