import { openText, sealText } from "../db/data-key.js";
import type { Queryable } from "../db/db.js";
import type { OutboxStatus, ValidEmailMessage } from "./schema.js";

/** A row of email_outbox. Timestamps are PostgreSQL text, as both drivers return them. */
export interface OutboxRow {
  id: string;
  to_address: string;
  subject: string;
  /** NULL once sent: the bodies (which may hold personal data) are not kept after delivery. */
  body_text: string | null;
  body_html: string | null;
  template: string;
  dedupe_key: string | null;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: string;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

/** What a worker needs to send one claimed message; `attempts` counts this attempt. */
export interface ClaimedMessage {
  id: string;
  to_address: string;
  subject: string;
  body_text: string;
  body_html: string | null;
  template: string;
  attempts: number;
}

/**
 * Inserts a message unless its dedupe key is taken. Returns the new id, or null
 * when a message with the same key already exists (in any status).
 */
export async function insertMessage(tx: Queryable, message: ValidEmailMessage, createdAt: string, notBefore: string, sealRecipient = false): Promise<string | null> {
  const rows = await tx.query<{ id: string }>(
    `INSERT INTO email_outbox (to_address, subject, body_text, body_html, template, dedupe_key, next_attempt_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8::timestamptz)
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING id`,
    [sealRecipient ? sealText(message.to) : message.to, message.subject, message.text, message.html ?? null, message.template, message.dedupeKey ?? null, notBefore, createdAt],
  );
  return rows[0]?.id ?? null;
}

/**
 * Claims up to `limit` messages that are due (queued and past next_attempt_at) or
 * whose worker's lease ran out, in one statement: marks them sending, sets the
 * lease and counts the attempt. SKIP LOCKED lets concurrent workers take disjoint
 * rows; a row another worker claimed and committed since this statement's
 * snapshot is re-checked against the WHERE clause and dropped.
 */
export async function claimDue(db: Queryable, now: string, leaseUntil: string, limit: number): Promise<ClaimedMessage[]> {
  const rows = await db.query<ClaimedMessage>(
    `WITH due AS (
       SELECT id FROM email_outbox
        WHERE (status = 'queued' AND next_attempt_at <= $1::timestamptz)
           OR (status = 'sending' AND locked_until <= $1::timestamptz)
        ORDER BY next_attempt_at, created_at, id
        LIMIT $3
        FOR UPDATE SKIP LOCKED
     )
     UPDATE email_outbox AS o
        SET status = 'sending', locked_until = $2::timestamptz, attempts = o.attempts + 1
       FROM due
      WHERE o.id = due.id
     RETURNING o.id, o.to_address, o.subject, o.body_text, o.body_html, o.template, o.attempts`,
    [now, leaseUntil, limit],
  );
  return rows.map((row) => ({ ...row, to_address: openText(row.to_address), attempts: Number(row.attempts) }));
}

/**
 * Extends the lease of messages this worker still holds: those still `sending`
 * with the attempt it claimed (a newer claim bumped `attempts`; a recorded one
 * is no longer `sending`). Returns the ids it extended.
 */
export async function renewLeases(db: Queryable, held: readonly { id: string; attempts: number }[], leaseUntil: string): Promise<Set<string>> {
  if (held.length === 0) return new Set();
  const rows = await db.query<{ id: string }>(
    `UPDATE email_outbox AS o SET locked_until = $3::timestamptz
       FROM unnest($1::text[], $2::int[]) AS h(id, attempts)
      WHERE o.id = h.id::uuid AND o.status = 'sending' AND o.attempts = h.attempts
     RETURNING o.id`,
    [held.map((m) => m.id), held.map((m) => m.attempts), leaseUntil],
  );
  return new Set(rows.map((row) => row.id));
}

/**
 * Records a delivery and deletes the message's bodies: a sent message keeps its
 * recipient, subject, template and dates (what the audit log and a decision to
 * send again need), never what it said. Any attempt's success counts, even one whose lease ran out
 * meanwhile, so it only refuses a message already marked sent. True if it changed.
 */
export async function markSent(tx: Queryable, id: string, sentAt: string): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE email_outbox SET status = 'sent', sent_at = $2::timestamptz, locked_until = NULL, last_error = NULL, body_text = NULL, body_html = NULL
      WHERE id = $1 AND status <> 'sent' RETURNING id`,
    [id, sentAt],
  );
  return rows.length > 0;
}

/**
 * Records many deliveries in one statement, each with the time the server
 * accepted it, deleting their bodies; the same rule as markSent (only a message already sent is left
 * alone). Returns the ids it changed.
 *
 * Rows are locked in id order first: two workers that both sent the same
 * messages (one whose lease ran out, one that took them over) then wait for each
 * other instead of deadlocking, and the second finds them already sent.
 */
export async function markSentMany(tx: Queryable, deliveries: readonly { id: string; sentAt: string }[]): Promise<Set<string>> {
  if (deliveries.length === 0) return new Set();
  const rows = await tx.query<{ id: string }>(
    `WITH d AS (SELECT id::uuid AS id, sent_at::timestamptz AS sent_at FROM unnest($1::text[], $2::text[]) AS u(id, sent_at)),
          locked AS (
            SELECT o.id, d.sent_at FROM email_outbox AS o JOIN d ON d.id = o.id
             WHERE o.status <> 'sent'
             ORDER BY o.id
               FOR UPDATE OF o
          )
     UPDATE email_outbox AS o
        SET status = 'sent', sent_at = locked.sent_at, locked_until = NULL, last_error = NULL, body_text = NULL, body_html = NULL
       FROM locked
      WHERE o.id = locked.id
     RETURNING o.id`,
    [deliveries.map((d) => d.id), deliveries.map((d) => d.sentAt)],
  );
  return new Set(rows.map((row) => row.id));
}

/**
 * Puts a failed attempt back in the queue for `nextAttemptAt`. Only the worker
 * holding this attempt may do it (a newer claim bumped `attempts`). True if it changed.
 */
export async function markRetry(tx: Queryable, id: string, attempt: number, nextAttemptAt: string, error: string): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE email_outbox SET status = 'queued', next_attempt_at = $3::timestamptz, locked_until = NULL, last_error = $4
      WHERE id = $1 AND status = 'sending' AND attempts = $2 RETURNING id`,
    [id, attempt, nextAttemptAt, error],
  );
  return rows.length > 0;
}

/** Gives up on a message after its last attempt. True if it changed. */
export async function markFailed(tx: Queryable, id: string, attempt: number, error: string): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE email_outbox SET status = 'failed', locked_until = NULL, last_error = $3
      WHERE id = $1 AND status = 'sending' AND attempts = $2 RETURNING id`,
    [id, attempt, error],
  );
  return rows.length > 0;
}

export async function findMessage(db: Queryable, id: string): Promise<OutboxRow | undefined> {
  const [row] = await db.query<OutboxRow>("SELECT * FROM email_outbox WHERE id = $1", [id]);
  return row ? { ...row, to_address: openText(row.to_address), attempts: Number(row.attempts) } : undefined;
}

/** How many messages are in each status, for health checks and the admin page. */
export async function countByStatus(db: Queryable): Promise<Record<OutboxStatus, number>> {
  const rows = await db.query<{ status: OutboxStatus; n: number }>("SELECT status, count(*) AS n FROM email_outbox GROUP BY status");
  const counts: Record<OutboxStatus, number> = { queued: 0, sending: 0, sent: 0, failed: 0 };
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}
