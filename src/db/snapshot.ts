import { currentTreeHead } from "../audit/service.js";
import type { Db } from "./db.js";

/**
 * Row counts of every table plus the audit tree head: equal snapshots before and
 * after a refused operation prove that nothing was written.
 */
export async function databaseSnapshot(db: Db) {
  const tables = await db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table_name}"`);
    counts[table_name] = row.n;
  }
  return { counts, tree: await currentTreeHead(db) };
}
