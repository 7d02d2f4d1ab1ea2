import { lockUntilCommit, type PgClient } from '../pg-database';
import type { JobIntent } from './merge';
import type { ContactQueueEngine } from './pg-queue-engine';
import { dueAfterDelivery, type SettleWindow } from './settle';
import { mergedIntoRow, type JobRow } from './sqlite-job-row';

/**
 * Takes the contact's intake turn: until the transaction ends, no other bridge merges into or
 * creates a job for this contact (merging reads the newest unclaimed job, then writes it). It
 * orders intake only; which job runs, and where, is pg-boss's (pg-queue-engine.ts).
 * @param client    The transaction's client.
 * @param contactId The contact.
 */
export async function lockContactIntake(
	client: PgClient,
	contactId: number
): Promise< void > {
	await lockUntilCommit( client, 'intake', String( contactId ) );
}

/**
 * PostgreSQL's `queueIntent` (the rule is sqlite-job-queueing.ts's): merges the intent into the
 * contact's newest never-claimed job or creates one, and asks pg-boss for a turn of the contact.
 * The caller holds the contact's intake lock ({@link lockContactIntake}).
 * @param client     The transaction's client.
 * @param engine     pg-boss.
 * @param now        When the delivery is accepted (ms).
 * @param contactId  The contact the job is for.
 * @param intent     What the delivery asks for.
 * @param deliveryId The delivery that creates the job, if one is created.
 * @param requestId  The id WordPress will see as delivery_id.
 * @param settle     The storm's settle window, null outside a storm.
 */
export async function queuePgIntent(
	client: PgClient,
	engine: ContactQueueEngine,
	now: number,
	contactId: number,
	intent: JobIntent,
	deliveryId: string,
	requestId: string,
	settle: SettleWindow | null
): Promise< { jobId: number; mergedInto: string | null; dueAt: number } > {
	const { rows } = await client.query< JobRow >(
		`SELECT * FROM jobs WHERE contact_id = $1 AND state = 'queued' AND claims = 0
			ORDER BY id DESC LIMIT 1`,
		[ contactId ]
	);
	const open = rows[ 0 ];
	let queued: { jobId: number; mergedInto: string | null; dueAt: number };
	// A merge changes a job that already has its turn coming.
	if ( open ) {
		const { intent: merged, dueAt } = mergedIntoRow(
			open,
			intent,
			now,
			settle
		);
		await client.query(
			'UPDATE jobs SET action = $1, send_notification = $2, role = $3, next_attempt_at = $4 WHERE id = $5',
			[
				merged.action,
				merged.sendNotification ? 1 : 0,
				merged.role,
				dueAt,
				open.id,
			]
		);
		queued = {
			jobId: open.id,
			mergedInto: open.primary_delivery_id,
			dueAt,
		};
	} else {
		const dueAt = dueAfterDelivery(
			{ action: intent.action, dueAt: null, createdAt: now },
			now,
			settle
		);
		const created = await client.query< { id: number } >(
			`INSERT INTO jobs (contact_id, action, send_notification, role, primary_delivery_id, request_id,
					state, next_attempt_at, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, $8) RETURNING id`,
			[
				contactId,
				intent.action,
				intent.sendNotification ? 1 : 0,
				intent.role,
				deliveryId,
				requestId,
				dueAt,
				now,
			]
		);
		queued = {
			jobId: Number( created.rows[ 0 ]?.id ),
			mergedInto: null,
			dueAt,
		};
	}
	if ( ! open ) {
		await requestTurnIfIdle( client, engine, contactId, queued.jobId, now );
	}
	return queued;
}

/**
 * Asks pg-boss for a turn of the contact when its new job is its only unfinished one. With any
 * other, a turn is already coming: the running job's turn asks for the next when it ends, and a
 * job in back-off has one at its due time (pg-jobs.ts). So a contact has one turn at a time, and
 * pg-boss never holds a waiting turn beside an active one of the same contact (its `fetch` takes
 * the oldest waiting turn first, and one it may not activate would stop it for every contact).
 * A turn comes when asked: when it comes before the job is due (a storm's settle wait), the
 * bridge that takes it asks for another at the due time.
 * @param client    The transaction's client.
 * @param engine    pg-boss.
 * @param contactId The contact.
 * @param jobId     The job just created.
 * @param now       The acceptance time (ms).
 */
async function requestTurnIfIdle(
	client: PgClient,
	engine: ContactQueueEngine,
	contactId: number,
	jobId: number,
	now: number
): Promise< void > {
	const others = await client.query(
		`SELECT 1 FROM jobs WHERE contact_id = $1 AND id != $2 AND state IN ('queued', 'in_progress') LIMIT 1`,
		[ contactId, jobId ]
	);
	if ( others.rowCount === 0 ) {
		await engine.request( client, contactId, now );
	}
}
