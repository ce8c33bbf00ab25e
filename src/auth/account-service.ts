import { z } from "zod";
import { appendAudit } from "../audit/service.js";
import type { Db } from "../db/db.js";
import { hashPassword } from "./passwords.js";
import * as repo from "./repo.js";
import { checkPassword, DEFAULT_IDLE_MINUTES, newUserSchema, type PasswordCheck, type SessionInfo } from "./service.js";
import { describeUserAgent } from "./user-agent.js";

/** A new password: the same rule as at account creation (12 to 1024 characters), typed twice. */
export const newPasswordSchema = z
  .object({ password: newUserSchema.shape.password, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "must repeat the new password" });

export type PasswordChange = PasswordCheck | { kind: "invalid"; field: "password" | "confirm"; message: string };

/** The first problem with a new password, naming the field, or undefined when it is acceptable. */
export function newPasswordProblem(input: { password: string; confirm: string }): { field: "password" | "confirm"; message: string } | undefined {
  const parsed = newPasswordSchema.safeParse(input);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  return { field: issue.path[0] === "confirm" ? "confirm" : "password", message: issue.message };
}

/**
 * Changes a signed-in user's password: the current one must be right (under the
 * sign-in throttle). Every other session of the account ends; this one stays and
 * counts as freshly authenticated. Audited as `user.password` (never the password).
 */
export async function changePassword(db: Db, userId: string, session: SessionInfo, input: { current: string; password: string; confirm: string }, now = new Date()): Promise<PasswordChange> {
  const problem = newPasswordProblem(input);
  if (problem) return { kind: "invalid", ...problem };
  const user = await repo.findUserById(db, userId);
  if (!user) return { kind: "refused" };
  const checked = await checkPassword(db, user, input.current, { now, purpose: "password-change" });
  if (checked.kind !== "ok") return checked;
  const hash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    await repo.updatePassword(tx, userId, hash);
    const ended = await repo.deleteOtherSessions(tx, userId, session.id);
    await repo.markAuthenticated(tx, session.id, now);
    await appendAudit(tx, { actor: `user:${userId}`, action: "user.password", entity: "user", entityId: userId, data: { sessionsEnded: ended } }, now);
  });
  return checked;
}

export interface SessionSummary {
  id: string;
  browser: string | null;
  system: string | null;
  created: string;
  lastSeen: string;
  current: boolean;
}

/** The account's live sessions, summarised for the person (never a token or its hash). */
export async function mySessions(db: Db, userId: string, currentId: string | undefined, options: { now?: Date; idleMinutes?: number } = {}): Promise<SessionSummary[]> {
  const now = options.now ?? new Date();
  const idleSince = new Date(now.getTime() - (options.idleMinutes ?? DEFAULT_IDLE_MINUTES) * 60_000);
  const rows = await repo.listSessions(db, userId, now, idleSince);
  return rows.map((row) => ({ id: row.id, ...describeUserAgent(row.user_agent), created: row.created, lastSeen: row.last_seen, current: row.id === currentId }));
}

/** Ends one of the user's own sessions (another person's id does nothing). Audited as `session.revoke`. */
export async function revokeSession(db: Db, userId: string, sessionId: string): Promise<boolean> {
  if (!z.string().uuid().safeParse(sessionId).success) return false;
  return db.transaction(async (tx) => {
    const ended = await repo.deleteUserSession(tx, userId, sessionId);
    if (ended) await appendAudit(tx, { actor: `user:${userId}`, action: "session.revoke", entity: "user", entityId: userId, data: { count: 1 } });
    return ended;
  });
}

/** Ends every session of the user's but the current one. */
export async function revokeOtherSessions(db: Db, userId: string, currentId: string): Promise<number> {
  return db.transaction(async (tx) => {
    const ended = await repo.deleteOtherSessions(tx, userId, currentId);
    await appendAudit(tx, { actor: `user:${userId}`, action: "session.revoke", entity: "user", entityId: userId, data: { count: ended, others: true } });
    return ended;
  });
}
