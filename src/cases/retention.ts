import type { Logger } from "pino";
import { appendAudit } from "../audit/service.js";
import type { Db } from "../db/db.js";
import { startPeriodicJob, type PeriodicJob } from "../periodic.js";
import { HttpError } from "../web/errors.js";
import * as repo from "./repo.js";
import { caseRow, caseRows } from "./vouched-rows.js";

const DAY = 86_400_000;

/**
 * Deletes the contact details (email, phone, address, witness contact) of cases
 * closed more than `days` ago, unless an administrator put the case under a
 * legal hold. Each case is one transaction with an audit entry vouching for the
 * changed row. Idempotent: a cleared case is marked and never taken again, so it
 * is safe to run as often as wanted and a restart loses nothing.
 * Returns how many cases it cleared.
 */
export async function deleteExpiredContactDetails(db: Db, days: number, now = new Date(), batch = 100): Promise<number> {
  const closedBefore = new Date(now.getTime() - days * DAY).toISOString();
  let cleared = 0;
  for (;;) {
    const count = await db.transaction(async (tx) => {
      const ids = await repo.casesPastContactRetention(tx, closedBefore, batch);
      for (const id of ids) {
        const people = await repo.deleteContactDetails(tx, id, now.toISOString());
        await appendAudit(tx, { actor: "system", action: "case.contact_deleted", entity: "case", entityId: id, rows: [caseRow("cases", id), ...caseRows("case_people", people)], data: { retention_days: days } }, now);
      }
      return ids.length;
    });
    cleared += count;
    if (count < batch) return cleared;
  }
}

/** Runs the retention sweep on a timer; the database, not the timer, remembers what is done. */
export function startRetentionJob(db: Db, options: { days: number; intervalMs: number; logger: Logger }): PeriodicJob {
  return startPeriodicJob(() => deleteExpiredContactDetails(db, options.days), {
    intervalMs: options.intervalMs, logger: options.logger, count: "cleared", did: "contact details past retention deleted", failed: "contact retention failed",
  });
}

/**
 * Puts a case under a legal hold, or lifts it: while held, retention keeps its
 * contact details. Audited with the row's digest. The caller checks that the
 * actor is an administrator.
 */
export async function setLegalHold(db: Db, actor: string, caseId: string, hold: boolean): Promise<void> {
  await db.transaction(async (tx) => {
    const found = await repo.findCase(tx, caseId, true);
    if (!found) throw new HttpError(404, "error.notFound");
    if (found.legal_hold === hold) return;
    await repo.updateCase(tx, caseId, { legal_hold: hold });
    await appendAudit(tx, { actor, action: hold ? "case.legal_hold" : "case.legal_hold_lifted", entity: "case", entityId: caseId, rows: [caseRow("cases", caseId)], data: {} });
  });
}
