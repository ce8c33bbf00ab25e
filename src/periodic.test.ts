import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Logger } from "pino";
import { startPeriodicJob } from "./periodic.js";

function recordingLogger() {
  const lines: { level: string; fields: unknown; message: string }[] = [];
  const logger = {
    info: (fields: unknown, message: string) => lines.push({ level: "info", fields, message }),
    error: (fields: unknown, message: string) => lines.push({ level: "error", fields, message }),
  } as unknown as Logger;
  return { logger, lines };
}

describe("a periodic job", () => {
  it("runs at once and again after each interval, logs only runs that did something, and keeps going after a failure", async () => {
    const { logger, lines } = recordingLogger();
    const results: (number | Error)[] = [0, 3, new Error("database unreachable"), 2];
    let runs = 0;
    const job = startPeriodicJob(async () => {
      const next = results[runs++] ?? 0;
      if (next instanceof Error) throw next;
      return next;
    }, { intervalMs: 5, logger, count: "cleared", did: "swept", failed: "sweep failed" });
    while (runs < 5) await new Promise((resolve) => setTimeout(resolve, 5));
    await job.stop();
    assert.deepEqual(lines.slice(0, 3), [
      { level: "info", fields: { cleared: 3 }, message: "swept" },
      { level: "error", fields: { err: { message: "database unreachable" } }, message: "sweep failed" },
      { level: "info", fields: { cleared: 2 }, message: "swept" },
    ]);
  });

  it("stop() waits for the run in progress and starts no other", async () => {
    const { logger } = recordingLogger();
    let runs = 0;
    let finished = false;
    const job = startPeriodicJob(async () => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 30));
      finished = true;
      return 0;
    }, { intervalMs: 1, logger, count: "n", did: "did", failed: "failed" });
    await job.stop();
    assert.ok(finished, "the run in progress was awaited");
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(runs, 1, "no run after stop");
  });
});
