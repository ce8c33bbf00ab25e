import { createHmac, randomBytes } from "node:crypto";
import { z } from "zod";
import { appendAudit } from "../audit/service.js";
import type { Db } from "../db/db.js";
import type { Actor } from "../web/context.js";
import { hashPassword, verifyPassword } from "./passwords.js";
import * as repo from "./repo.js";
import { ROLES } from "./roles.js";
import { textInput } from "../web/validate.js";
import { hashToken, openSession, TOUCH_EVERY_MS, type NewSession } from "./sessions.js";
import { ACCOUNT_POLICY, afterFailure, createLoginGuards, NO_FAILURES, waitMs, type LoginGuards } from "./throttle.js";

export type { NewSession } from "./sessions.js";

export const newUserSchema = z.object({
  email: textInput().trim().email().max(254),
  displayName: textInput().trim().min(1).max(120),
  password: z.string().min(12, "must be at least 12 characters").max(1024),
  role: z.enum(ROLES),
  /** The language of the emails the account is sent (an assignment, say); the office's default when absent. */
  language: z.enum(["en", "es"]).optional(),
});
export type NewUser = z.infer<typeof newUserSchema>;

/** Creates an account; the audit entry records who and which role, never the password. */
export async function createUser(db: Db, input: NewUser, by: string): Promise<string> {
  const user = newUserSchema.parse(input);
  const passwordHash = await hashPassword(user.password);
  return db.transaction(async (tx) => {
    const id = await repo.insertUser(tx, { email: user.email, displayName: user.displayName, passwordHash, role: user.role, language: user.language ?? null });
    await appendAudit(tx, { actor: by, action: "user.create", entity: "user", entityId: id, data: { role: user.role } });
    return id;
  });
}

/** Where a sign-in attempt comes from, and the guards and key it is checked with. */
export interface SignInContext {
  /** The client's address (web/security.ts clientAddress). */
  address?: string;
  userAgent?: string;
  /** The in-memory per-address and unknown-email counts of this app (throttle.ts). */
  guards?: LoginGuards;
  /** Keys the hash of an unknown email in the audit log, so the log never holds the typed address. */
  secret?: Buffer;
  now?: Date;
}

export type SignInResult =
  | ({ kind: "signedIn" } & NewSession)
  /** The password was right and the account uses two-factor: this short session only waits for the code. */
  | ({ kind: "needsCode" } & NewSession)
  | { kind: "refused" }
  | { kind: "throttled"; retryAfterSeconds: number };

/**
 * Checks the password and opens a session. The same answer for an unknown email,
 * a wrong password and a disabled account. Failures are counted per account in
 * the database (and per unknown email and per client address in memory) before
 * the password is checked, so parallel guesses cannot slip past the count; past
 * the limits the answer is "throttled" with the seconds to wait, whatever the
 * password. Every refused attempt is audited as `session.failed`, with the
 * account id when the email is known and a keyed hash of the email otherwise.
 */
export async function signIn(db: Db, email: string, password: string, context: SignInContext = {}): Promise<SignInResult> {
  const now = context.now ?? new Date();
  const at = now.getTime();
  const guards = context.guards ?? createLoginGuards();
  const address = context.address ?? "local";
  const user = await repo.findUserByEmail(db, email);
  const emailHash = user ? undefined : keyedHash(context.secret, email.trim().toLowerCase());
  const addressWait = guards.address.waitMs(address, at);

  if (!user) {
    // Unknown emails follow the accounts' rules in memory, so a 429 does not say whether an account exists.
    const wait = Math.max(addressWait, guards.unknownEmail.waitMs(emailHash!, at));
    if (wait === 0) guards.unknownEmail.fail(emailHash!, at);
    // Verifying against a dummy hash keeps the timing the same as for a known email.
    if (wait === 0) await verifyPassword(DUMMY_HASH, password);
    else await db.transaction((tx) => appendAudit(tx, { actor: "anonymous", action: "session.failed", entity: "user", entityId: null, data: { reason: "throttled", emailHash } }, now));
    if (wait > 0) return { kind: "throttled", retryAfterSeconds: Math.ceil(wait / 1000) };
    guards.address.fail(address, at);
    await db.transaction((tx) => appendAudit(tx, { actor: "anonymous", action: "session.failed", entity: "user", entityId: null, data: { reason: "password", emailHash } }, now));
    return { kind: "refused" };
  }

  const checked = await checkPassword(db, user, password, { now, extraWait: addressWait, purpose: "sign-in" });
  if (checked.kind === "throttled") return checked;
  if (checked.kind === "refused") {
    guards.address.fail(address, at);
    return checked;
  }
  if (user.totp_enabled_at) {
    const pending = await db.transaction((tx) => openSession(tx, user.id, { now, userAgent: context.userAgent, pendingTotp: true }));
    return { kind: "needsCode", token: pending.token, expiresAt: pending.expiresAt };
  }
  const session = await db.transaction(async (tx) => {
    const opened = await openSession(tx, user.id, { now, userAgent: context.userAgent });
    await appendAudit(tx, { actor: `user:${user.id}`, action: "session.create", entity: "user", entityId: user.id }, now);
    return opened;
  });
  return { kind: "signedIn", token: session.token, expiresAt: session.expiresAt };
}

export type PasswordCheck = { kind: "ok" } | { kind: "refused" } | { kind: "throttled"; retryAfterSeconds: number };

/**
 * Checks a known account's password under the account's throttle: the attempt is
 * counted before the password is verified and cleared when it is right. Refused
 * attempts are audited as `session.failed` with the reason and what it was for
 * (`sign-in`, `reauth`, `password-change`). A disabled account is refused whatever
 * the password, with the same answer.
 */
export async function checkPassword(db: Db, user: repo.UserRow, password: string, options: { now: Date; extraWait?: number; purpose: string }): Promise<PasswordCheck> {
  const { now, purpose } = options;
  const at = now.getTime();
  const failed = (reason: string, extra: Record<string, unknown> = {}) => ({
    actor: `user:${user.id}`, action: "session.failed", entity: "user", entityId: user.id, data: { reason, purpose, ...extra },
  });
  const wait = await db.transaction(async (tx) => {
    const state = await repo.lockFailures(tx, user.id);
    const waiting = Math.max(options.extraWait ?? 0, waitMs(state, ACCOUNT_POLICY, at));
    if (waiting > 0) {
      await appendAudit(tx, failed(state.lockedUntil !== null && state.lockedUntil > at ? "locked" : "throttled"), now);
      return waiting;
    }
    await repo.saveFailures(tx, user.id, afterFailure(state, ACCOUNT_POLICY, at));
    return 0;
  });
  if (wait > 0) return { kind: "throttled", retryAfterSeconds: Math.ceil(wait / 1000) };
  const ok = await verifyPassword(user.password_hash, password);
  await db.transaction(async (tx) => {
    // With two-factor on, a right password at sign-in clears nothing until the code is right too,
    // or signing in again would reset the count of wrong codes.
    if (ok && !user.disabled_at) return purpose === "sign-in" && user.totp_enabled_at ? undefined : repo.saveFailures(tx, user.id, NO_FAILURES);
    const counted = await repo.lockFailures(tx, user.id);
    await appendAudit(tx, failed(ok ? "disabled" : "password", { failures: counted.failures, locked: counted.lockedUntil !== null && counted.lockedUntil > at }), now);
  });
  return ok && !user.disabled_at ? { kind: "ok" } : { kind: "refused" };
}

export async function signOut(db: Db, token: string): Promise<void> {
  await db.transaction(async (tx) => {
    const session = await repo.findLiveSession(tx, hashToken(token), new Date(), new Date(0));
    await repo.deleteSession(tx, hashToken(token));
    if (session) await appendAudit(tx, { actor: `user:${session.id}`, action: "session.delete", entity: "user", entityId: session.id });
  });
}

/** What the site knows of the session behind a request's cookie. */
export interface SessionInfo {
  id: string;
  /** When the password was last entered in this session (ms since the epoch): sensitive actions want it recent. */
  authenticatedAt: number;
  /** Whether the account has two-factor sign-in on. */
  twoFactor: boolean;
}

/** A session unused this long ends (configurable: OVERSIGHT_SESSION_IDLE_MINUTES). */
export const DEFAULT_IDLE_MINUTES = 30;

/**
 * The actor behind a session cookie, or the public. A session ends when it
 * expires, when it has not been used for `idleMinutes`, or when its account is
 * disabled. Use is recorded at most once a minute.
 */
export async function actorForToken(db: Db, token: string | undefined, options: { idleMinutes?: number; now?: Date } = {}): Promise<{ actor: Actor; csrfSecret?: string; session?: SessionInfo }> {
  if (!token) return { actor: { kind: "public" } };
  const now = options.now ?? new Date();
  const idleSince = new Date(now.getTime() - (options.idleMinutes ?? DEFAULT_IDLE_MINUTES) * 60_000);
  const row = await repo.findLiveSession(db, hashToken(token), now, idleSince);
  if (!row || row.pending_totp) return { actor: { kind: "public" } };
  if (now.getTime() - row.last_seen_ms >= TOUCH_EVERY_MS) await repo.touchSession(db, row.session_id, now);
  return {
    actor: { kind: "user", id: row.id, role: row.role, displayName: row.display_name, email: row.email },
    csrfSecret: row.csrf_secret,
    session: { id: row.session_id, authenticatedAt: row.authenticated_ms, twoFactor: row.totp_enabled_at !== null },
  };
}

/** Sensitive actions (account management, a password change) want the password entered this recently. */
export const REAUTH_MINUTES = 10;

/** Whether the session's password was entered within the last REAUTH_MINUTES. */
export function recentlyAuthenticated(session: SessionInfo | undefined, now = new Date()): boolean {
  return session !== undefined && now.getTime() - session.authenticatedAt < REAUTH_MINUTES * 60_000;
}

/**
 * Asks for the password again within a session, under the account's throttle;
 * when right, the session counts as freshly authenticated (`session.reauth`).
 */
export async function confirmPassword(db: Db, userId: string, session: SessionInfo, password: string, now = new Date()): Promise<PasswordCheck> {
  const user = await repo.findUserById(db, userId);
  if (!user) return { kind: "refused" };
  const checked = await checkPassword(db, user, password, { now, purpose: "reauth" });
  if (checked.kind !== "ok") return checked;
  await db.transaction(async (tx) => {
    await repo.markAuthenticated(tx, session.id, now);
    await appendAudit(tx, { actor: `user:${userId}`, action: "session.reauth", entity: "user", entityId: userId }, now);
  });
  return checked;
}

export const countUsers = (db: Db) => repo.countUsers(db);

function keyedHash(secret: Buffer | undefined, value: string): string {
  return createHmac("sha256", secret ?? PROCESS_KEY).update(value).digest("hex").slice(0, 32);
}

/** Without the server's key (a script calling signIn), hashes are keyed per process. */
const PROCESS_KEY = randomBytes(32);

const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0g8dHfVxA5yAbtx4n+vPRNEXiSPNnkWh0oA6mA0pQ0I";
