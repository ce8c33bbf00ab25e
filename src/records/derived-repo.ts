import type { Queryable } from "../db/db.js";

/**
 * Each person's counts, under the agency of their latest employment spell.
 * `$1` limits it to some people (NULL: everyone).
 */
const COUNTS = `
  WITH home AS (
    SELECT DISTINCT ON (person_id) person_id, agency_id
      FROM employment WHERE $1::uuid[] IS NULL OR person_id = ANY($1::uuid[])
     ORDER BY person_id, start_date DESC NULLS LAST, end_date DESC NULLS FIRST
  )
  SELECT p.id AS person_id, h.agency_id,
         count(DISTINCT a.complaint_id)::int AS complaint_count,
         count(a.id)::int AS allegation_count,
         count(a.id) FILTER (WHERE a.final_finding = 'sustained')::int AS sustained_count
    FROM people p
    LEFT JOIN home h ON h.person_id = p.id
    LEFT JOIN allegations a ON a.person_id = p.id
   WHERE p.merged_into IS NULL AND ($1::uuid[] IS NULL OR p.id = ANY($1::uuid[]))
   GROUP BY p.id, h.agency_id`;

/** Every star/badge number a person held, from employment and from every source's mentions. */
const BADGES = `
  SELECT DISTINCT ON (person_id, badge) person_id, agency_id, badge FROM (
    SELECT person_id, agency_id, badge FROM employment
     WHERE badge IS NOT NULL AND badge <> '' AND ($1::uuid[] IS NULL OR person_id = ANY($1::uuid[]))
    UNION ALL
    SELECT m.person_id, NULL, jsonb_array_elements_text(m.attributes->'stars')
      FROM person_mentions m
     WHERE jsonb_typeof(m.attributes->'stars') = 'array' AND ($1::uuid[] IS NULL OR m.person_id = ANY($1::uuid[]))
  ) b WHERE badge <> '' ORDER BY person_id, badge, agency_id NULLS LAST`;

/**
 * Rebuilds person_stats and person_badges from the records, for everyone: after
 * an import, which touches most people anyway.
 */
export async function refreshDerived(tx: Queryable): Promise<void> {
  await tx.query("DELETE FROM person_stats");
  await tx.query(
    `INSERT INTO person_stats (person_id, agency_id, complaint_count, allegation_count, sustained_count, complaint_percentile, peer_count)
     SELECT person_id, agency_id, complaint_count, allegation_count, sustained_count,
            round((100 * percent_rank() OVER (PARTITION BY agency_id ORDER BY complaint_count))::numeric, 2),
            count(*) OVER (PARTITION BY agency_id)
       FROM (${COUNTS}) counts`,
    [null],
  );
  await tx.query("DELETE FROM person_badges");
  await tx.query(`INSERT INTO person_badges (person_id, agency_id, badge) ${BADGES}`, [null]);
}

/**
 * Brings person_stats and person_badges up to date for some people only (a
 * closed case's officers, a merge or a split): their counts and badges are
 * recounted, and the percentiles and peer counts of the agencies they were or
 * are in are re-ranked from the stored counts. The same result as
 * refreshDerived, without counting a million allegations for one case.
 */
export async function refreshDerivedFor(tx: Queryable, personIds: readonly string[]): Promise<void> {
  const ids = [...new Set(personIds)];
  if (ids.length === 0) return;
  const before = await tx.query<{ agency_id: string | null }>("SELECT DISTINCT agency_id FROM person_stats WHERE person_id = ANY($1::uuid[])", [ids]);
  await tx.query("DELETE FROM person_stats WHERE person_id = ANY($1::uuid[])", [ids]);
  await tx.query(
    `INSERT INTO person_stats (person_id, agency_id, complaint_count, allegation_count, sustained_count, complaint_percentile, peer_count)
     SELECT person_id, agency_id, complaint_count, allegation_count, sustained_count, 0, 0 FROM (${COUNTS}) counts`,
    [ids],
  );
  const after = await tx.query<{ agency_id: string | null }>("SELECT DISTINCT agency_id FROM person_stats WHERE person_id = ANY($1::uuid[])", [ids]);
  const agencies = [...before, ...after].map((row) => row.agency_id);
  await tx.query(
    `UPDATE person_stats s SET complaint_percentile = ranked.percentile, peer_count = ranked.peers
       FROM (SELECT person_id,
                    round((100 * percent_rank() OVER (PARTITION BY agency_id ORDER BY complaint_count))::numeric, 2) AS percentile,
                    count(*) OVER (PARTITION BY agency_id) AS peers
               FROM person_stats
              WHERE agency_id = ANY($1::uuid[]) OR (agency_id IS NULL AND $2::boolean)) ranked
      WHERE s.person_id = ranked.person_id
        AND (s.complaint_percentile IS DISTINCT FROM ranked.percentile OR s.peer_count IS DISTINCT FROM ranked.peers)`,
    [agencies.filter((id): id is string => id !== null), agencies.includes(null)],
  );
  await tx.query("DELETE FROM person_badges WHERE person_id = ANY($1::uuid[])", [ids]);
  await tx.query(`INSERT INTO person_badges (person_id, agency_id, badge) ${BADGES}`, [ids]);
}
