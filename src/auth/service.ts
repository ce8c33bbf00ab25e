import { createHmac, randomBytes } from "node:crypto";
import { z } from "zod";
import { appendAudit } from "../audit/service.js";
import type { Db } from "../db/db.js";
import type { Actor } from "../web/context.js";
import { hashPassword, verifyPassword } from "./passwords.js";
import * as repo from "./repo.js";
import { ROLES } from "./roles.js";
import { hashToken, openSession, TOUCH_EVERY_MS, type NewSession } from "./sessions.js";
import { ACCOUNT_POLICY, afterFailure, createLoginGuards, NO_FAILURES, waitMs, type LoginGuards } from "./throttle.js";

export type { NewSession } from "./sessions.js";

export const newUserSchema = z.object({
  email: z.string().trim().email().max(254),
  displayName: z.string().trim().min(1).max(120),
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
  const emailKey = user ? undefined : keyedHash(context.secret, email.trim().toLowerCase());
  const failed = (reason: string, extra: Record<string, unknown> = {}) => ({
    actor: user ? `user:${user.id}` : "anonymous", action: "session.failed", entity: "user", entityId: user?.id ?? null,
    data: { reason, ...(emailKey ? { emailHash: emailKey } : {}), ...extra },
  });

  // Count the attempt first; a success clears the account's count afterwards.
  const wait = Math.max(guards.address.waitMs(address, at), user ? 0 : guards.unknownEmail.waitMs(emailKey!, at));
  const accountWait = await db.transaction(async (tx) => {
    if (!user) {
      if (wait > 0) await appendAudit(tx, failed("throttled"), now);
      else guards.unknownEmail.fail(emailKey!, at);
      return wait;
    }
    const state = await repo.lockFailures(tx, user.id);
    const waiting = Math.max(wait, waitMs(state, ACCOUNT_POLICY, at));
    if (waiting > 0) {
      await appendAudit(tx, failed(state.lockedUntil !== null && state.lockedUntil > at ? "locked" : "throttled"), now);
      return waiting;
    }
    await repo.saveFailures(tx, user.id, afterFailure(state, ACCOUNT_POLICY, at));
    return 0;
  });
  if (accountWait > 0) return { kind: "throttled", retryAfterSeconds: Math.ceil(accountWait / 1000) };

  // Verifying against a dummy hash keeps the timing the same when the email is unknown.
  const ok = await verifyPassword(user?.password_hash ?? DUMMY_HASH, password);
  if (!user || !ok || user.disabled_at) {
    guards.address.fail(address, at);
    await db.transaction(async (tx) => {
      const counted = user ? await repo.lockFailures(tx, user.id) : undefined;
      await appendAudit(tx, failed(user?.disabled_at && ok ? "disabled" : "password", counted ? { failures: counted.failures, locked: counted.lockedUntil !== null && counted.lockedUntil > at } : {}), now);
    });
    return { kind: "refused" };
  }
  const session = await db.transaction(async (tx) => {
    await repo.saveFailures(tx, user.id, NO_FAILURES);
    const opened = await openSession(tx, user.id, { now, userAgent: context.userAgent });
    await appendAudit(tx, { actor: `user:${user.id}`, action: "session.create", entity: "user", entityId: user.id }, now);
    return opened;
  });
  return { kind: "signedIn", token: session.token, expiresAt: session.expiresAt };
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
    session: { id: row.session_id, authenticatedAt: row.authenticated_ms },
  };
}

export const countUsers = (db: Db) => repo.countUsers(db);

function keyedHash(secret: Buffer | undefined, value: string): string {
  return createHmac("sha256", secret ?? PROCESS_KEY).update(value).digest("hex").slice(0, 32);
}

/** Without the server's key (a script calling signIn), hashes are keyed per process. */
const PROCESS_KEY = randomBytes(32);

const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0g8dHfVxA5yAbtx4n+vPRNEXiSPNnkWh0oA6mA0pQ0I";
