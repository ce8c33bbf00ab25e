/**
 * The durable email outbox.
 *
 * Services call `enqueueEmail(tx, …)` inside their own transaction, so a message
 * exists only if the write that caused it commits. `deliverBatch` (run by the
 * worker in worker.ts) claims due messages, sends them over SMTP and records the
 * outcome. Everything lives in the database: a restart loses nothing.
 *
 * Delivery is at-least-once. A worker that dies after the SMTP server accepted a
 * message but before it was marked sent leaves the message leased; the lease
 * (`locked_until`) is short and renewed by a live worker's heartbeat, so once a
 * dead worker's lease passes (seconds), another worker sends it again. Every message carries
 * `Message-ID: <outbox id@sender domain>`, the same on every attempt, so a
 * duplicate can be recognised downstream.
 *
 * Addresses, subjects and bodies may be personal data: the audit log records only
 * the outbox id and the template name, logs carry ids, template names and SMTP
 * codes, and `last_error` has addresses redacted and never holds the body.
 */
import { appendAudit } from "../audit/service.js";
import type { Db, Queryable } from "../db/db.js";
import { forEachBounded } from "./bounded.js";
import * as repo from "./repo.js";
import { SentRecorder } from "./sent-recorder.js";
import { type EmailMessage, type OutboxStatus, parseEmailMessage } from "./schema.js";

/** What the outbox needs of a nodemailer transporter (`createSmtpTransport` returns one). */
export interface OutboxTransport {
  sendMail(mail: OutgoingMail): Promise<unknown>;
  close?(): void;
}

/** The fields the outbox hands to nodemailer's sendMail. */
export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  messageId: string;
  headers: Record<string, string>;
}

/** Structured logger; pino's Logger fits. Callers' objects hold ids and codes only. */
export interface OutboxLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface EnqueueOptions {
  /** Who caused the message, for the audit log ("system", "user:<id>"). Default "system". */
  actor?: string;
  /** Do not send before this time (a reminder for later). Default: now. */
  notBefore?: Date;
  now?: Date;
  /**
   * Store the recipient's address sealed at rest (src/db/data-key.ts), for mail
   * to people whose address is itself confidential, such as complainants.
   */
  sealRecipient?: boolean;
}

/**
 * Queues one email inside the caller's transaction: it is sent only if that
 * transaction commits. Returns the outbox id, or null when `dedupeKey` was used
 * before (the message is then not queued again, whatever the earlier one's status).
 * Appends an audit entry holding the outbox id and template name only.
 *
 * Throws EmailMessageError naming the field when the message is invalid.
 *
 * @example
 *   await db.transaction(async (tx) => {
 *     await repo.recordAcknowledgement(tx, caseId);
 *     await appendAudit(tx, { … });
 *     await enqueueEmail(tx, {
 *       to: complainant.email, subject: "We received your complaint", text,
 *       template: "case.acknowledgement", dedupeKey: `case.acknowledgement:${caseId}`,
 *     }, { actor: `user:${userId}` });
 *   });
 */
export async function enqueueEmail(tx: Queryable, message: EmailMessage, options: EnqueueOptions = {}): Promise<string | null> {
  const valid = parseEmailMessage(message);
  const now = options.now ?? new Date();
  const notBefore = options.notBefore && options.notBefore > now ? options.notBefore : now;
  const id = await repo.insertMessage(tx, valid, now.toISOString(), notBefore.toISOString(), options.sealRecipient ?? false);
  if (id === null) return null;
  await appendAudit(tx, { actor: options.actor ?? "system", action: "email.enqueue", entity: "email_outbox", entityId: id, data: { template: valid.template } }, now);
  return id;
}

/** Waits after failed attempts 1, 2, 3, …; the last value repeats. */
export const DEFAULT_BACKOFF_MS: readonly number[] = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 12 * 3_600_000];
/** One first try and a retry after each step of the default backoff: about 15 hours in all. */
export const DEFAULT_MAX_ATTEMPTS = 6;
/**
 * How long a claim holds a message without news from its worker. The worker
 * renews it every third of this while the batch is in progress (a heartbeat), so
 * a slow send is never claimed twice, and a worker that crashed releases its
 * messages to others within this time.
 */
export const DEFAULT_LEASE_MS = 15_000;
/**
 * Messages in flight at once. Sending is mostly waiting on the SMTP server, so a
 * few in flight multiply throughput; more than the server allows per client only
 * queue. Measured in bench/outbox.ts (see bench/RESULTS.md).
 */
export const DEFAULT_CONCURRENCY = 8;

export interface DeliverOptions {
  /** Most messages to claim in this pass. */
  limit: number;
  /** The clock, for tests; by default the real time at each step. */
  now?: Date;
  /**
   * Sender, e.g. `Oversight <no-reply@oversight.example>`. Its domain also names
   * the Message-ID (`<outbox id@domain>`).
   */
  from: string;
  maxAttempts?: number;
  backoffMs?: readonly number[];
  leaseMs?: number;
  /**
   * Messages handed to the transport at once (default DEFAULT_CONCURRENCY). With a
   * pooled transport, make it at most the pool's maxConnections: more only wait
   * inside the transport, on the lease's clock.
   */
  concurrency?: number;
  logger?: OutboxLogger;
}

export interface DeliveryResult {
  sent: number;
  /** Gave up after the last attempt. */
  failed: number;
  /** Failed this time and scheduled again. */
  retried: number;
}

/**
 * One pass of the worker: claims up to `limit` due messages with
 * `SELECT … FOR UPDATE SKIP LOCKED` (so concurrent workers take disjoint
 * messages), sends them through `transport` with up to `concurrency` in flight,
 * and records each as sent, as due again after the backoff, or as failed after
 * `maxAttempts`. Sent messages are recorded in group commits (see
 * sent-recorder.ts), failures one by one. Transport errors are recorded per
 * message and never thrown; on a database error no further message is started,
 * those in flight are awaited, and the error is thrown (messages claimed but not
 * recorded are retried once their lease passes). Resolves only when every
 * message it started is settled and recorded.
 */
export async function deliverBatch(db: Db, transport: OutboxTransport, options: DeliverOptions): Promise<DeliveryResult> {
  const clock = () => options.now ?? new Date();
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const backoff = options.backoffMs?.length ? options.backoffMs : DEFAULT_BACKOFF_MS;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
  const logger = options.logger;
  const result: DeliveryResult = { sent: 0, failed: 0, retried: 0 };

  const claimedAt = clock();
  let leaseUntil = new Date(claimedAt.getTime() + leaseMs);
  const claimed = await repo.claimDue(db, claimedAt.toISOString(), leaseUntil.toISOString(), Math.max(0, Math.floor(options.limit)));
  const recorder = new SentRecorder(db, clock);
  // Messages this worker still holds; one another worker took over is never started.
  const held = new Set(claimed.map((message) => message.id));
  if (claimed.length === 0) return result;
  const heartbeat = startHeartbeat(Math.max(1, Math.floor(leaseMs / 3)), async () => {
    const until = new Date(clock().getTime() + leaseMs);
    const renewed = await repo.renewLeases(db, claimed.filter((message) => held.has(message.id)), until.toISOString());
    for (const id of held) if (!renewed.has(id)) held.delete(id);
    leaseUntil = until;
  }, (error) => logger?.warn({ error: error instanceof Error ? error.name : "error" }, "email lease not renewed"));

  const deliverOne = async (message: repo.ClaimedMessage) => {
    const ids = { outboxId: message.id, template: message.template, attempt: message.attempts };
    if (message.attempts > maxAttempts) {
      // Its last attempt's worker died holding the lease: that attempt counted.
      const error = "the worker holding the last attempt stopped before recording it";
      if (await giveUp(db, message, error, clock())) result.failed += 1;
      logger?.error({ ...ids }, "email not delivered: attempts exhausted");
      return;
    }
    if (clock() >= leaseUntil || !held.has(message.id)) {
      // This batch outlived its lease; another worker may hold these messages now.
      logger?.warn({ ...ids }, "email left for another pass: lease ran out");
      return;
    }
    try {
      await transport.sendMail(outgoing(message, options.from));
    } catch (error) {
      const described = describeSendError(error, message);
      if (message.attempts >= maxAttempts) {
        if (await giveUp(db, message, described.text, clock())) result.failed += 1;
        logger?.error({ ...ids, ...described.fields, error: described.text }, "email not delivered: attempts exhausted");
      } else {
        const delay = backoff[Math.min(message.attempts, backoff.length) - 1];
        const next = new Date(clock().getTime() + delay);
        if (await repo.markRetry(db, message.id, message.attempts, next.toISOString(), described.text)) result.retried += 1;
        logger?.warn({ ...ids, ...described.fields, error: described.text, retryAt: next.toISOString() }, "email delivery failed; will retry");
      }
      return;
    }
    recorder.add({ id: message.id, template: message.template, sentAt: clock() });
    logger?.info({ ...ids }, "email sent");
  };

  let failure: { error: unknown } | undefined;
  try {
    // A failed recording stops new sends too: their results could not be kept either.
    await forEachBounded(claimed, concurrency, deliverOne, () => recorder.failed);
  } catch (error) {
    failure = { error };
  }
  // Record what the server accepted even when something else failed; the lease is
  // kept until then, so a slow recording does not hand the messages to another worker.
  try {
    await recorder.flush();
  } finally {
    await heartbeat.stop();
  }
  if (failure) throw failure.error;
  result.sent = recorder.recorded;
  return result;
}

/** How many messages are queued, being sent, sent and failed: for health checks and an admin page. */
export function outboxStatusCounts(db: Queryable): Promise<Record<OutboxStatus, number>> {
  return repo.countByStatus(db);
}

/**
 * Runs `beat` every `intervalMs` until stopped, never two at once (a setTimeout
 * chain). A failed beat is reported and the next one runs as usual; `stop()`
 * waits for a beat in progress.
 */
function startHeartbeat(intervalMs: number, beat: () => Promise<void>, onError: (error: unknown) => void): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = beat().catch(onError).finally(() => {
        running = undefined;
        schedule();
      });
    }, intervalMs);
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

async function giveUp(db: Db, message: repo.ClaimedMessage, error: string, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const changed = await repo.markFailed(tx, message.id, message.attempts, error);
    if (changed) await appendAudit(tx, { actor: "system", action: "email.failed", entity: "email_outbox", entityId: message.id, data: { template: message.template } }, now);
    return changed;
  });
}

function outgoing(message: repo.ClaimedMessage, from: string): OutgoingMail {
  const mail: OutgoingMail = {
    from,
    to: message.to_address,
    subject: message.subject,
    text: message.body_text,
    // The same on every attempt, so a duplicate from an at-least-once retry is recognisable.
    messageId: `<${message.id}@${senderDomain(from)}>`,
    headers: {
      // RFC 3834: keeps vacation responders from answering.
      "Auto-Submitted": "auto-generated",
      "X-Oversight-Template": message.template,
    },
  };
  if (message.body_html !== null) mail.html = message.body_html;
  return mail;
}

function senderDomain(from: string): string {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from);
  return match ? match[1] : "oversight.invalid";
}

const EMAIL_LIKE = /[^\s<>"'(),;:@]+@[^\s<>"'(),;:@]+/g;
const MAX_ERROR_LENGTH = 500;

/**
 * Turns a transport error into text safe to store and log: the nodemailer code,
 * SMTP command and reply code, and the message with anything address-like and the
 * message's own subject and body removed. Servers often echo the recipient in
 * their replies ("550 <x@y>: no such user").
 */
export function describeSendError(
  error: unknown,
  message: Pick<repo.ClaimedMessage, "to_address" | "subject" | "body_text" | "body_html">,
): { text: string; fields: { code?: string; command?: string; responseCode?: number } } {
  const e = (typeof error === "object" && error !== null ? error : {}) as { code?: unknown; command?: unknown; responseCode?: unknown; message?: unknown };
  const fields: { code?: string; command?: string; responseCode?: number } = {};
  if (typeof e.code === "string") fields.code = e.code;
  if (typeof e.command === "string") fields.command = e.command.replace(EMAIL_LIKE, "[address]").slice(0, 40);
  if (typeof e.responseCode === "number") fields.responseCode = e.responseCode;
  let text = typeof e.message === "string" ? e.message : typeof error === "string" ? error : "unknown error";
  for (const secret of [message.body_text, message.body_html, message.subject, message.to_address]) {
    if (secret && secret.length >= 4) text = text.split(secret).join("[redacted]");
  }
  text = text.replace(EMAIL_LIKE, "[address]").replace(/\s+/g, " ").trim();
  const prefix = [fields.code, fields.command, fields.responseCode].filter((part) => part !== undefined).join(" ");
  const full = prefix ? `${prefix}: ${text}` : text;
  return { text: full.length > MAX_ERROR_LENGTH ? `${full.slice(0, MAX_ERROR_LENGTH - 1)}…` : full, fields };
}
