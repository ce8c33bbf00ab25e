import type { Logger } from "pino";

export interface PeriodicJob {
  stop(): Promise<void>;
}

/**
 * Runs `work` now and then every `intervalMs` after each run ends, logging what
 * it did (when it did anything) or why it failed. For sweeps whose state lives
 * in the database, so a restart loses nothing: the timer only says when to look.
 * `stop()` waits for a run in progress.
 */
export function startPeriodicJob(work: () => Promise<number>, options: { intervalMs: number; logger: Logger; did: string; failed: string; count: string }): PeriodicJob {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = work()
      .then((done) => void (done && options.logger.info({ [options.count]: done }, options.did)))
      .catch((error: Error) => options.logger.error({ err: { message: error.message } }, options.failed))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
