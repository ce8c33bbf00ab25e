import { z } from "zod";
import { appendAudit } from "../audit/service.js";
import type { Db } from "../db/db.js";
import { HttpError } from "../web/errors.js";
import * as repo from "./repo.js";
import { ROLES } from "./roles.js";
import { createUser, newUserSchema, type NewUser } from "./service.js";
import { NO_FAILURES } from "./throttle.js";

export type AccountSummary = repo.AccountListRow;

/** Every account, for the administrators' page. */
export const listAccounts = (db: Db, now = new Date()) => repo.listAccounts(db, now);

/** An administrator creates an account; refused (409) when the email is taken. */
export async function adminCreateAccount(db: Db, adminId: string, input: NewUser): Promise<string> {
  const user = newUserSchema.parse(input);
  if (await repo.findUserByEmail(db, user.email)) throw new HttpError(409, "admin.users.emailTaken");
  return createUser(db, user, `user:${adminId}`);
}

export const accountChangeSchema = z.object({
  role: z.enum(ROLES),
  /** "" clears it: the office's default language. */
  language: z.enum(["en", "es", ""]).transform((v) => (v === "" ? null : v)),
  disabled: z.boolean(),
});
export type AccountChange = z.input<typeof accountChangeSchema>;

/**
 * Changes an account's role, language or whether it may sign in. One
 * transaction: the active administrators are locked first, so the last one can
 * never be demoted or disabled (by themselves or another, even two at once).
 * Disabling ends the account's sessions. Each changed field is audited
 * (`user.update` with from/to; `user.disable`, `user.enable`).
 */
export async function changeAccount(db: Db, adminId: string, userId: string, input: AccountChange, now = new Date()): Promise<void> {
  const change = accountChangeSchema.parse(input);
  await db.transaction(async (tx) => {
    const admins = await repo.lockActiveAdmins(tx);
    const user = await repo.findUserById(tx, userId);
    if (!user) throw new HttpError(404, "error.notFound");
    const wasActiveAdmin = user.role === "admin" && !user.disabled_at;
    const staysActiveAdmin = change.role === "admin" && !change.disabled;
    if (wasActiveAdmin && !staysActiveAdmin && admins.filter((id) => id !== userId).length === 0) {
      throw new HttpError(409, "admin.users.lastAdmin");
    }
    await repo.updateAccount(tx, userId, { ...change, now });
    const actor = `user:${adminId}`;
    const changed: Record<string, { from: string | null; to: string | null }> = {};
    if (user.role !== change.role) changed.role = { from: user.role, to: change.role };
    if ((user.language ?? null) !== change.language) changed.language = { from: user.language ?? null, to: change.language };
    if (Object.keys(changed).length) await appendAudit(tx, { actor, action: "user.update", entity: "user", entityId: userId, data: changed }, now);
    if (!user.disabled_at && change.disabled) {
      const ended = await repo.deleteOtherSessions(tx, userId, null);
      await appendAudit(tx, { actor, action: "user.disable", entity: "user", entityId: userId, data: { sessionsEnded: ended } }, now);
    }
    if (user.disabled_at && !change.disabled) await appendAudit(tx, { actor, action: "user.enable", entity: "user", entityId: userId }, now);
  });
}

/**
 * Lifts a sign-in lock or throttle at once (`user.unlock`), for a person who has
 * shown the office who they are.
 */
export async function unlockAccount(db: Db, adminId: string, userId: string, now = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    if (!(await repo.findUserById(tx, userId))) throw new HttpError(404, "error.notFound");
    await repo.lockFailures(tx, userId);
    await repo.saveFailures(tx, userId, NO_FAILURES);
    await appendAudit(tx, { actor: `user:${adminId}`, action: "user.unlock", entity: "user", entityId: userId }, now);
  });
}

/**
 * Turns off another person's two-factor sign-in (a lost phone), ending their
 * sessions; they enrol again at their next sign-in (`user.two_factor_clear`).
 * Not one's own: an administrator would only be sent back to enrolment.
 */
export async function clearTwoFactor(db: Db, adminId: string, userId: string, now = new Date()): Promise<void> {
  if (adminId === userId) throw new HttpError(409, "admin.users.notOwnTwoFactor");
  await db.transaction(async (tx) => {
    if (!(await repo.findUserById(tx, userId))) throw new HttpError(404, "error.notFound");
    if (!(await repo.clearTotp(tx, userId))) return;
    const ended = await repo.deleteOtherSessions(tx, userId, null);
    await appendAudit(tx, { actor: `user:${adminId}`, action: "user.two_factor_clear", entity: "user", entityId: userId, data: { sessionsEnded: ended } }, now);
  });
}
