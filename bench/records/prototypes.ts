/**
 * Candidate fixes for the reads that miss their targets, tried only in the
 * benchmark's throwaway database (src/ is not changed). Each prototype runs the
 * current service call and the rewritten SQL alternately on the same inputs, so
 * machine load hits both alike, and checks that the rewrite answers the same.
 *
 * The rewritten statements are copies of the ones in src/records/*-repo.ts
 * (as of this benchmark) with only the named change; if those change, these
 * may need refreshing.
 */
import type { Db, Queryable } from "../../src/db/db.js";
import * as officers from "../../src/records/officers-repo.js";
import { complaintQuerySchema, officerQuerySchema } from "../../src/records/schema.js";
import { officerProfile, searchComplaints, searchOfficers } from "../../src/records/service.js";
import { log, summarize } from "./util.js";
import type { PrototypeResult } from "./workers.js";

/** Complaint search, paged before the per-complaint aggregate (which then runs for 25 rows, not for every match). */
const TEXT_PAGE_FIRST = (capTotal: boolean) => `
  WITH matches AS NOT MATERIALIZED (
    SELECT c.id, coalesce(c.incident_date, c.received_date) AS on_date, c.external_id
      FROM complaints c JOIN agencies ag ON ag.id = c.agency_id
     WHERE ($1 = '' OR c.search @@ websearch_to_tsquery('english', $1))
       AND ($6 = '' OR ag.slug = $6)
       AND ($4::int IS NULL OR extract(year FROM coalesce(c.incident_date, c.received_date)) = $4::int)
       AND ($2 = '' AND $3 = '' AND $5 = '' OR EXISTS (
             SELECT 1 FROM allegations a WHERE a.complaint_id = c.id
                AND ($2 = '' OR a.category ILIKE $2)
                AND ($3 = '' OR a.final_finding = $3)
                AND ($5 = '' OR a.unit_at_time ILIKE $5)))
  ), page AS (
    SELECT id FROM matches ORDER BY on_date DESC NULLS LAST, external_id LIMIT $7 OFFSET $8
  )
  SELECT c.id, c.external_id, ag.slug AS agency_slug, ag.name AS agency_name, c.received_date, c.incident_date, c.closed_date, c.case_type,
         coalesce(al.categories, '{}') AS categories, coalesce(al.n, 0) AS allegation_count, coalesce(al.sustained, 0) AS sustained_count,
         ${capTotal ? "(SELECT count(*)::int FROM (SELECT 1 FROM matches LIMIT 1001) capped)" : "(SELECT count(*)::int FROM matches)"} AS total
    FROM page JOIN complaints c ON c.id = page.id JOIN agencies ag ON ag.id = c.agency_id
    LEFT JOIN LATERAL (
      SELECT array_agg(DISTINCT a.category) FILTER (WHERE a.category IS NOT NULL) AS categories, count(*)::int AS n,
             count(*) FILTER (WHERE a.final_finding = 'sustained')::int AS sustained
        FROM allegations a WHERE a.complaint_id = c.id
    ) al ON true
   ORDER BY coalesce(c.incident_date, c.received_date) DESC NULLS LAST, c.external_id`;

const DATE_INDEX = "CREATE INDEX IF NOT EXISTS complaints_on_date_idx ON complaints ((coalesce(incident_date, received_date)) DESC NULLS LAST, external_id)";

/** Officer search, paged before the latest-employment lookup. */
const NAME_PAGE_FIRST = `
  WITH matches AS (
    SELECT p.id, CASE WHEN $1 = '' THEN 0 ELSE word_similarity($1, p.full_name) END AS closeness
      FROM people p
     WHERE p.merged_into IS NULL AND ($1 = '' OR $1 <% p.full_name)
       AND ($2 = '' OR EXISTS (SELECT 1 FROM person_badges b WHERE b.person_id = p.id AND b.badge = $2))
       AND ($3 = '' OR EXISTS (SELECT 1 FROM employment e JOIN agencies ag ON ag.id = e.agency_id WHERE e.person_id = p.id AND ag.slug = $3))
       AND ($4 = '' OR EXISTS (SELECT 1 FROM employment e WHERE e.person_id = p.id AND e.unit ILIKE $4))
  ), page AS (
    SELECT m.id, m.closeness, coalesce(s.complaint_count, 0) AS complaints, p.full_name
      FROM matches m JOIN people p ON p.id = m.id LEFT JOIN person_stats s ON s.person_id = m.id
     ORDER BY m.closeness DESC, coalesce(s.complaint_count, 0) DESC, p.full_name, p.id
     LIMIT $5 OFFSET $6
  )
  SELECT p.id, p.full_name, p.birth_year, p.race, p.gender,
         latest.slug AS agency_slug, latest.name AS agency_name, latest.rank, latest.unit, latest.badge,
         coalesce(s.complaint_count, 0) AS complaint_count, coalesce(s.allegation_count, 0) AS allegation_count,
         coalesce(s.sustained_count, 0) AS sustained_count, (SELECT count(*)::int FROM matches) AS total
    FROM page JOIN people p ON p.id = page.id
    LEFT JOIN person_stats s ON s.person_id = p.id
    LEFT JOIN LATERAL (
      SELECT ag.slug, ag.name, e.rank, e.unit, e.badge FROM employment e JOIN agencies ag ON ag.id = e.agency_id
       WHERE e.person_id = p.id ORDER BY e.start_date DESC NULLS LAST LIMIT 1
    ) latest ON true
   ORDER BY page.closeness DESC, page.complaints DESC, page.full_name, page.id`;

/**
 * Officer search with every word of the query matched on its own (AND), so
 * "Michael Tomasielo" looks for a Tomasiello named Michael instead of every
 * Michael: far fewer candidates, each word can still be misspelled.
 */
function nameByWords(q: string): { sql: string; params: unknown[] } {
  const words = q.split(/\s+/).filter((word) => word.length >= 2).slice(0, 4);
  const match = words.map((_, i) => `$${i + 1} <% p.full_name`).join(" AND ");
  const closeness = words.map((_, i) => `word_similarity($${i + 1}, p.full_name)`).join(" + ");
  const n = words.length;
  return {
    sql: `
      WITH matches AS (
        SELECT p.id, (${closeness}) / ${n} AS closeness FROM people p WHERE p.merged_into IS NULL AND ${match}
      ), page AS (
        SELECT m.id, m.closeness, coalesce(s.complaint_count, 0) AS complaints, p.full_name
          FROM matches m JOIN people p ON p.id = m.id LEFT JOIN person_stats s ON s.person_id = m.id
         ORDER BY m.closeness DESC, coalesce(s.complaint_count, 0) DESC, p.full_name, p.id LIMIT $${n + 1}
      )
      SELECT page.id, page.full_name, (SELECT count(*)::int FROM matches) AS total FROM page
       ORDER BY page.closeness DESC, page.complaints DESC, page.full_name, page.id`,
    params: [...words, 25],
  };
}

/** Co-accused: distinct complaints first, so a large complaint is not joined once per allegation on it. */
const CO_ACCUSED_DEDUPED = `
  WITH mine AS (SELECT DISTINCT complaint_id FROM allegations WHERE person_id = $1),
       pairs AS (SELECT DISTINCT o.complaint_id, o.person_id FROM mine JOIN allegations o ON o.complaint_id = mine.complaint_id WHERE o.person_id <> $1)
  SELECT p.id, p.full_name, count(*)::int AS shared_complaints
    FROM pairs JOIN people p ON p.id = pairs.person_id
   GROUP BY p.id, p.full_name ORDER BY shared_complaints DESC, p.full_name LIMIT $2`;

/**
 * Peers read from a small table refreshDerived would fill (officers per agency),
 * not counted over person_stats on every profile request. A side table here so
 * the benchmark does not rewrite person_stats (dead tuples would slow the
 * "before" runs that follow).
 */
const PEERS_TABLE = [
  "CREATE TABLE IF NOT EXISTS bench_agency_officers AS SELECT agency_id, count(*)::int AS officers FROM person_stats GROUP BY agency_id",
  "ANALYZE bench_agency_officers",
];
const STATS_WITH_PEERS = `
  SELECT s.complaint_count, s.allegation_count, s.sustained_count, s.complaint_percentile::text AS complaint_percentile,
         ag.slug AS agency_slug, ag.name AS agency_name, coalesce(peers.officers, 0) AS peers
    FROM person_stats s LEFT JOIN agencies ag ON ag.id = s.agency_id
    LEFT JOIN bench_agency_officers peers ON peers.agency_id IS NOT DISTINCT FROM s.agency_id
   WHERE s.person_id = $1`;

/** What the prototypes leave behind, removed so later measurements see the schema as migrated. */
const CLEAN_UP = ["DROP TABLE IF EXISTS bench_agency_officers", "DROP INDEX IF EXISTS complaints_on_date_idx", "RESET pg_trgm.word_similarity_threshold"];

/** officerProfile with the two rewritten statements swapped in; the other six are the repository's own. */
async function profileRewritten(db: Queryable, id: string) {
  const person = await officers.findPerson(db, id);
  if (!person) return undefined;
  const [employment, allegations, discipline, settlements, force, coAccused, stats, mentions] = await Promise.all([
    officers.employmentOf(db, id),
    officers.allegationsOf(db, id),
    officers.disciplineOf(db, id),
    officers.settlementsOf(db, id),
    officers.forceOf(db, id),
    db.query<officers.CoAccusedRow>(CO_ACCUSED_DEDUPED, [id, 20]),
    db.query<officers.PersonStatsRow>(STATS_WITH_PEERS, [id]).then((rows) => rows[0]),
    officers.mentionsOf(db, id),
  ]);
  return { person, employment, allegations, discipline, settlements, force, coAccused, stats, mentions };
}

async function alternate<T>(inputs: T[], before: (input: T) => Promise<unknown>, after: (input: T) => Promise<unknown>, same?: (a: unknown, b: unknown, input: T) => string | null) {
  const b: number[] = [];
  const a: number[] = [];
  const differences: string[] = [];
  for (const input of inputs) {
    let t = performance.now();
    const x = await before(input);
    b.push(performance.now() - t);
    t = performance.now();
    const y = await after(input);
    a.push(performance.now() - t);
    const difference = same?.(x, y, input);
    if (difference) differences.push(difference);
  }
  return { before: summarize(b), after: summarize(a), differences };
}

const ids = (rows: unknown) => JSON.stringify(((rows as { items?: { id: string }[] }).items ?? (rows as { id: string }[])).map((row) => row.id));

export async function prototypes(db: Db, engine: "pglite" | "postgres", profileIds: string[], textQueries: string[]): Promise<PrototypeResult[]> {
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
  const texts = textQueries.slice(0, 40);
  // Misspelled "First Last" (third letter of the last name dropped), for officers with at least one complaint.
  const people = await db.query<{ full_name: string }>(
    "SELECT p.full_name FROM people p JOIN person_stats s ON s.person_id = p.id WHERE s.complaint_count > 0 AND p.full_name ~ '^[A-Za-z]+ .*[A-Za-z]{5,}$' ORDER BY md5(p.id::text) LIMIT 60",
  );
  const namePairs = people.map((row) => {
    const parts = row.full_name.split(" ");
    const last = parts[parts.length - 1];
    return { q: `${parts[0]} ${last.slice(0, 2)}${last.slice(3)}`, intended: row.full_name };
  });
  const names = namePairs.map((pair) => pair.q);

  await attempt("Profile: co-accused from distinct complaints + peers precomputed", async () => {
    for (const statement of PEERS_TABLE) await db.exec(statement);
    const r = await alternate(profiles, (id) => officerProfile(db, id), (id) => profileRewritten(db, id), (x, y, id) => {
      const a = x as Awaited<ReturnType<typeof profileRewritten>>;
      const b = y as Awaited<ReturnType<typeof profileRewritten>>;
      const sameCo = JSON.stringify(a?.coAccused.map((row) => [row.id, row.shared_complaints])) === JSON.stringify(b?.coAccused.map((row) => [row.id, row.shared_complaints]));
      const samePeers = a?.stats?.peers === b?.stats?.peers;
      return sameCo && samePeers ? null : `profile ${id} differs`;
    });
    return {
      name: "Officer profile: `coAccusedOf` joins distinct complaints (not every allegation × every allegation on the complaint); `statsOf` reads a precomputed agency peer count instead of counting the agency's officers per request",
      sql: [CO_ACCUSED_DEDUPED.replace(/\s+/g, " ").trim(), PEERS_TABLE[0], STATS_WITH_PEERS.replace(/\s+/g, " ").trim()],
      before: r.before,
      after: r.after,
      note: `${profiles.length} profiles, alternating old/new; answers identical: ${r.differences.length ? `NO (${r.differences.length})` : "yes"}`,
    };
  });

  await attempt("Text search paged first", async () => {
    const sql = TEXT_PAGE_FIRST(false);
    const r = await alternate(texts, (q) => searchComplaints(db, complaintQuerySchema.parse({ q })), (q) => db.query(sql, [q, "", "", null, "", "", 25, 0]), (x, y, q) => {
      const totalA = (x as { total: number }).total;
      const rows = y as { id: string; total: number }[];
      return ids(x) === ids(rows) && totalA === (rows[0]?.total ?? 0) ? null : `"${q}" differs`;
    });
    return {
      name: "Complaint search: page (ORDER BY … LIMIT) before the per-complaint allegation aggregate; exact total kept",
      sql: [sql.replace(/\s+/g, " ").trim()],
      before: r.before,
      after: r.after,
      note: `${texts.length} queries, alternating; same rows and totals: ${r.differences.length ? `NO (${r.differences.join(", ")})` : "yes"}`,
    };
  });

  await attempt("Text search paged first, total capped, date index", async () => {
    await db.exec(DATE_INDEX);
    await db.exec("ANALYZE complaints");
    const sql = TEXT_PAGE_FIRST(true);
    const r = await alternate(texts, (q) => searchComplaints(db, complaintQuerySchema.parse({ q })), (q) => db.query(sql, [q, "", "", null, "", "", 25, 0]), (x, y, q) => {
      const rows = y as { id: string; total: number }[];
      return ids(x) === ids(rows) ? null : `"${q}" rows differ`;
    });
    return {
      name: "Complaint search: as above, plus an index on the sort key so a common word's first page is read in order, and the total counted only up to 1,001 (shown as \"1,000+\")",
      sql: [DATE_INDEX, sql.replace(/\s+/g, " ").trim()],
      before: r.before,
      after: r.after,
      note: `${texts.length} queries, alternating; same rows: ${r.differences.length ? `NO (${r.differences.join(", ")})` : "yes"}; totals above 1,000 become 1,001 (an API/UI change: "1,000+")`,
    };
  });

  if (engine === "pglite") {
    // Migration 0004 sets the threshold with ALTER DATABASE; a reopened PGlite database comes back at pg_trgm's 0.6.
    await attempt("PGlite trigram threshold", async () => {
      const [{ threshold }] = await db.query<{ threshold: string }>("SELECT current_setting('pg_trgm.word_similarity_threshold') AS threshold");
      const run = async () => {
        const times: number[] = [];
        let found = 0;
        for (const pair of namePairs) {
          const t = performance.now();
          const page = await searchOfficers(db, officerQuerySchema.parse({ q: pair.q }));
          times.push(performance.now() - t);
          if (page.items.some((item) => item.full_name === pair.intended)) found += 1;
        }
        return { latency: summarize(times), found };
      };
      const before = await run();
      await db.exec("SET pg_trgm.word_similarity_threshold = 0.35");
      const after = await run();
      return {
        name: "PGlite: word-similarity threshold 0.35 as migration 0004 intends (it is " + threshold + " in a reopened PGlite database), current name-search code",
        sql: ["SET pg_trgm.word_similarity_threshold = 0.35 -- on every PGlite open, in src/db/connect.ts"],
        before: before.latency,
        after: after.latency,
        note: `${namePairs.length} "First Lsat" misspellings; intended officer on the first page: ${before.found}/${namePairs.length} at ${threshold}, ${after.found}/${namePairs.length} at 0.35 (later name prototypes run at 0.35)`,
      };
    });
  }

  await attempt("Name search paged first", async () => {
    const r = await alternate(names, (q) => searchOfficers(db, officerQuerySchema.parse({ q })), (q) => db.query(NAME_PAGE_FIRST, [q, "", "", "", 25, 0]), (x, y, q) => {
      const rows = y as { id: string; total: number }[];
      return ids(x) === ids(rows) && (x as { total: number }).total === (rows[0]?.total ?? 0) ? null : `"${q}" differs`;
    });
    return {
      name: "Officer name search: page before the latest-employment lookup (it ran for every fuzzy match)",
      sql: [NAME_PAGE_FIRST.replace(/\s+/g, " ").trim()],
      before: r.before,
      after: r.after,
      note: `${names.length} misspelled names, alternating; same rows and totals: ${r.differences.length ? `NO (${r.differences.join(", ")})` : "yes"}`,
    };
  });

  await attempt("Name search by words", async () => {
    let foundBefore = 0;
    let foundAfter = 0;
    const r = await alternate(namePairs, (pair) => searchOfficers(db, officerQuerySchema.parse({ q: pair.q })), (pair) => {
      const { sql, params } = nameByWords(pair.q);
      return db.query(sql, params);
    }, (x, y, pair) => {
      if ((x as { items: { full_name: string }[] }).items.some((item) => item.full_name === pair.intended)) foundBefore += 1;
      if ((y as { full_name: string }[]).some((item) => item.full_name === pair.intended)) foundAfter += 1;
      return null;
    });
    return {
      name: "Officer name search: each word of the query must match on its own (`$1 <% full_name AND $2 <% full_name`, closeness averaged), paged before the employment lookup",
      sql: [nameByWords("First Last").sql.replace(/\s+/g, " ").trim()],
      before: r.before,
      after: r.after,
      note: `${namePairs.length} "First Lsat" misspellings, alternating; intended officer on the first page: ${foundBefore}/${namePairs.length} now, ${foundAfter}/${namePairs.length} with the change (ranking differs by design)`,
    };
  });

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
  for (const statement of CLEAN_UP) await db.exec(statement).catch(() => {});
  return results;
}
