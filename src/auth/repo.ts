import type { Queryable } from "../db/db.js";
import type { Role } from "./roles.js";
import type { FailureState } from "./throttle.js";

export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  role: Role;
  disabled_at: string | null;
  language: "en" | "es" | null;
  totp_enabled_at: string | null;
}

const USER_COLUMNS = "u.id, u.email, u.display_name, u.password_hash, u.role, u.disabled_at, u.language, u.totp_enabled_at";

export async function insertUser(tx: Queryable, user: { email: string; displayName: string; passwordHash: string; role: Role; language: "en" | "es" | null }): Promise<string> {
  const [row] = await tx.query<{ id: string }>(
    "INSERT INTO users (email, display_name, password_hash, role, language) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    [user.email, user.displayName, user.passwordHash, user.role, user.language],
  );
  return row.id;
}

export async function findUserByEmail(tx: Queryable, email: string): Promise<UserRow | undefined> {
  const [row] = await tx.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE lower(u.email) = lower($1)`, [email]);
  return row;
}

export async function findUserById(tx: Queryable, id: string): Promise<UserRow | undefined> {
  const [row] = await tx.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [id]);
  return row;
}

/** The account's failed sign-ins, its row locked until the transaction ends so two attempts count one after the other. */
export async function lockFailures(tx: Queryable, userId: string): Promise<FailureState> {
  const [row] = await tx.query<{ failures: number; last_failed_ms: number | null; locked_ms: number | null }>(
    `SELECT failed_logins AS failures,
            (extract(epoch FROM last_failed_at) * 1000)::float8 AS last_failed_ms,
            (extract(epoch FROM locked_until) * 1000)::float8 AS locked_ms
       FROM users WHERE id = $1 FOR UPDATE`,
    [userId],
  );
  return { failures: Number(row.failures), lastFailedAt: row.last_failed_ms, lockedUntil: row.locked_ms };
}

export async function saveFailures(tx: Queryable, userId: string, state: FailureState): Promise<void> {
  const at = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  await tx.query("UPDATE users SET failed_logins = $2, last_failed_at = $3, locked_until = $4 WHERE id = $1", [userId, state.failures, at(state.lastFailedAt), at(state.lockedUntil)]);
}

export async function insertSession(tx: Queryable, session: { tokenHash: string; userId: string; csrfSecret: string; expiresAt: Date; now: Date; userAgent: string | null; pendingTotp: boolean }): Promise<string> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO sessions (token_hash, user_id, csrf_secret, created_at, expires_at, last_seen_at, authenticated_at, user_agent, pending_totp)
     VALUES ($1, $2, $3, $4, $5, $4, $4, $6, $7) RETURNING id`,
    [session.tokenHash, session.userId, session.csrfSecret, session.now.toISOString(), session.expiresAt.toISOString(), session.userAgent, session.pendingTotp],
  );
  return row.id;
}

export interface LiveSessionRow extends UserRow {
  session_id: string;
  csrf_secret: string;
  pending_totp: boolean;
  /** Milliseconds since the epoch. */
  authenticated_ms: number;
  last_seen_ms: number;
}

/** The session and its account, unless it has expired, sat idle since `idleSince`, or the account is disabled. */
export async function findLiveSession(tx: Queryable, tokenHash: string, now: Date, idleSince: Date): Promise<LiveSessionRow | undefined> {
  const [row] = await tx.query<LiveSessionRow>(
    `SELECT ${USER_COLUMNS}, s.id AS session_id, s.csrf_secret, s.pending_totp,
            (extract(epoch FROM s.authenticated_at) * 1000)::float8 AS authenticated_ms,
            (extract(epoch FROM s.last_seen_at) * 1000)::float8 AS last_seen_ms
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND u.disabled_at IS NULL`,
    [tokenHash, now.toISOString(), idleSince.toISOString()],
  );
  return row;
}

export async function touchSession(tx: Queryable, sessionId: string, now: Date): Promise<void> {
  await tx.query("UPDATE sessions SET last_seen_at = $2 WHERE id = $1", [sessionId, now.toISOString()]);
}

export async function deleteSession(tx: Queryable, tokenHash: string): Promise<void> {
  await tx.query("DELETE FROM sessions WHERE token_hash = $1", [tokenHash]);
}

export async function countUsers(tx: Queryable): Promise<number> {
  const [row] = await tx.query<{ n: number }>("SELECT count(*)::int AS n FROM users");
  return row.n;
}

/** Records that the password was entered again in this session. */
export async function markAuthenticated(tx: Queryable, sessionId: string, now: Date): Promise<void> {
  await tx.query("UPDATE sessions SET authenticated_at = $2, last_seen_at = $2 WHERE id = $1", [sessionId, now.toISOString()]);
}

export async function updatePassword(tx: Queryable, userId: string, passwordHash: string): Promise<void> {
  await tx.query("UPDATE users SET password_hash = $2, failed_logins = 0, last_failed_at = NULL, locked_until = NULL WHERE id = $1", [userId, passwordHash]);
}

export interface SessionListRow {
  id: string;
  user_agent: string | null;
  /** UTC, "YYYY-MM-DD HH:MM". */
  created: string;
  last_seen: string;
}

/** The account's sessions still alive at `now`, most recently used first. */
export async function listSessions(tx: Queryable, userId: string, now: Date, idleSince: Date): Promise<SessionListRow[]> {
  return tx.query<SessionListRow>(
    `SELECT id, user_agent,
            to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS created,
            to_char(last_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS last_seen
       FROM sessions
      WHERE user_id = $1 AND expires_at > $2 AND last_seen_at > $3 AND NOT pending_totp
      ORDER BY last_seen_at DESC, created_at DESC`,
    [userId, now.toISOString(), idleSince.toISOString()],
  );
}

/** Ends one of the account's own sessions; returns whether there was one. */
export async function deleteUserSession(tx: Queryable, userId: string, sessionId: string): Promise<boolean> {
  const rows = await tx.query("DELETE FROM sessions WHERE user_id = $1 AND id = $2 RETURNING id", [userId, sessionId]);
  return rows.length > 0;
}

/** Ends every session of the account but `keepId` (none kept when null); returns how many ended. */
export async function deleteOtherSessions(tx: Queryable, userId: string, keepId: string | null): Promise<number> {
  const rows = await tx.query("DELETE FROM sessions WHERE user_id = $1 AND ($2::uuid IS NULL OR id <> $2::uuid) RETURNING id", [userId, keepId]);
  return rows.length;
}

export interface AccountListRow {
  id: string;
  email: string;
  display_name: string;
  role: Role;
  language: "en" | "es" | null;
  disabled: boolean;
  locked: boolean;
  two_factor: boolean;
  /** UTC, "YYYY-MM-DD". */
  created: string;
}

/** Every account, for administrators: no hashes, no secrets. */
export async function listAccounts(tx: Queryable, now: Date): Promise<AccountListRow[]> {
  return tx.query<AccountListRow>(
    `SELECT id, email, display_name, role, language, disabled_at IS NOT NULL AS disabled,
            COALESCE(locked_until > $1, false) AS locked, totp_enabled_at IS NOT NULL AS two_factor,
            to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS created
       FROM users ORDER BY disabled_at IS NOT NULL, lower(display_name), lower(email)`,
    [now.toISOString()],
  );
}

/** The active administrators' ids, their rows locked so two changes cannot both remove "the other" admin. */
export async function lockActiveAdmins(tx: Queryable): Promise<string[]> {
  const rows = await tx.query<{ id: string }>("SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id FOR UPDATE");
  return rows.map((row) => row.id);
}

export async function updateAccount(tx: Queryable, id: string, change: { role: Role; language: "en" | "es" | null; disabled: boolean; now: Date }): Promise<void> {
  await tx.query(
    `UPDATE users SET role = $2, language = $3,
            disabled_at = CASE WHEN $4::boolean THEN COALESCE(disabled_at, $5::timestamptz) ELSE NULL END
      WHERE id = $1`,
    [id, change.role, change.language, change.disabled, change.now.toISOString()],
  );
}

/** Stores a reset link's token hash; earlier unused links of the account stop working. */
export async function insertPasswordReset(tx: Queryable, reset: { tokenHash: string; userId: string; now: Date; expiresAt: Date }): Promise<void> {
  await tx.query("DELETE FROM password_resets WHERE user_id = $1 AND used_at IS NULL", [reset.userId]);
  await tx.query("INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)", [reset.tokenHash, reset.userId, reset.now.toISOString(), reset.expiresAt.toISOString()]);
}

/** The account a reset link is for while it is unused, unexpired and the account active; locked for the caller's transaction when `lock`. */
export async function findUsableReset(tx: Queryable, tokenHash: string, now: Date, lock = false): Promise<{ user_id: string } | undefined> {
  const [row] = await tx.query<{ user_id: string }>(
    `SELECT r.user_id FROM password_resets r JOIN users u ON u.id = r.user_id
      WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2 AND u.disabled_at IS NULL${lock ? " FOR UPDATE OF r" : ""}`,
    [tokenHash, now.toISOString()],
  );
  return row;
}

export async function markResetUsed(tx: Queryable, tokenHash: string, now: Date): Promise<void> {
  await tx.query("UPDATE password_resets SET used_at = $2 WHERE token_hash = $1", [tokenHash, now.toISOString()]);
}

export interface TotpRow {
  totp_secret: string | null;
  totp_enabled: boolean;
  totp_last_step: number | null;
}

/** The account's two-factor state, its row locked for the caller's transaction. */
export async function lockTotp(tx: Queryable, userId: string): Promise<TotpRow | undefined> {
  const [row] = await tx.query<TotpRow>("SELECT totp_secret, totp_enabled_at IS NOT NULL AS totp_enabled, totp_last_step FROM users WHERE id = $1 FOR UPDATE", [userId]);
  return row ? { ...row, totp_last_step: row.totp_last_step === null ? null : Number(row.totp_last_step) } : undefined;
}

/** Keeps a not-yet-confirmed (sealed) secret; an enabled one is never replaced here. */
export async function setPendingTotp(tx: Queryable, userId: string, sealed: string): Promise<void> {
  await tx.query("UPDATE users SET totp_secret = $2 WHERE id = $1 AND totp_enabled_at IS NULL", [userId, sealed]);
}

export async function enableTotp(tx: Queryable, userId: string, step: number, now: Date): Promise<void> {
  await tx.query("UPDATE users SET totp_enabled_at = $3, totp_last_step = $2 WHERE id = $1", [userId, step, now.toISOString()]);
}

export async function saveTotpStep(tx: Queryable, userId: string, step: number): Promise<void> {
  await tx.query("UPDATE users SET totp_last_step = $2 WHERE id = $1", [userId, step]);
}

/** A session waiting for its two-factor code, still within its short life. */
export async function findPendingSession(tx: Queryable, tokenHash: string, now: Date): Promise<{ id: string; user_id: string } | undefined> {
  const [row] = await tx.query<{ id: string; user_id: string }>(
    `SELECT s.id, s.user_id FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.pending_totp AND s.expires_at > $2 AND u.disabled_at IS NULL`,
    [tokenHash, now.toISOString()],
  );
  return row;
}

/** The code was right: the session signs its account in from now, for the full lifetime. */
export async function completePendingSession(tx: Queryable, sessionId: string, now: Date, expiresAt: Date): Promise<void> {
  await tx.query(
    "UPDATE sessions SET pending_totp = false, authenticated_at = $2, last_seen_at = $2, expires_at = $3 WHERE id = $1",
    [sessionId, now.toISOString(), expiresAt.toISOString()],
  );
}

/** Removes the account's two-factor secret: the next sign-in asks for the password only. */
export async function clearTotp(tx: Queryable, userId: string): Promise<boolean> {
  const rows = await tx.query("UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = $1 AND totp_secret IS NOT NULL RETURNING id", [userId]);
  return rows.length > 0;
}
