/**
 * Candidate fixes for the reads, tried only in the benchmark's throwaway
 * database (src/ is not changed), timed before and after on the same inputs.
 * The fixes measured here in earlier runs (complaint search paged first with a
 * capped count, per-word name matching, stored peer counts, co-accused per
 * complaint, the PGlite threshold on reopen) are now in src/; what is left is
 * still only a proposal.
 */
import type { Db } from "../../src/db/db.js";
import { officerProfile } from "../../src/records/service.js";
import { log, summarize } from "./util.js";
import type { PrototypeResult } from "./workers.js";

export async function prototypes(db: Db, engine: "pglite" | "postgres", profileIds: string[], _textQueries: string[]): Promise<PrototypeResult[]> {
  const results: PrototypeResult[] = [];
  const attempt = async (name: string, fn: () => Promise<PrototypeResult>) => {
    log(`${engine}: prototype: ${name}`);
    try {
      results.push(await fn());
    } catch (error) {
      results.push({ name, sql: [], before: summarize([]), after: summarize([]), note: `failed: ${error instanceof Error ? error.message : String(error)}` });
    }
  };
  const profiles = profileIds.slice(0, 200);

  if (engine === "pglite") {
    await attempt("VACUUM after loading (PGlite has no autovacuum)", async () => {
      const sample = profiles.slice(0, 100);
      const before: number[] = [];
      for (const id of sample) {
        const t = performance.now();
        await officerProfile(db, id);
        before.push(performance.now() - t);
      }
      const t0 = performance.now();
      await db.exec("VACUUM ANALYZE");
      const vacuumSeconds = (performance.now() - t0) / 1000;
      const after: number[] = [];
      for (const id of sample) {
        const t = performance.now();
        await officerProfile(db, id);
        after.push(performance.now() - t);
      }
      return {
        name: "PGlite: `VACUUM ANALYZE` after an import (sets the visibility map and hint bits; PGlite runs no autovacuum), current profile code",
        sql: ["VACUUM ANALYZE"],
        before: summarize(before),
        after: summarize(after),
        note: `${sample.length} profiles before, then after; the VACUUM took ${vacuumSeconds.toFixed(1)} s (not alternating: it changes the database)`,
      };
    });
  }
  return results;
}
