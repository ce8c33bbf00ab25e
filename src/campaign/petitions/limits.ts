/**
 * Per-address and per-network signing limits, and the counts of refused attempts.
 *
 * The limiter is a sliding window (the previous fixed window's count, weighted by
 * how much of it still overlaps, plus the current one), in memory: one process
 * serves a city. Behind several processes, divide the limits by the process count
 * or move them to the proxy.
 */
import type { Queryable } from "../../db/db.js";
import type { ClientNetwork } from "./normalize.js";
import { addRejections } from "./repo.js";

interface Window {
  start: number;
  current: number;
  previous: number;
}

export class SlidingWindowLimiter {
  #windows = new Map<string, Window>();
  #lastSweep = Date.now();

  constructor(private readonly windowMs: number) {}

  /** Counts one attempt for `key` and returns the attempts in the last window, this one included. */
  hit(key: string, now = Date.now()): number {
    this.#sweep(now);
    let window = this.#windows.get(key);
    if (!window) {
      window = { start: now - (now % this.windowMs), current: 0, previous: 0 };
      this.#windows.set(key, window);
    }
    const elapsedWindows = Math.floor((now - window.start) / this.windowMs);
    if (elapsedWindows >= 1) {
      window.previous = elapsedWindows === 1 ? window.current : 0;
      window.current = 0;
      window.start += elapsedWindows * this.windowMs;
    }
    window.current += 1;
    const overlap = 1 - (now - window.start) / this.windowMs;
    return Math.floor(window.previous * overlap) + window.current;
  }

  /** Seconds until an attempt for `key` would fall below `limit` again (at least 1). */
  retryAfterSeconds(key: string, limit: number, now = Date.now()): number {
    const window = this.#windows.get(key);
    if (!window) return 1;
    if (window.current >= limit) return Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
    // The previous window's weight must decay until previous*overlap + current < limit.
    const allowed = limit - window.current;
    const overlapNeeded = window.previous > 0 ? allowed / window.previous : 1;
    const at = window.start + (1 - overlapNeeded) * this.windowMs;
    return Math.max(1, Math.ceil((at - now) / 1000));
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < this.windowMs) return;
    this.#lastSweep = now;
    for (const [key, window] of this.#windows) {
      if (now - window.start >= 2 * this.windowMs) this.#windows.delete(key);
    }
  }
}

export type RejectionReason = "duplicate" | "rate_limited_address" | "rate_limited_network" | "missing_token" | "honeypot";
export const REJECTION_REASONS: readonly RejectionReason[] = ["duplicate", "rate_limited_address", "rate_limited_network", "missing_token", "honeypot"];

export type LimitVerdict = { ok: true } | { ok: false; reason: "rate_limited_address" | "rate_limited_network"; retryAfter: number };

/** Both limits for one petition: the address's and its network's. */
export class SigningLimits {
  readonly #limiter: SlidingWindowLimiter;

  constructor(private readonly settings: { addressLimit: number; networkLimit: number; limitWindowSeconds: number }) {
    this.#limiter = new SlidingWindowLimiter(settings.limitWindowSeconds * 1000);
  }

  /** Counts an attempt against both limits and says whether it may go on. */
  check(petitionId: string, client: ClientNetwork, now = Date.now()): LimitVerdict {
    const addressKey = `${petitionId}|a|${client.address}`;
    const networkKey = `${petitionId}|n|${client.network}`;
    if (this.#limiter.hit(addressKey, now) > this.settings.addressLimit) {
      return { ok: false, reason: "rate_limited_address", retryAfter: this.#limiter.retryAfterSeconds(addressKey, this.settings.addressLimit, now) };
    }
    // Only attempts the address limit let through count against the network, so one noisy
    // host does not use up its neighbours' allowance.
    if (this.#limiter.hit(networkKey, now) > this.settings.networkLimit) {
      return { ok: false, reason: "rate_limited_network", retryAfter: this.#limiter.retryAfterSeconds(networkKey, this.settings.networkLimit, now) };
    }
    return { ok: true };
  }
}

/**
 * Refused attempts by petition and reason, counted in memory and added to
 * `petition_rejections` by `flush` (every few seconds, and at shutdown). They are
 * statistics: a crash loses at most the last few seconds of counts, never a
 * signature.
 */
export class RejectionCounter {
  #pending = new Map<string, number>();

  count(petitionId: string, reason: RejectionReason): void {
    const key = `${petitionId}|${reason}`;
    this.#pending.set(key, (this.#pending.get(key) ?? 0) + 1);
  }

  /** Counts not yet written, for tests and the manage page. */
  unflushed(petitionId: string): Partial<Record<RejectionReason, number>> {
    const out: Partial<Record<RejectionReason, number>> = {};
    for (const [key, n] of this.#pending) {
      const [id, reason] = key.split("|");
      if (id === petitionId) out[reason as RejectionReason] = n;
    }
    return out;
  }

  async flush(db: Queryable): Promise<void> {
    if (this.#pending.size === 0) return;
    const taken = this.#pending;
    this.#pending = new Map();
    const ids: string[] = [];
    const reasons: string[] = [];
    const counts: number[] = [];
    for (const [key, n] of taken) {
      const [id, reason] = key.split("|");
      ids.push(id);
      reasons.push(reason);
      counts.push(n);
    }
    try {
      await addRejections(db, ids, reasons, counts);
    } catch (error) {
      // Put them back for the next try.
      for (const [key, n] of taken) this.#pending.set(key, (this.#pending.get(key) ?? 0) + n);
      throw error;
    }
  }
}
