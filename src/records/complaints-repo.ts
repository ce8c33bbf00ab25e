import type { Queryable } from "../db/db.js";
import type { Provenance } from "./profile-repo.js";

export interface ComplaintFilters {
  q: string;
  category: string;
  finding: string;
  year: number | null;
  unit: string;
  agency: string;
  limit: number;
  offset: number;
  /** Stop counting matches here: an exact count of every match of a common word costs more than the page itself. */
  countUpTo: number;
}

export interface ComplaintListRow {
  id: string;
  external_id: string;
  agency_slug: string;
  agency_name: string;
  received_date: string | null;
  incident_date: string | null;
  closed_date: string | null;
  case_type: string | null;
  categories: string[];
  allegation_count: number;
  sustained_count: number;
  /** Matches counted, at most countUpTo. */
  total: number;
}

/**
 * Complaints by full text (websearch syntax: words, "phrases", -exclusions) and
 * filters. Allegation-level filters (category, finding, unit) match a complaint
 * when any of its allegations matches.
 *
 * The page is chosen first (newest first, read in order from
 * complaints_on_date_idx), and only its rows get their allegations summarised.
 * Slashes are spaces, as in the indexed text ("Operation/Personnel").
 */
export function searchComplaints(db: Queryable, f: ComplaintFilters): Promise<ComplaintListRow[]> {
  return db.query<ComplaintListRow>(
    `WITH matches AS NOT MATERIALIZED (
       SELECT c.id, coalesce(c.incident_date, c.received_date) AS on_date, c.external_id
         FROM complaints c JOIN agencies ag ON ag.id = c.agency_id
        WHERE ($1 = '' OR c.search @@ websearch_to_tsquery('english', translate($1, '/', ' ')))
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
            (SELECT count(*)::int FROM (SELECT 1 FROM matches LIMIT $9) counted) AS total
       FROM page JOIN complaints c ON c.id = page.id JOIN agencies ag ON ag.id = c.agency_id
       LEFT JOIN LATERAL (
         SELECT array_agg(DISTINCT a.category) FILTER (WHERE a.category IS NOT NULL) AS categories, count(*)::int AS n,
                count(*) FILTER (WHERE a.final_finding = 'sustained')::int AS sustained
           FROM allegations a WHERE a.complaint_id = c.id
       ) al ON true
      ORDER BY coalesce(c.incident_date, c.received_date) DESC NULLS LAST, c.external_id`,
    [f.q, f.category, f.finding, f.year, f.unit, f.agency, f.limit, f.offset, f.countUpTo],
  );
}

export interface ComplaintRow extends Provenance {
  id: string;
  external_id: string;
  agency_slug: string;
  agency_name: string;
  received_date: string | null;
  incident_date: string | null;
  closed_date: string | null;
  location: string | null;
  beat: string | null;
  district: string | null;
  channel: string | null;
  case_type: string | null;
  investigating_agency: string | null;
  summary: string | null;
  is_demo: boolean;
}

export async function findComplaint(db: Queryable, id: string): Promise<ComplaintRow | undefined> {
  const [row] = await db.query<ComplaintRow>(
    `SELECT x.id, x.external_id, ag.slug AS agency_slug, ag.name AS agency_name, x.received_date, x.incident_date, x.closed_date,
            x.location, x.beat, x.district, x.channel, x.case_type, x.investigating_agency, x.summary, x.is_demo,
            x.import_run_id, x.source_sha256, x.source_row, sf.name AS source_file
       FROM complaints x JOIN agencies ag ON ag.id = x.agency_id LEFT JOIN source_files sf ON sf.sha256 = x.source_sha256
      WHERE x.id = $1`,
    [id],
  );
  return row;
}

export interface ComplaintAllegationRow extends Provenance {
  id: string;
  person_id: string | null;
  person_name: string | null;
  category: string | null;
  category_code: string | null;
  investigator_finding: string | null;
  board_finding: string | null;
  final_finding: string | null;
  recommended_penalty: string | null;
  final_penalty: string | null;
  suspension_days: number | null;
}

export function allegationsOfComplaint(db: Queryable, complaintId: string): Promise<ComplaintAllegationRow[]> {
  return db.query<ComplaintAllegationRow>(
    `SELECT x.id, x.person_id, p.full_name AS person_name, x.category, x.category_code, x.investigator_finding, x.board_finding, x.final_finding,
            x.recommended_penalty, x.final_penalty, x.suspension_days, x.import_run_id, x.source_sha256, x.source_row, sf.name AS source_file
       FROM allegations x LEFT JOIN people p ON p.id = x.person_id LEFT JOIN source_files sf ON sf.sha256 = x.source_sha256
      WHERE x.complaint_id = $1 ORDER BY p.full_name NULLS LAST, x.id`,
    [complaintId],
  );
}

export interface DemographicsRow {
  race: string | null;
  gender: string | null;
  age_band: string | null;
  count: number;
}

/** Complainants only as counts by race, gender and age band: never individuals. */
export function complainantDemographics(db: Queryable, complaintId: string): Promise<DemographicsRow[]> {
  return db.query<DemographicsRow>(
    `SELECT race, gender, age_band, sum(count)::int AS count FROM complainant_demographics
      WHERE complaint_id = $1 GROUP BY race, gender, age_band ORDER BY count DESC`,
    [complaintId],
  );
}
