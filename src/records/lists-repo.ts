import type { Queryable } from "../db/db.js";
import type { AllegationBase, Provenance } from "./profile-repo.js";

export interface AllegationListRow extends AllegationBase {
  person_id: string | null;
  person_name: string | null;
  total: number;
}

export function listAllegations(db: Queryable, f: { agency: string; finding: string; category: string; year: number | null; limit: number; offset: number }) {
  return db.query<AllegationListRow>(
    `WITH matches AS (
       SELECT x.id FROM allegations x JOIN complaints c ON c.id = x.complaint_id JOIN agencies ag ON ag.id = c.agency_id
        WHERE ($1 = '' OR ag.slug = $1) AND ($2 = '' OR x.final_finding = $2) AND ($3 = '' OR x.category ILIKE $3)
          AND ($4::int IS NULL OR extract(year FROM coalesce(c.incident_date, c.received_date)) = $4::int)
     ), counted AS (SELECT count(*)::int AS total FROM matches)
     SELECT x.id, c.id AS complaint_id, c.external_id AS complaint_external_id, ag.slug AS agency_slug, x.person_id, p.full_name AS person_name,
            c.incident_date, x.category, x.investigator_finding, x.board_finding, x.final_finding, x.recommended_penalty, x.final_penalty,
            x.suspension_days, x.import_run_id, x.source_sha256, x.source_row, sf.name AS source_file, counted.total
       FROM matches m JOIN allegations x ON x.id = m.id JOIN complaints c ON c.id = x.complaint_id JOIN agencies ag ON ag.id = c.agency_id
       CROSS JOIN counted LEFT JOIN people p ON p.id = x.person_id LEFT JOIN source_files sf ON sf.sha256 = x.source_sha256
      ORDER BY c.incident_date DESC NULLS LAST, x.id LIMIT $5 OFFSET $6`,
    [f.agency, f.finding, f.category, f.year, f.limit, f.offset],
  );
}

export interface SettlementListRow extends Provenance {
  id: string;
  agency_slug: string;
  agency_name: string;
  calendar_year: number | null;
  incident_date: string | null;
  filed_date: string | null;
  closed_date: string | null;
  amount_cents: number | null;
  total_cents: number | null;
  payer: string | null;
  case_outcome: string | null;
  docket_number: string | null;
  court: string | null;
  matter_name: string | null;
  summary_allegations: string | null;
  status: string | null;
  total: number;
}

export function listSettlements(db: Queryable, f: { agency: string; year: number | null; limit: number; offset: number }) {
  return db.query<SettlementListRow>(
    `WITH matches AS (
       SELECT x.id FROM settlements x JOIN agencies ag ON ag.id = x.agency_id
        WHERE ($1 = '' OR ag.slug = $1) AND ($2::int IS NULL OR x.calendar_year = $2::int)
     ), counted AS (SELECT count(*)::int AS total FROM matches)
     SELECT x.id, ag.slug AS agency_slug, ag.name AS agency_name, x.calendar_year, x.incident_date, x.filed_date, x.closed_date,
            x.amount_cents, x.total_cents, x.payer, x.case_outcome, x.docket_number, x.court, x.matter_name, x.summary_allegations, x.status,
            x.import_run_id, x.source_sha256, x.source_row, sf.name AS source_file, counted.total
       FROM matches m JOIN settlements x ON x.id = m.id JOIN agencies ag ON ag.id = x.agency_id CROSS JOIN counted
       LEFT JOIN source_files sf ON sf.sha256 = x.source_sha256
      ORDER BY x.closed_date DESC NULLS LAST, x.id LIMIT $3 OFFSET $4`,
    [f.agency, f.year, f.limit, f.offset],
  );
}

export interface SourceFileRow {
  sha256: string;
  name: string;
  format: string;
  size_bytes: number;
  rows: number;
  import_run_id: string;
  started_at: string;
}

export async function findSourceFile(db: Queryable, sha256: string): Promise<SourceFileRow | undefined> {
  const [row] = await db.query<SourceFileRow>(
    `SELECT sf.sha256, sf.name, sf.format, sf.size_bytes, sf.rows, sf.import_run_id, r.started_at
       FROM source_files sf JOIN import_runs r ON r.id = sf.import_run_id WHERE sf.sha256 = $1`,
    [sha256],
  );
  return row;
}

export function listSourceFiles(db: Queryable): Promise<SourceFileRow[]> {
  return db.query<SourceFileRow>(
    `SELECT sf.sha256, sf.name, sf.format, sf.size_bytes, sf.rows, sf.import_run_id, r.started_at
       FROM source_files sf JOIN import_runs r ON r.id = sf.import_run_id ORDER BY r.started_at, sf.name`,
  );
}
