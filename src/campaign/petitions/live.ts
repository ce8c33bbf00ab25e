/**
 * The live count: one timer reads the tallies of every petition someone is
 * watching (one query, whatever the number of watchers) every `intervalMs` and
 * pushes the counts that changed to their server-sent-event streams. Watchers of
 * the same petition share one read, so a surge of signers each watching the page
 * costs the database one small query a second.
 */
import type { Queryable } from "../../db/db.js";
import * as repo from "./repo.js";

export interface LiveCount {
  verified: number;
  pending: number;
}

interface Watcher {
  push: (count: LiveCount) => void;
  end: () => void;
}

export interface LiveLogger {
  warn(obj: object, msg?: string): void;
}

export class LiveCounts {
  #watchers = new Map<string, Set<Watcher>>();
  #last = new Map<string, string>();
  #byAddress = new Map<string, number>();
  #timer: NodeJS.Timeout | null = null;
  #ticking = false;
  #closed = false;

  constructor(
    private readonly db: Queryable,
    private readonly intervalMs: number,
    private readonly logger?: LiveLogger,
  ) {}

  /** Open streams in all. */
  get size(): number {
    let n = 0;
    for (const set of this.#watchers.values()) n += set.size;
    return n;
  }

  /**
   * Registers a stream for a petition; `push` gets each changed count, `end` is
   * called at shutdown. Returns the function that unregisters it, or null when the
   * address already holds `perAddress` streams (or the hub is closed).
   */
  watch(petitionId: string, address: string, perAddress: number, watcher: Watcher): (() => void) | null {
    if (this.#closed) return null;
    const open = this.#byAddress.get(address) ?? 0;
    if (open >= perAddress) return null;
    this.#byAddress.set(address, open + 1);
    let set = this.#watchers.get(petitionId);
    if (!set) this.#watchers.set(petitionId, (set = new Set()));
    set.add(watcher);
    this.#start();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = (this.#byAddress.get(address) ?? 1) - 1;
      if (left > 0) this.#byAddress.set(address, left);
      else this.#byAddress.delete(address);
      set!.delete(watcher);
      if (set!.size === 0) {
        this.#watchers.delete(petitionId);
        this.#last.delete(petitionId);
      }
      if (this.#watchers.size === 0) this.#stop();
    };
  }

  /** Ends every stream (before the HTTP server closes, which waits for open connections). */
  closeAll(): void {
    this.#closed = true;
    this.#stop();
    for (const set of this.#watchers.values()) for (const watcher of [...set]) watcher.end();
  }

  /** Reads the watched tallies once and pushes what changed. Exposed for tests. */
  async tick(): Promise<void> {
    if (this.#ticking) return;
    this.#ticking = true;
    try {
      const ids = [...this.#watchers.keys()];
      if (!ids.length) return;
      for (const row of await repo.tallies(this.db, ids)) {
        const count: LiveCount = { verified: Number(row.verified), pending: Number(row.pending) };
        const key = `${count.verified}/${count.pending}`;
        if (this.#last.get(row.petition_id) === key) continue;
        this.#last.set(row.petition_id, key);
        for (const watcher of this.#watchers.get(row.petition_id) ?? []) watcher.push(count);
      }
    } catch (error) {
      this.logger?.warn({ err: { message: (error as Error).message } }, "live count read failed");
    } finally {
      this.#ticking = false;
    }
  }

  #start(): void {
    if (this.#timer || this.#closed) return;
    this.#timer = setInterval(() => void this.tick(), this.intervalMs);
    this.#timer.unref();
  }

  #stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
