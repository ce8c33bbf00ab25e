import type { Logger } from "pino";
import type { Db } from "../db/db.js";
import { startPeriodicJob, type PeriodicJob } from "../periodic.js";
import { enqueueEmail } from "../outbox/index.js";
import { reminderEmail } from "./reminder-email.js";
import { staffAccounts } from "./staff-repo.js";
import { deadlineDashboard, OFFICE_READER } from "./staff-view.js";

const DAY = 86_400_000;

/**
 * Queues one reminder per case, clock and day for clocks that are overdue or
 * due within two days: to the office's address, and to the staff member the
 * case is assigned to (in their language) while their account is active. The
 * dedupe key makes it safe to run as often as wanted: the queue, not memory,
 * remembers what was already sent.
 */
export async function enqueueDeadlineReminders(db: Db, to: string, linkBase: string, now = new Date()): Promise<number> {
  const rows = await deadlineDashboard(db, OFFICE_READER, now);
  const day = now.toISOString().slice(0, 10);
  let queued = 0;
  await db.transaction(async (tx) => {
    const accounts = await staffAccounts(tx, [...new Set(rows.flatMap((row) => (row.assignedTo ? [row.assignedTo.id] : [])))]);
    for (const row of rows) {
      const account = row.assignedTo && accounts.get(row.assignedTo.id);
      const assignee = account && account.active ? account : undefined;
      for (const deadline of row.deadlines) {
        const dueSoon = deadline.status === "due" && deadline.dueAt && new Date(deadline.dueAt).getTime() - now.getTime() < 2 * DAY;
        if (deadline.status !== "overdue" && !dueSoon) continue;
        const facts = { caseNumber: row.caseNumber, caseId: row.id, kind: deadline.kind, overdue: deadline.status === "overdue", dueAt: deadline.dueAt, linkBase };
        const key = `reminder:${row.id}:${deadline.kind}:${deadline.status}:${day}`;
        const recipients: { to: string; language: string | null; dedupeKey: string }[] = [{ to, language: null, dedupeKey: key }];
        if (assignee && assignee.email !== to) recipients.push({ to: assignee.email, language: assignee.language, dedupeKey: `${key}:${assignee.id}` });
        for (const recipient of recipients) {
          const id = await enqueueEmail(tx, { to: recipient.to, ...reminderEmail(recipient.language, facts), template: "case.deadline_reminder", dedupeKey: recipient.dedupeKey });
          if (id) queued += 1;
        }
      }
    }
  });
  return queued;
}

/** Runs the reminders on a timer; restarts are harmless because the queue deduplicates. */
export function startReminderJob(db: Db, options: { to: string; linkBase: string; intervalMs: number; logger: Logger }): PeriodicJob {
  return startPeriodicJob(() => enqueueDeadlineReminders(db, options.to, options.linkBase), {
    intervalMs: options.intervalMs, logger: options.logger, count: "queued", did: "deadline reminders queued", failed: "deadline reminders failed",
  });
}
