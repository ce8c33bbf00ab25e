import type { Db } from "../db/db.js";
import { deliverBatch, type DeliverOptions, type OutboxLogger, type OutboxTransport } from "./service.js";
import { createSmtpTransport } from "./transport.js";

export type OutboxWorkerOptions = ({ smtpUrl: string; transport?: undefined } | { transport: OutboxTransport; smtpUrl?: undefined }) & {
  /** Pause between polls when the queue is empty. Default 5 s. */
  intervalMs?: number;
  logger: OutboxLogger;
  /** Sender for every message, e.g. `Oversight <no-reply@oversight.example>`. */
  from: string;
  /** Messages claimed per pass. Default 20. */
  batchSize?: number;
} & Pick<DeliverOptions, "maxAttempts" | "backoffMs" | "leaseMs">;

export interface OutboxWorker {
  /** Stops polling, waits for the pass in progress, and closes a transport it opened. */
  stop(): Promise<void>;
}

const DEFAULT_INTERVAL_MS = 5_000;
const DEFAULT_BATCH_SIZE = 20;

/**
 * Polls the outbox and delivers due messages until stopped. Each pass drains the
 * queue (full batches are followed at once by another), then waits `intervalMs`
 * (a setTimeout chain, so passes never overlap). Errors are logged and the next
 * pass runs as usual. Safe to run in several processes at once: claims use
 * SKIP LOCKED. The queue is in the database; stopping or crashing loses nothing.
 */
export function startOutboxWorker(db: Db, options: OutboxWorkerOptions): OutboxWorker {
  if (!/@[A-Za-z0-9.-]+>?\s*$/.test(options.from ?? "")) {
    throw new Error('startOutboxWorker: "from" must end with the sender address, e.g. "Oversight <no-reply@oversight.example>"');
  }
  const ownsTransport = options.transport === undefined;
  const transport: OutboxTransport = options.transport ?? createSmtpTransport(options.smtpUrl as string);
  const intervalMs = Math.max(0, options.intervalMs ?? DEFAULT_INTERVAL_MS);
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const { logger } = options;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const pass = async () => {
    for (;;) {
      const result = await deliverBatch(db, transport, {
        limit: batchSize,
        from: options.from,
        maxAttempts: options.maxAttempts,
        backoffMs: options.backoffMs,
        leaseMs: options.leaseMs,
        logger,
      });
      if (stopped || result.sent + result.failed + result.retried < batchSize) return;
    }
  };

  const tick = () => {
    timer = undefined;
    running = pass()
      .catch((error: unknown) => {
        // Database trouble (the transport's own errors are recorded per message).
        logger.error({ error: safeErrorText(error) }, "email outbox pass failed");
      })
      .finally(() => {
        running = undefined;
        schedule(intervalMs);
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
