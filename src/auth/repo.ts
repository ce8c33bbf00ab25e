import type { Queryable } from "../db/db.js";
import type { Role } from "./roles.js";

export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  role: Role;
  disabled_at: string | null;
}

export async function insertUser(tx: Queryable, user: { email: string; displayName: string; passwordHash: string; role: Role; language: "en" | "es" | null }): Promise<string> {
  const [row] = await tx.query<{ id: string }>(
    "INSERT INTO users (email, display_name, password_hash, role, language) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    [user.email, user.displayName, user.passwordHash, user.role, user.language],
  );
  return row.id;
}

export async function findUserByEmail(tx: Queryable, email: string): Promise<UserRow | undefined> {
  const [row] = await tx.query<UserRow>("SELECT * FROM users WHERE lower(email) = lower($1)", [email]);
  return row;
}

export async function insertSession(tx: Queryable, session: { tokenHash: string; userId: string; csrfSecret: string; expiresAt: Date }): Promise<void> {
  await tx.query(
    "INSERT INTO sessions (token_hash, user_id, csrf_secret, expires_at) VALUES ($1, $2, $3, $4)",
    [session.tokenHash, session.userId, session.csrfSecret, session.expiresAt.toISOString()],
  );
}

export async function findLiveSession(tx: Queryable, tokenHash: string): Promise<(UserRow & { csrf_secret: string }) | undefined> {
  const [row] = await tx.query<UserRow & { csrf_secret: string }>(
    `SELECT u.*, s.csrf_secret FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.expires_at > now() AND u.disabled_at IS NULL`,
    [tokenHash],
  );
  return row;
}

export async function deleteSession(tx: Queryable, tokenHash: string): Promise<void> {
  await tx.query("DELETE FROM sessions WHERE token_hash = $1", [tokenHash]);
}

export async function countUsers(tx: Queryable): Promise<number> {
  const [row] = await tx.query<{ n: number }>("SELECT count(*) AS n FROM users");
  return row.n;
}
