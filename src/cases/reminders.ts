import type { Logger } from "pino";
import type { Db } from "../db/db.js";
import { enqueueEmail } from "../outbox/index.js";
import { deadlineDashboard } from "./staff-view.js";

const DAY = 86_400_000;

/**
 * Queues one reminder per case, clock and day for clocks that are overdue or
 * due within two days. The dedupe key makes it safe to run as often as wanted:
 * the queue, not memory, remembers what was already sent.
 */
export async function enqueueDeadlineReminders(db: Db, to: string, linkBase = "", now = new Date()): Promise<number> {
  const rows = await deadlineDashboard(db, now);
  const day = now.toISOString().slice(0, 10);
  let queued = 0;
  await db.transaction(async (tx) => {
    for (const row of rows) {
      for (const deadline of row.deadlines) {
        const dueSoon = deadline.status === "due" && deadline.dueAt && new Date(deadline.dueAt).getTime() - now.getTime() < 2 * DAY;
        if (deadline.status !== "overdue" && !dueSoon) continue;
        const id = await enqueueEmail(tx, {
          to,
          subject: `${row.caseNumber}: ${deadline.kind.replace("_", " ")} ${deadline.status === "overdue" ? "is overdue" : "is due soon"}`,
          text: `Case ${row.caseNumber} (${row.state}): the ${deadline.kind.replace("_", " ")} clock is ${deadline.status}, due ${deadline.dueAt?.slice(0, 16).replace("T", " ")} UTC.\n\nOpen ${linkBase}/staff/cases/${row.id}`,
          template: "case.deadline_reminder",
          dedupeKey: `reminder:${row.id}:${deadline.kind}:${deadline.status}:${day}`,
        });
        if (id) queued += 1;
      }
    }
  });
  return queued;
}

/** Runs the reminders on a timer; restarts are harmless because the queue deduplicates. */
export function startReminderJob(db: Db, options: { to: string; linkBase: string; intervalMs: number; logger: Logger }): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = enqueueDeadlineReminders(db, options.to, options.linkBase)
      .then((queued) => void (queued && options.logger.info({ queued }, "deadline reminders queued")))
      .catch((error: Error) => options.logger.error({ err: { message: error.message } }, "deadline reminders failed"))
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
