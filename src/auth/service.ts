import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { appendAudit } from "../audit/service.js";
import type { Db } from "../db/db.js";
import type { Actor } from "../web/context.js";
import { hashPassword, verifyPassword } from "./passwords.js";
import * as repo from "./repo.js";
import { ROLES } from "./roles.js";
import { textInput } from "../web/validate.js";

const SESSION_DAYS = 7;

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

export interface NewSession {
  token: string;
  expiresAt: Date;
}

/** Checks the password and opens a session. The same answer for a wrong email or password. */
export async function signIn(db: Db, email: string, password: string): Promise<NewSession | null> {
  const user = await repo.findUserByEmail(db, email);
  // Verifying against a dummy hash keeps the timing the same when the email is unknown.
  const ok = await verifyPassword(user?.password_hash ?? DUMMY_HASH, password);
  if (!user || !ok || user.disabled_at) return null;
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
  await db.transaction(async (tx) => {
    await repo.insertSession(tx, { tokenHash: hashToken(token), userId: user.id, csrfSecret: randomBytes(32).toString("base64url"), expiresAt });
    await appendAudit(tx, { actor: `user:${user.id}`, action: "session.create", entity: "user", entityId: user.id });
  });
  return { token, expiresAt };
}

export async function signOut(db: Db, token: string): Promise<void> {
  await db.transaction(async (tx) => {
    const session = await repo.findLiveSession(tx, hashToken(token));
    await repo.deleteSession(tx, hashToken(token));
    if (session) await appendAudit(tx, { actor: `user:${session.id}`, action: "session.delete", entity: "user", entityId: session.id });
  });
}

/** The actor behind a session cookie, or the public. */
export async function actorForToken(db: Db, token: string | undefined): Promise<{ actor: Actor; csrfSecret?: string }> {
  if (!token) return { actor: { kind: "public" } };
  const row = await repo.findLiveSession(db, hashToken(token));
  if (!row) return { actor: { kind: "public" } };
  return {
    actor: { kind: "user", id: row.id, role: row.role, displayName: row.display_name, email: row.email },
    csrfSecret: row.csrf_secret,
  };
}

export const countUsers = (db: Db) => repo.countUsers(db);

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0g8dHfVxA5yAbtx4n+vPRNEXiSPNnkWh0oA6mA0pQ0I";
