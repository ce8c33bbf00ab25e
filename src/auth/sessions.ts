import { createHash, randomBytes } from "node:crypto";
import type { Queryable } from "../db/db.js";
import * as repo from "./repo.js";

/** A session lives at most 12 hours from sign-in: a working day, then the password again. */
export const SESSION_HOURS = 12;
/** last_seen_at is written at most once a minute: the idle timeout needs no finer grain. */
export const TOUCH_EVERY_MS = 60_000;

export interface NewSession {
  token: string;
  expiresAt: Date;
}

/** Opens a session for an account: a random token (only its hash is kept) and its own CSRF secret. */
/** A session waiting for its two-factor code lasts this long. */
export const PENDING_MINUTES = 10;

export async function openSession(tx: Queryable, userId: string, options: { now: Date; userAgent?: string | null; pendingTotp?: boolean }): Promise<NewSession & { id: string }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(options.now.getTime() + (options.pendingTotp ? PENDING_MINUTES * 60_000 : SESSION_HOURS * 3_600_000));
  const id = await repo.insertSession(tx, {
    tokenHash: hashToken(token), userId, csrfSecret: randomBytes(32).toString("base64url"), expiresAt, now: options.now,
    userAgent: options.userAgent ? options.userAgent.slice(0, 300) : null, pendingTotp: options.pendingTotp ?? false,
  });
  return { token, expiresAt, id };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
