import type { Queryable } from "../../../db/db.js";
import type { OfficerMention } from "../../identity/matcher.js";

export interface StoredMention {
  id: string;
  person_id: string;
  source: string;
  local_id: string;
  attributes: OfficerMention;
}

/** CPDP link rules are namespaced "cpdp:<rule>", which is how earlier CPDP mentions are found. */
export const LINK_RULE_PREFIX = "cpdp:";

/** Mentions from earlier CPDP imports, so new files link to the same people. */
export function existingMentions(db: Queryable): Promise<StoredMention[]> {
  return db.query<StoredMention>(
    "SELECT id, person_id, source, local_id, attributes FROM person_mentions WHERE link_rule LIKE 'cpdp:%'",
  );
}

export async function existingComplaints(db: Queryable, agencyId: string): Promise<Map<string, { id: string; year: number | null }>> {
  const rows = await db.query<{ external_id: string; id: string; year: number | null }>(
    "SELECT external_id, id, extract(year FROM coalesce(incident_date, received_date))::int AS year FROM complaints WHERE agency_id = $1",
    [agencyId],
  );
  return new Map(rows.map((row) => [row.external_id, { id: row.id, year: row.year }]));
}

export async function existingIncidents(db: Queryable, sourceKind: string): Promise<Map<string, string>> {
  const rows = await db.query<{ external_id: string; id: string }>("SELECT external_id, id FROM force_incidents WHERE source_kind = $1", [sourceKind]);
  return new Map(rows.map((row) => [row.external_id, row.id]));
}

/**
 * The two accused files overlap (the same allegation of the same officer on the
 * same complaint). Pairs them one-to-one by complaint, officer and category code
 * in row order, fills the first file's gaps from the second, re-points
 * discipline, and deletes the second copy. Returns the number merged.
 */
export async function mergeDuplicateAllegations(tx: Queryable, keepSha: string, dropSha: string): Promise<number> {
  await tx.exec(`CREATE TEMP TABLE IF NOT EXISTS allegation_pairs (keep uuid, drop uuid) ON COMMIT DROP; DELETE FROM allegation_pairs;`);
  await tx.query(
    `INSERT INTO allegation_pairs (keep, drop)
     SELECT k.id, d.id FROM
       (SELECT id, complaint_id, person_id, category_code,
               row_number() OVER (PARTITION BY complaint_id, person_id, category_code ORDER BY source_row) AS n
          FROM allegations WHERE source_sha256 = $1 AND person_id IS NOT NULL) k
     JOIN
       (SELECT id, complaint_id, person_id, category_code,
               row_number() OVER (PARTITION BY complaint_id, person_id, category_code ORDER BY source_row) AS n
          FROM allegations WHERE source_sha256 = $2 AND person_id IS NOT NULL) d
       ON d.complaint_id = k.complaint_id AND d.person_id = k.person_id
      AND d.category_code IS NOT DISTINCT FROM k.category_code AND d.n = k.n`,
    [keepSha, dropSha],
  );
  await tx.exec(`
    UPDATE allegations k SET
      final_finding = coalesce(k.final_finding, d.final_finding),
      final_penalty = coalesce(k.final_penalty, d.final_penalty),
      suspension_days = coalesce(k.suspension_days, d.suspension_days),
      category = coalesce(k.category, d.category),
      unit_at_time = coalesce(k.unit_at_time, d.unit_at_time),
      rank_at_time = coalesce(k.rank_at_time, d.rank_at_time)
    FROM allegation_pairs p JOIN allegations d ON d.id = p.drop WHERE k.id = p.keep;
    DELETE FROM discipline x USING allegation_pairs p
      WHERE x.allegation_id = p.drop AND EXISTS (SELECT 1 FROM discipline y WHERE y.allegation_id = p.keep);
    UPDATE discipline x SET allegation_id = p.keep FROM allegation_pairs p WHERE x.allegation_id = p.drop;
    DELETE FROM allegations a USING allegation_pairs p WHERE a.id = p.drop;
  `);
  const [row] = await tx.query<{ n: number }>("SELECT count(*)::int AS n FROM allegation_pairs");
  return row.n;
}

/**
 * Complaint search text for complaints stored by an earlier run that got
 * allegations in this one (an accused file imported after its complaints
 * file). Complaints of this run get their text as they are written (searchText
 * in rows.ts, which this must agree with), and can have no allegations from
 * earlier runs: a CR number already stored is never written again.
 */
export async function refreshComplaintSearchText(tx: Queryable, complaintIds: string[]): Promise<void> {
  if (complaintIds.length === 0) return;
  await tx.query(
    `UPDATE complaints c SET search_text = concat_ws(' ', c.external_id, c.case_type, c.location, c.investigating_agency, c.complainant_type, c.summary,
       (SELECT string_agg(DISTINCT a.category, ' ') FROM allegations a WHERE a.complaint_id = c.id))
      WHERE c.id = ANY($1::uuid[])`,
    [complaintIds],
  );
}
