import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { connect } from "./connect.js";
import { dataKeyFrom, installDataKey } from "./data-key.js";
import type { Db } from "./db.js";
import { migrate } from "./migrate.js";

/**
 * A fresh, migrated database for one test: in-memory PGlite by default, or a new
 * throwaway database on the server named by DATABASE_URL (as `npm run test:pg` sets),
 * so the same tests prove both engines.
 */
export async function openTestDb(): Promise<Db> {
  installDataKey(TEST_DATA_KEY);
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const db = await connect({});
    await migrate(db);
    return db;
  }
  const database = await createThrowawayDatabase(serverUrl);
  const db = await connect({ databaseUrl: database.url });
  await migrate(db);
  const close = db.close.bind(db);
  return Object.assign(db, {
    async close() {
      await close();
      await database.drop();
    },
  });
}

export interface ThrowawayDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A new, empty database on the PostgreSQL server named by serverUrl, for tests
 * and benchmarks; migrating it is left to the caller (or the server under test).
 */
export async function createThrowawayDatabase(serverUrl: string, prefix = "oversight_test"): Promise<ThrowawayDatabase> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        await cleanup.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

/** The data key test databases seal complainants' data with (a fixed, public test value). */
export const TEST_DATA_KEY = dataKeyFrom(Buffer.alloc(32, 7));

/** Which engine the tests run on, for test names. */
export const testEngine = process.env.DATABASE_URL ? "postgres" : "pglite";
