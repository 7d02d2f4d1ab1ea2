import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { ContactStoreSnapshot } from './data/contacts';
import type { GrantsSnapshot } from './oauth/grants';
import type { SandboxState } from './state';
import type { WebhookRule } from './webhooks/rules';

interface StateFile {
	version: 1;
	contacts: ContactStoreSnapshot;
	grants: GrantsSnapshot;
	webhooks: { rules: WebhookRule[]; next_id: number };
}

const SAVE_DELAY_MS = 200;

/** Loads the state file when it exists; returns whether it did. */
export function loadStateFile( state: SandboxState, path: string ): boolean {
	if ( ! existsSync( path ) ) {
		return false;
	}
	const saved = JSON.parse( readFileSync( path, 'utf8' ) ) as StateFile;
	if ( saved.version !== 1 ) {
		throw new Error(
			`Unsupported sandbox state file version in ${ path }`
		);
	}
	state.contacts.restore( saved.contacts );
	state.grants.restore( saved.grants );
	state.webhooks.restore( saved.webhooks );
	return true;
}

export function saveStateFile( state: SandboxState, path: string ): void {
	const file: StateFile = {
		version: 1,
		contacts: state.contacts.snapshot(),
		grants: state.grants.snapshot(),
		webhooks: state.webhooks.snapshot(),
	};
	// Write then rename, so a crash mid-write never leaves half a file behind.
	const temporary = `${ path }.tmp`;
	writeFileSync( temporary, JSON.stringify( file ), { mode: 0o600 } );
	renameSync( temporary, path );
}

/** Saves a little after the last change, so a burst of requests writes the file once. */
export class DebouncedSaver {
	private timer: NodeJS.Timeout | null = null;

	constructor(
		private readonly state: SandboxState,
		private readonly path: string
	) {}

	schedule(): void {
		if ( this.timer ) {
			return;
		}
		this.timer = setTimeout( () => this.flush(), SAVE_DELAY_MS );
	}

	flush(): void {
		if ( this.timer ) {
			clearTimeout( this.timer );
			this.timer = null;
		}
		saveStateFile( this.state, this.path );
	}
}
