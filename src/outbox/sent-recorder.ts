/**
 * Records accepted messages as sent by group commit: one transaction records a
 * group (one UPDATE for all of them and their `email.sent` audit entries, in
 * acceptance order). A group collects for `lingerMs` after its first message (or
 * until it is full), and at most one recording transaction runs at a time, so
 * whatever the server accepts meanwhile goes into the next. Without the linger a
 * fast SMTP server is answered before the next message arrives and every group
 * holds one message: one transaction each, most of the worker's CPU time.
 *
 * This keeps the at-least-once rule: a message is recorded only after the server
 * accepted it, and one accepted but not yet recorded when the worker dies is sent
 * again once its lease runs out. Recording does not hold up sending: the sender
 * hands the message over and takes the next one.
 */
import type { Db } from "../db/db.js";
import { appendAuditMany } from "../audit/service.js";
import * as repo from "./repo.js";

export interface Accepted {
  id: string;
  template: string;
  /** When the SMTP server accepted the message. */
  sentAt: Date;
}

/** Most messages recorded in one transaction; more wait for the next. */
const MAX_GROUP = 500;
/**
 * How long a group collects before it is recorded. Recording is bookkeeping:
 * the recipient already has the message, so this delays nobody; it only widens,
 * by this much, the window in which a crash leads to a second delivery.
 */
export const DEFAULT_LINGER_MS = 20;

export class SentRecorder {
  private waiting: Accepted[] = [];
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;
  private failure: { error: unknown } | undefined;
  /** Messages this recorder changed to sent (a message already sent by another attempt is not counted). */
  recorded = 0;

  constructor(
    private readonly db: Db,
    /** The audit entries' time: the worker's clock, so tests can fix it. */
    private readonly clock: () => Date,
    private readonly lingerMs = DEFAULT_LINGER_MS,
  ) {}

  /** True once a recording transaction failed: the caller should stop sending. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  add(message: Accepted): void {
    this.waiting.push(message);
    if (this.waiting.length >= MAX_GROUP) this.start();
    else this.timer ??= setTimeout(() => this.start(), this.lingerMs);
  }

  /** Records everything added so far, without waiting for the linger; throws the database error if recording failed. */
  async flush(): Promise<void> {
    this.flushing = true;
    this.start();
    while (this.running) await this.running;
    if (this.failure) throw this.failure.error;
  }

  private start(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    // A running drain re-arms the timer for what arrived meanwhile. After a
    // failure nothing more is recorded by this pass (the lease covers the rest).
    if (!this.running && !this.failure && this.waiting.length > 0) this.running = this.drain();
  }

  private async drain(): Promise<void> {
    try {
      do {
        const group = this.waiting.splice(0, MAX_GROUP);
        this.recorded += await this.record(group);
        // Go on at once only with a full group or when flushing; otherwise let the next group collect.
      } while (this.waiting.length > 0 && (this.flushing || this.waiting.length >= MAX_GROUP));
    } catch (error) {
      // The messages stay `sending`; they are sent again once their lease passes.
      this.failure = { error };
    } finally {
      this.running = undefined;
      if (this.waiting.length > 0 && !this.failure) this.timer ??= setTimeout(() => this.start(), this.lingerMs);
    }
  }

  private record(group: readonly Accepted[]): Promise<number> {
    return this.db.transaction(async (tx) => {
      const changed = await repo.markSentMany(tx, group.map((m) => ({ id: m.id, sentAt: m.sentAt.toISOString() })));
      const recorded = group.filter((message) => changed.has(message.id));
      await appendAuditMany(
        tx,
        recorded.map((message) => ({ actor: "system", action: "email.sent", entity: "email_outbox", entityId: message.id, data: { template: message.template } })),
        this.clock(),
      );
      return recorded.length;
    });
  }
}
