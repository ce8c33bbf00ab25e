/**
 * Group commit: callers submit one item each and wait; the batcher writes the
 * items that arrived together in one transaction and answers each caller only
 * after that transaction has committed. One flush runs at a time: while it
 * commits, the next batch collects, so under load batches grow by themselves and
 * the cost of a commit (a WAL flush on PostgreSQL, a round of file writes on
 * PGlite) is shared by everyone in the batch. When idle, the first item waits at
 * most `delayMs` for company.
 *
 * A failed flush is retried item by item, so one bad item cannot sink the others;
 * an item that fails on its own rejects its caller. Nothing is acknowledged that
 * was not committed, so a crash loses only unacknowledged work.
 */
export interface GroupCommitOptions {
  /** How long an idle batcher waits for more items before writing. */
  delayMs: number;
  /** Most items per transaction. */
  maxBatch: number;
  /** Most items waiting (not yet in a flush); more are refused with QueueFullError. */
  maxQueue: number;
}

/** The batcher is full or stopped: the caller should answer 503 and ask to retry. */
export class QueueFullError extends Error {
  constructor(readonly reason: "full" | "stopped") {
    super(reason === "full" ? "the signing queue is full" : "the signing queue is stopped");
    this.name = "QueueFullError";
  }
}

interface Waiting<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitStats {
  batches: number;
  items: number;
  largestBatch: number;
  retriedBatches: number;
}

export class GroupCommit<I, R> {
  #queue: Waiting<I, R>[] = [];
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> | null = null;
  #stopped = false;
  readonly stats: GroupCommitStats = { batches: 0, items: 0, largestBatch: 0, retriedBatches: 0 };

  /**
   * @param write writes the items in one transaction and returns one result per
   *   item, in order; it throws if the transaction did not commit.
   */
  constructor(
    private readonly write: (items: I[]) => Promise<R[]>,
    private readonly options: GroupCommitOptions,
  ) {}

  /** Resolves with the item's result once its batch has committed. */
  submit(item: I): Promise<R> {
    if (this.#stopped) return Promise.reject(new QueueFullError("stopped"));
    if (this.#queue.length >= this.options.maxQueue) return Promise.reject(new QueueFullError("full"));
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  /** Items waiting for a flush. */
  get waiting(): number {
    return this.#queue.length;
  }

  /** Refuses new items, writes everything already submitted, and resolves when done. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    while (this.#flushing || this.#queue.length) {
      if (this.#flushing) await this.#flushing;
      else this.#startFlush();
    }
  }

  #schedule(): void {
    if (this.#flushing) return; // the running flush starts the next one when it ends
    if (this.#queue.length >= this.options.maxBatch || this.options.delayMs === 0) {
      this.#startFlush();
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        if (!this.#flushing) this.#startFlush();
      }, this.options.delayMs);
    }
  }

  #startFlush(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    const batch = this.#queue.splice(0, this.options.maxBatch);
    if (batch.length === 0) return;
    this.#flushing = this.#flush(batch).finally(() => {
      this.#flushing = null;
      // Whatever arrived during this flush has waited long enough: write it now.
      if (this.#queue.length) this.#startFlush();
    });
  }

  async #flush(batch: Waiting<I, R>[]): Promise<void> {
    this.stats.batches += 1;
    this.stats.items += batch.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    try {
      const results = await this.write(batch.map((waiting) => waiting.item));
      batch.forEach((waiting, i) => waiting.resolve(results[i]));
      return;
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
    }
    // The batch failed as a whole: write each item alone, so only the bad one fails.
    this.stats.retriedBatches += 1;
    for (const waiting of batch) {
      try {
        const [result] = await this.write([waiting.item]);
        waiting.resolve(result);
      } catch (error) {
        waiting.reject(error);
      }
    }
  }
}
