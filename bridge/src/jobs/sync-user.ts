import type { CrmClient } from '../crm';
import { applyMapping, looksLikeEmail } from '../mapping';
import { generatePassword } from '../password';
import type { ClaimedJob, JobResult } from '../queue/queue';
import { rowContext, type SecretBox } from '../secret-box';
import type { BridgeSettings } from '../settings';
import type { UserWrite, UserWriteAnswer } from '../wordpress/client';
import { CrmNotConfiguredError, JobFailedError } from './failure';
import { loadContact } from './load-contact';
import { buildUserWrite } from './user-write';

export type CrmApi = Pick<
	CrmClient,
	'getContact' | 'getContactTags' | 'updateContact'
>;

export interface SyncDeps {
	settings: () => Promise< BridgeSettings >;
	crm: ( settings: BridgeSettings ) => CrmApi | null;
	writeUser: ( write: UserWrite ) => Promise< UserWriteAnswer >;
	storePassword: ( jobId: number, sealed: string ) => Promise< void >;
	passwordBox: SecretBox;
}

/** Filled in while the attempt runs, so the log keeps the email even when the attempt fails. */
export interface AttemptNotes {
	email: string | null;
}

/**
 * One attempt of a job: contact and tags from the CRM, the field mapping, the plugin's user
 * write, and Return Password. Safe to repeat: WordPress is idempotent on `delivery_id`, and the
 * generated password is kept (encrypted) with the job until it reached the CRM.
 * @param job   The claimed job.
 * @param deps  Settings, CRM, WordPress and password storage.
 * @param notes Receives the email as soon as it is known.
 */
export async function syncUser(
	job: ClaimedJob,
	deps: SyncDeps,
	notes: AttemptNotes
): Promise< JobResult > {
	const settings = await deps.settings();
	const crm = deps.crm( settings );
	if ( crm === null ) {
		throw new CrmNotConfiguredError();
	}
	const { contact, tagIds } = await loadContact( crm, job.contactId );
	const mapped = applyMapping( contact, settings.fieldMapping );
	notes.email = mapped.email;
	if ( job.intent.action === 'add' && ! looksLikeEmail( mapped.email ) ) {
		throw new JobFailedError(
			'invalid_email',
			`Contact ${ job.contactId } has no valid email address, so no user can be created.`,
			422
		);
	}

	const { enabled, field } = settings.returnPassword;
	// A password that came from the CRM (a field mapped to user_pass) is never sent back.
	const returnsPassword =
		job.intent.action === 'add' &&
		enabled &&
		field !== '' &&
		! mapped.user.user_pass;
	const password = await passwordFor( job, returnsPassword, deps );

	const answer = await deps.writeUser(
		buildUserWrite( job, mapped, tagIds, password )
	);
	if (
		password !== null &&
		answer.password_used &&
		enabled &&
		field !== ''
	) {
		await crm.updateContact( job.contactId, { [ field ]: password } );
	}
	return {
		status: answer.status,
		userId: answer.user_id,
		...( answer.reason !== undefined && { reason: answer.reason } ),
	};
}

/**
 * The job's password: the one stored by an earlier attempt (WordPress may have used it, even if
 * the settings changed since), else a new one when wanted, stored first.
 * @param job    The claimed job.
 * @param wanted Whether this attempt would return a password to the CRM.
 * @param deps   Password storage and its encryption.
 */
async function passwordFor(
	job: ClaimedJob,
	wanted: boolean,
	deps: SyncDeps
): Promise< string | null > {
	const context = passwordContext( job.id );
	if ( job.sealedPassword !== null ) {
		return deps.passwordBox.open( job.sealedPassword, context );
	}
	if ( ! wanted ) {
		return null;
	}
	const password = generatePassword();
	// Stored before WordPress can use it: an attempt that dies after the write must send the
	// same password to the CRM on the next attempt.
	await deps.storePassword(
		job.id,
		deps.passwordBox.seal( password, context )
	);
	return password;
}

/**
 * The associated data of a job's sealed password: it opens only in the job it was made for.
 * @param jobId The job's row id.
 */
export function passwordContext( jobId: number ): string {
	return rowContext( 'jobs', [ jobId ], 'sealed_password' );
}
