import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { connect } from "./connect.js";
import type { Db } from "./db.js";
import { migrate } from "./migrate.js";

/**
 * A fresh, migrated database for one test: in-memory PGlite by default, or a new
 * throwaway database on the server named by DATABASE_URL (as `npm run test:pg` sets),
 * so the same tests prove both engines.
 */
export async function openTestDb(): Promise<Db> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const db = await connect({});
    await migrate(db);
    return db;
  }
  const name = `oversight_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await connect({ databaseUrl: url.toString() });
  await migrate(db);
  const close = db.close.bind(db);
  return Object.assign(db, {
    async close() {
      await close();
      const cleanup = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  });
}

/** Which engine the tests run on, for test names. */
export const testEngine = process.env.DATABASE_URL ? "postgres" : "pglite";
