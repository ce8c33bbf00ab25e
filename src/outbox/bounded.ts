/**
 * Runs `work` on each item with at most `limit` running at once, in order of the
 * items. After the first error (or once `halted()` says so) no new item starts;
 * the ones already running are awaited, so nothing is left in flight, and then
 * the first error is thrown. Items never started are simply skipped: for the
 * outbox they stay leased and another pass takes them once the lease runs out.
 *
 * @example
 *   await forEachBounded(claimed, 8, (message) => send(message));
 */
export async function forEachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>, halted: () => boolean = () => false): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (next < items.length && !failure && !halted()) {
      const item = items[next];
      next += 1;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const lanes = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  if (failure) throw failure.error;
}
