import type { Db } from "../db/db.js";
import { DEFAULT_CONCURRENCY, deliverBatch, type DeliverOptions, type OutboxLogger, type OutboxTransport } from "./service.js";
import { createSmtpTransport, type SmtpPoolOptions } from "./transport.js";

export type OutboxWorkerOptions = ({ smtpUrl: string; transport?: undefined } | { transport: OutboxTransport; smtpUrl?: undefined }) & {
  /** Pause between polls when the queue is empty. Default 5 s. */
  intervalMs?: number;
  /**
   * Pause before the next poll after a pass that delivered something: while
   * messages keep arriving (a petition surge) they wait this long, not
   * `intervalMs`. Default 100 ms; never more than `intervalMs`.
   */
  busyIntervalMs?: number;
  logger: OutboxLogger;
  /** Sender for every message, e.g. `Oversight <no-reply@oversight.example>`. */
  from: string;
  /** Messages claimed per pass. Default 100. */
  batchSize?: number;
  /** Messages sent at once. Default 8 (DEFAULT_CONCURRENCY). 1 sends one after another. */
  concurrency?: number;
  /**
   * With `smtpUrl`, the worker's pooled SMTP transport: connections kept open
   * (default: `concurrency`) and messages per connection before it is replaced
   * (default 100). Ignored with `transport`.
   */
  smtpPool?: SmtpPoolOptions;
} & Pick<DeliverOptions, "maxAttempts" | "backoffMs" | "leaseMs">;

export interface OutboxWorker {
  /** Stops polling, waits for the pass in progress, and closes a transport it opened. */
  stop(): Promise<void>;
}

const DEFAULT_INTERVAL_MS = 5_000;
const DEFAULT_BUSY_INTERVAL_MS = 100;
const DEFAULT_BATCH_SIZE = 100;
const DEFAULT_MESSAGES_PER_CONNECTION = 100;

/**
 * Polls the outbox and delivers due messages until stopped, `concurrency` at a
 * time over pooled SMTP connections. Each pass drains the
 * queue (full batches are followed at once by another), then waits
 * `busyIntervalMs` if it delivered anything, else `intervalMs` (a setTimeout
 * chain, so passes never overlap). Errors are logged and the next
 * pass runs as usual. Safe to run in several processes at once: claims use
 * SKIP LOCKED. The queue is in the database; stopping or crashing loses nothing.
 */
export function startOutboxWorker(db: Db, options: OutboxWorkerOptions): OutboxWorker {
  if (!/@[A-Za-z0-9.-]+>?\s*$/.test(options.from ?? "")) {
    throw new Error('startOutboxWorker: "from" must end with the sender address, e.g. "Oversight <no-reply@oversight.example>"');
  }
  const concurrency = Number.isFinite(options.concurrency) ? Math.max(1, Math.floor(options.concurrency!)) : DEFAULT_CONCURRENCY;
  const ownsTransport = options.transport === undefined;
  const transport: OutboxTransport =
    options.transport ??
    createSmtpTransport(options.smtpUrl as string, {
      pool: { maxConnections: options.smtpPool?.maxConnections ?? concurrency, maxMessages: options.smtpPool?.maxMessages ?? DEFAULT_MESSAGES_PER_CONNECTION },
    });
  const intervalMs = Math.max(0, options.intervalMs ?? DEFAULT_INTERVAL_MS);
  const busyIntervalMs = Math.min(intervalMs, Math.max(0, options.busyIntervalMs ?? DEFAULT_BUSY_INTERVAL_MS));
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const { logger } = options;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  /** Drains the queue; true if it delivered (or gave up on) anything. */
  const pass = async (): Promise<boolean> => {
    for (let found = false; ; found = true) {
      const result = await deliverBatch(db, transport, {
        limit: batchSize,
        from: options.from,
        maxAttempts: options.maxAttempts,
        backoffMs: options.backoffMs,
        leaseMs: options.leaseMs,
        concurrency,
        logger,
      });
      const handled = result.sent + result.failed + result.retried;
      if (stopped || handled < batchSize) return found || handled > 0;
    }
  };

  const tick = () => {
    timer = undefined;
    running = pass()
      .catch((error: unknown) => {
        // Database trouble (the transport's own errors are recorded per message).
        logger.error({ error: safeErrorText(error) }, "email outbox pass failed");
        return false;
      })
      .then((busy) => {
        running = undefined;
        schedule(busy ? busyIntervalMs : intervalMs);
      });
  };

  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(tick, delay);
    // The worker alone never keeps the process alive.
    timer.unref();
  };

  schedule(0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
      if (ownsTransport) transport.close?.();
    },
  };
}

/** An error's class and message with anything address-like removed. */
function safeErrorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/[^\s<>"'(),;:@]+@[^\s<>"'(),;:@]+/g, "[address]").slice(0, 500);
}
