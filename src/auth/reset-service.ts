import { randomBytes } from "node:crypto";
import { appendAudit } from "../audit/service.js";
import type { Db } from "../db/db.js";
import { enqueueEmail } from "../outbox/index.js";
import { newPasswordProblem } from "./account-service.js";
import { hashPassword } from "./passwords.js";
import * as repo from "./repo.js";
import { resetEmail } from "./reset-email.js";
import { hashToken } from "./sessions.js";

/** A reset link works for 30 minutes, once. */
export const RESET_MINUTES = 30;

/**
 * "Forgot password": when the email belongs to an active account, stores the
 * hash of a new single-use token and queues the link in the same transaction
 * (`user.reset_requested` audit entry). The caller answers the same either way.
 * `linkBase` is the site's public address (web/link-base.ts).
 */
export async function requestPasswordReset(db: Db, email: string, options: { linkBase: string; lang: "en" | "es"; now?: Date }): Promise<void> {
  const now = options.now ?? new Date();
  const user = await repo.findUserByEmail(db, email.trim().slice(0, 254));
  if (!user || user.disabled_at) return;
  const token = randomBytes(32).toString("base64url");
  const message = resetEmail(user.language, options.lang, { link: `${options.linkBase}/password/reset/${token}`, minutes: RESET_MINUTES });
  await db.transaction(async (tx) => {
    await repo.insertPasswordReset(tx, { tokenHash: hashToken(token), userId: user.id, now, expiresAt: new Date(now.getTime() + RESET_MINUTES * 60_000) });
    await appendAudit(tx, { actor: "anonymous", action: "user.reset_requested", entity: "user", entityId: user.id }, now);
    await enqueueEmail(tx, { to: user.email, ...message, template: "user.password_reset" }, { actor: "system", now });
  });
}

/** Whether a reset link can still be used (for showing its form). */
export async function resetLinkUsable(db: Db, token: string, now = new Date()): Promise<boolean> {
  return (await repo.findUsableReset(db, hashToken(token), now)) !== undefined;
}

export type ResetResult = { kind: "reset" } | { kind: "unusable" } | { kind: "invalid"; field: "password" | "confirm"; message: string };

/**
 * Sets a new password through a reset link: once, before it expires. Every
 * session of the account ends and its sign-in lock is cleared (the person has
 * shown they hold the mailbox). Audited as `user.password_reset`.
 */
export async function resetPassword(db: Db, token: string, input: { password: string; confirm: string }, now = new Date()): Promise<ResetResult> {
  const problem = newPasswordProblem(input);
  if (problem) return { kind: "invalid", ...problem };
  const hash = await hashPassword(input.password);
  const tokenHash = hashToken(token);
  return db.transaction(async (tx) => {
    const reset = await repo.findUsableReset(tx, tokenHash, now, true);
    if (!reset) return { kind: "unusable" } as const;
    await repo.markResetUsed(tx, tokenHash, now);
    await repo.updatePassword(tx, reset.user_id, hash);
    const ended = await repo.deleteOtherSessions(tx, reset.user_id, null);
    await appendAudit(tx, { actor: `user:${reset.user_id}`, action: "user.password_reset", entity: "user", entityId: reset.user_id, data: { sessionsEnded: ended } }, now);
    return { kind: "reset" } as const;
  });
}
