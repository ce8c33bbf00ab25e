import { createApp } from "../app.js";
import { loadConfig } from "../config.js";
import type { Db } from "../db/db.js";
import { openTestDb } from "../db/test-db.js";
import { createLogger } from "../logger.js";
import { loadAuditKey } from "../audit/signing-key.js";

export const TEST_SECRET = Buffer.from("test-secret-key-for-route-tests-only-0123456789");
/** The audit signing key of route tests (an Ed25519 seed, as OVERSIGHT_AUDIT_KEY may hold one). */
export const TEST_AUDIT_KEY_SEED = "5e".repeat(32);

/** The real app over a fresh test database, for route tests through app.request(). */
export async function createTestApp(options: { apiRateLimit?: number; demo?: boolean; db?: Db; env?: NodeJS.ProcessEnv } = {}) {
  // Settings first: a refused one must not leave a database open.
  // Administrators may sign in without two-factor here unless a test asks (OVERSIGHT_ADMIN_TWO_FACTOR=required):
  // the modules' tests act as admins signed in with a password only.
  const config = { ...loadConfig({ dataDir: "/nonexistent" }, { OVERSIGHT_ADMIN_TWO_FACTOR: "optional", ...options.env }), apiRateLimit: options.apiRateLimit ?? 10_000 };
  const db = options.db ?? (await openTestDb());
  const app = createApp({ db, config, logger: createLogger("silent"), demo: options.demo ?? false, secret: TEST_SECRET, auditKey: loadAuditKey("/nonexistent", { OVERSIGHT_AUDIT_KEY: TEST_AUDIT_KEY_SEED }) });
  return { app, db, close: () => db.close() };
}

/** Pulls one cookie's value out of a response's Set-Cookie headers. */
export function cookieFrom(response: Response, name: string): string | undefined {
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(";");
    const [key, value] = pair.split("=");
    if (key === name) return value;
  }
  return undefined;
}
