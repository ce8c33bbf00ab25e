import { z } from "zod";
import { appendAudit } from "../audit/service.js";
import type { Db } from "../db/db.js";
import { enqueueEmail } from "../outbox/index.js";
import { HttpError } from "../web/errors.js";
import { assignmentEmail } from "./assignment-email.js";
import * as repo from "./repo.js";
import * as staffRepo from "./staff-repo.js";
import { ASSIGNABLE_ROLES } from "./staff-repo.js";
import { caseRow } from "./vouched-rows.js";

export { ASSIGNABLE_ROLES };

const CLOSED = new Set(["closed", "closed_no_finding", "referred_out"]);

/**
 * Who is changing an assignment, and how far they may go: "any" (intake and
 * admins) assigns any case to any eligible account; "self" (investigators)
 * only takes an unassigned case for themselves or gives back their own.
 */
export interface Assigner {
  id: string;
  scope: "any" | "self";
}

export interface AssignmentResult {
  changed: boolean;
  assignedTo: { id: string; name: string } | null;
  /** Whether the assignee was sent an email (not when they assigned themselves). */
  emailed: boolean;
}

const userIdSchema = z.string().uuid().nullable();

/**
 * Assigns a case to an active investigator or administrator, or clears the
 * assignment (userId null). In one transaction: the case, a staff-only history
 * event, the audit entry (ids only) and the assignee's email through the outbox.
 * Assigning the current assignee again changes nothing and writes nothing.
 */
export async function assignCase(db: Db, by: Assigner, caseId: string, userId: string | null, linkBase = ""): Promise<AssignmentResult> {
  const parsed = userIdSchema.safeParse(userId);
  if (!parsed.success) throw new HttpError(400, "error.badRequest", "userId: must be a user id, or null to clear the assignment");
  const target = parsed.data;
  return db.transaction(async (tx) => {
    const found = await repo.findCase(tx, caseId, true);
    if (!found) throw new HttpError(404, "error.notFound");
    const current = found.assigned_to;
    if (by.scope === "self") {
      const takesFree = target === by.id && (current === null || current === by.id);
      const givesBackOwn = target === null && (current === by.id || current === null);
      if (!takesFree && !givesBackOwn) {
        throw new HttpError(403, "error.forbidden", "investigators may take an unassigned case for themselves or give back their own; intake or an administrator assigns anyone else");
      }
    }
    const account = target ? await staffRepo.staffAccount(tx, target) : undefined;
    if (target && (!account || !account.active || !(ASSIGNABLE_ROLES as readonly string[]).includes(account.role))) {
      throw new HttpError(409, "error.badRequest", "userId: only an active investigator or administrator can be assigned a case");
    }
    if (target && CLOSED.has(found.state)) throw new HttpError(409, "error.badRequest", "this case is closed: it cannot be assigned");
    const assignedTo = account ? { id: account.id, name: account.name } : null;
    if (current === target) return { changed: false, assignedTo, emailed: false };

    const actor = `user:${by.id}`;
    await repo.updateCase(tx, caseId, { assigned_to: target });
    const eventId = await repo.insertRow(tx, "case_events", { case_id: caseId, actor, kind: target ? "assigned" : "unassigned", subject_user: target ?? current, visible_to_complainant: false });
    await appendAudit(tx, { actor, action: "case.assign", entity: "case", entityId: caseId, rows: [caseRow("cases", caseId), caseRow("case_events", eventId)], data: { from: current, to: target } });
    let emailed = false;
    if (account && account.id !== by.id) {
      const assigner = await staffRepo.staffAccount(tx, by.id);
      const message = assignmentEmail(account.language, { caseNumber: found.case_number, caseId, assignedBy: assigner?.name ?? null, linkBase });
      emailed = (await enqueueEmail(tx, { to: account.email, ...message, template: "case.assigned" }, { actor })) !== null;
    }
    return { changed: true, assignedTo, emailed };
  });
}

/** Accounts a case can be assigned to, for the staff page's select. */
export const listAssignableStaff = (db: Db) => staffRepo.assignableStaff(db);
