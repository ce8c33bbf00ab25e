import type { Db } from "../db/db.js";
import { countTables, listImportRuns } from "./stats-repo.js";
import { databaseIsEmpty } from "./write-repo.js";

/** Row counts per records table and per import run, for the home page and /api/v1/stats. */
export async function recordStats(db: Db) {
  const [tables, runs] = await Promise.all([countTables(db), listImportRuns(db)]);
  return { tables, importRuns: runs };
}

/** True when the database holds no records and no accounts. */
export const isEmpty = (db: Db) => databaseIsEmpty(db);
