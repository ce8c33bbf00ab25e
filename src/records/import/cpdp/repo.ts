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
