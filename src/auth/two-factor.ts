import { appendAudit } from "../audit/service.js";
import type { Db } from "../db/db.js";
import * as repo from "./repo.js";
import { hashToken, SESSION_HOURS } from "./sessions.js";
import { ACCOUNT_POLICY, afterFailure, NO_FAILURES, waitMs } from "./throttle.js";
import { base32, matchCode, newTotpSecret, openSecret, otpauthUri, sealSecret } from "./totp.js";

/** Who must use two-factor sign-in: administrators, unless the office turned it off (OVERSIGHT_ADMIN_TWO_FACTOR=optional). */
export const mustUseTwoFactor = (role: string, setting: "required" | "optional") => role === "admin" && setting === "required";

export type Enrolment = { kind: "enabled" } | { kind: "pending"; secret: string; uri: string };

/**
 * The enrolment page's secret: a new one, kept sealed until confirmed, or the
 * one already waiting. Once enabled, nothing is shown again.
 */
export async function startEnrolment(db: Db, userId: string): Promise<Enrolment> {
  return db.transaction(async (tx) => {
    const state = await repo.lockTotp(tx, userId);
    const user = await repo.findUserById(tx, userId);
    if (!state || !user) throw new Error("no such account");
    if (state.totp_enabled) return { kind: "enabled" } as const;
    let secret = state.totp_secret ? openSecret(state.totp_secret) : undefined;
    if (!secret) {
      secret = newTotpSecret();
      await repo.setPendingTotp(tx, userId, sealSecret(secret));
    }
    return { kind: "pending", secret: base32(secret), uri: otpauthUri(secret, user.email) } as const;
  });
}

/** Turns two-factor on once the person typed one right code from their app (`user.two_factor_enable`). */
export async function confirmEnrolment(db: Db, userId: string, code: string, now = new Date()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const state = await repo.lockTotp(tx, userId);
    if (!state?.totp_secret || state.totp_enabled) return false;
    const step = matchCode(openSecret(state.totp_secret), code, now.getTime(), null);
    if (step === null) return false;
    await repo.enableTotp(tx, userId, step, now);
    await appendAudit(tx, { actor: `user:${userId}`, action: "user.two_factor_enable", entity: "user", entityId: userId }, now);
    return true;
  });
}

export type CodeResult = { kind: "signedIn"; expiresAt: Date } | { kind: "refused" } | { kind: "expired" } | { kind: "throttled"; retryAfterSeconds: number };

/**
 * The second step of sign-in: the code for a session that passed the password.
 * Wrong codes count as failed sign-ins of the account (the same throttle and
 * lockout, audited as `session.failed` with reason `code`); a code is accepted
 * once. A right code makes the session a full one (`session.create`).
 */
export async function completeSignIn(db: Db, token: string, code: string, now = new Date()): Promise<CodeResult> {
  const at = now.getTime();
  return db.transaction(async (tx) => {
    const pending = await repo.findPendingSession(tx, hashToken(token), now);
    if (!pending) return { kind: "expired" } as const;
    const userId = pending.user_id;
    const failures = await repo.lockFailures(tx, userId);
    const wait = waitMs(failures, ACCOUNT_POLICY, at);
    const failed = (reason: string) => appendAudit(tx, { actor: `user:${userId}`, action: "session.failed", entity: "user", entityId: userId, data: { reason, purpose: "two-factor" } }, now);
    if (wait > 0) {
      await failed("throttled");
      return { kind: "throttled", retryAfterSeconds: Math.ceil(wait / 1000) } as const;
    }
    const state = await repo.lockTotp(tx, userId);
    const step = state?.totp_enabled && state.totp_secret ? matchCode(openSecret(state.totp_secret), code, at, state.totp_last_step) : null;
    if (step === null) {
      await repo.saveFailures(tx, userId, afterFailure(failures, ACCOUNT_POLICY, at));
      await failed("code");
      return { kind: "refused" } as const;
    }
    const expiresAt = new Date(at + SESSION_HOURS * 3_600_000);
    await repo.saveTotpStep(tx, userId, step);
    await repo.saveFailures(tx, userId, NO_FAILURES);
    await repo.completePendingSession(tx, pending.id, now, expiresAt);
    await appendAudit(tx, { actor: `user:${userId}`, action: "session.create", entity: "user", entityId: userId, data: { twoFactor: true } }, now);
    return { kind: "signedIn", expiresAt } as const;
  });
}
