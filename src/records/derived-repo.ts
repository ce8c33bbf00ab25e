import type { Queryable } from "../db/db.js";

/**
 * Rebuilds person_stats and person_badges from the records. Each person counts
 * under the agency of their latest employment spell.
 */
export async function refreshDerived(tx: Queryable): Promise<void> {
  await tx.exec(`
    DELETE FROM person_stats;
    WITH home AS (
      SELECT DISTINCT ON (person_id) person_id, agency_id
        FROM employment ORDER BY person_id, start_date DESC NULLS LAST, end_date DESC NULLS FIRST
    ), counts AS (
      SELECT p.id AS person_id, h.agency_id,
             count(DISTINCT a.complaint_id)::int AS complaint_count,
             count(a.id)::int AS allegation_count,
             count(a.id) FILTER (WHERE a.final_finding = 'sustained')::int AS sustained_count
        FROM people p
        LEFT JOIN home h ON h.person_id = p.id
        LEFT JOIN allegations a ON a.person_id = p.id
       WHERE p.merged_into IS NULL
       GROUP BY p.id, h.agency_id
    )
    INSERT INTO person_stats (person_id, agency_id, complaint_count, allegation_count, sustained_count, complaint_percentile, peer_count)
    SELECT person_id, agency_id, complaint_count, allegation_count, sustained_count,
           round((100 * percent_rank() OVER (PARTITION BY agency_id ORDER BY complaint_count))::numeric, 2),
           count(*) OVER (PARTITION BY agency_id)
      FROM counts;
    DELETE FROM person_badges;
    INSERT INTO person_badges (person_id, agency_id, badge)
    SELECT DISTINCT ON (person_id, badge) person_id, agency_id, badge FROM (
      SELECT person_id, agency_id, badge FROM employment WHERE badge IS NOT NULL AND badge <> ''
      UNION ALL
      SELECT m.person_id, NULL, jsonb_array_elements_text(m.attributes->'stars')
        FROM person_mentions m WHERE jsonb_typeof(m.attributes->'stars') = 'array'
    ) b WHERE badge <> '' ORDER BY person_id, badge, agency_id NULLS LAST;
  `);
}
