import type { Queryable } from "../db/db.js";

/**
 * Everything an officer's profile shows, read in one statement: each part is
 * its own query below, and the statement returns each part's rows as JSON.
 * One round trip and one backend instead of nine queries: on PostgreSQL the
 * parallel queries queued behind each other for the server's processes
 * (bench/RESULTS.md, profile p99).
 */

export interface PersonRow {
  id: string;
  first_name: string;
  middle_name: string | null;
  last_name: string;
  suffix: string | null;
  full_name: string;
  birth_year: number | null;
  race: string | null;
  gender: string | null;
  is_demo: boolean;
  merged_into: string | null;
}

const PERSON = "SELECT id, first_name, middle_name, last_name, suffix, full_name, birth_year, race, gender, is_demo, merged_into FROM people WHERE id = $1";

const PROVENANCE = "x.import_run_id, x.source_sha256, x.source_row, sf.name AS source_file";
const SOURCE_JOIN = "LEFT JOIN source_files sf ON sf.sha256 = x.source_sha256";

export interface Provenance {
  import_run_id: string | null;
  source_sha256: string | null;
  source_row: number | null;
  source_file: string | null;
}

export interface EmploymentRow extends Provenance {
  id: string;
  agency_slug: string;
  agency_name: string;
  badge: string | null;
  rank: string | null;
  unit: string | null;
  start_date: string | null;
  end_date: string | null;
  separation_reason: string | null;
}

const EMPLOYMENT = `SELECT x.id, ag.slug AS agency_slug, ag.name AS agency_name, x.badge, x.rank, x.unit, x.start_date, x.end_date, x.separation_reason, ${PROVENANCE}
       FROM employment x JOIN agencies ag ON ag.id = x.agency_id ${SOURCE_JOIN}
      WHERE x.person_id = $1 ORDER BY x.start_date NULLS FIRST`;

/** An allegation with its complaint's number and agency: what the profile and the allegation list both show. */
export interface AllegationBase extends Provenance {
  id: string;
  complaint_id: string;
  complaint_external_id: string;
  agency_slug: string;
  incident_date: string | null;
  category: string | null;
  investigator_finding: string | null;
  board_finding: string | null;
  final_finding: string | null;
  recommended_penalty: string | null;
  final_penalty: string | null;
  suspension_days: number | null;
}

export interface AllegationRow extends AllegationBase {
  received_date: string | null;
}

const ALLEGATIONS = `SELECT x.id, c.id AS complaint_id, c.external_id AS complaint_external_id, ag.slug AS agency_slug,
            c.received_date, c.incident_date, x.category, x.investigator_finding, x.board_finding, x.final_finding,
            x.recommended_penalty, x.final_penalty, x.suspension_days, ${PROVENANCE}
       FROM allegations x JOIN complaints c ON c.id = x.complaint_id JOIN agencies ag ON ag.id = c.agency_id ${SOURCE_JOIN}
      WHERE x.person_id = $1 ORDER BY coalesce(c.incident_date, c.received_date) DESC NULLS LAST, x.id`;

export interface DisciplineRow extends Provenance {
  id: string;
  kind: string;
  days: number | null;
  with_pay: boolean | null;
  decided_date: string | null;
  allegation_id: string | null;
}

const DISCIPLINE = `SELECT x.id, x.kind, x.days, x.with_pay, x.decided_date, x.allegation_id, ${PROVENANCE}
       FROM discipline x ${SOURCE_JOIN} WHERE x.person_id = $1 ORDER BY x.decided_date DESC NULLS LAST`;

export interface SettlementRow extends Provenance {
  id: string;
  calendar_year: number | null;
  closed_date: string | null;
  amount_cents: number | null;
  payer: string | null;
  matter_name: string | null;
  summary_allegations: string | null;
  agency_slug: string;
}

const SETTLEMENTS = `SELECT x.id, x.calendar_year, x.closed_date, x.amount_cents, x.payer, x.matter_name, x.summary_allegations, ag.slug AS agency_slug, ${PROVENANCE}
       FROM settlement_officers so JOIN settlements x ON x.id = so.settlement_id JOIN agencies ag ON ag.id = x.agency_id ${SOURCE_JOIN}
      WHERE so.person_id = $1 ORDER BY x.closed_date DESC NULLS LAST`;

export interface ForceRow extends Provenance {
  id: string;
  external_id: string;
  occurred_date: string | null;
  force_type: string | null;
  injury: string | null;
  fatal: boolean;
}

const FORCE = `SELECT DISTINCT ON (x.id) x.id, x.external_id, x.occurred_date, x.force_type, x.injury, x.fatal, ${PROVENANCE}
       FROM force_officers fo JOIN force_incidents x ON x.id = fo.incident_id ${SOURCE_JOIN}
      WHERE fo.person_id = $1 ORDER BY x.id, x.occurred_date DESC NULLS LAST`;

export interface CoAccusedRow {
  id: string;
  full_name: string;
  shared_complaints: number;
}

/**
 * People named on the same complaints, most shared first. Starts from the
 * officer's distinct complaints and each other officer once per complaint, so a
 * complaint with many allegations is not joined allegation by allegation.
 */
const CO_ACCUSED = `WITH mine AS (SELECT DISTINCT complaint_id FROM allegations WHERE person_id = $1),
          pairs AS (
            SELECT DISTINCT other.complaint_id, other.person_id
              FROM mine JOIN allegations other ON other.complaint_id = mine.complaint_id
             WHERE other.person_id <> $1)
     SELECT p.id, p.full_name, count(*)::int AS shared_complaints
       FROM pairs JOIN people p ON p.id = pairs.person_id
      GROUP BY p.id, p.full_name ORDER BY shared_complaints DESC, p.full_name LIMIT $2`;

export interface PersonStatsRow {
  complaint_count: number;
  allegation_count: number;
  sustained_count: number;
  complaint_percentile: string;
  agency_slug: string | null;
  agency_name: string | null;
  peers: number;
}

const STATS = `SELECT s.complaint_count, s.allegation_count, s.sustained_count, s.complaint_percentile::text AS complaint_percentile,
            ag.slug AS agency_slug, ag.name AS agency_name, s.peer_count AS peers
       FROM person_stats s LEFT JOIN agencies ag ON ag.id = s.agency_id WHERE s.person_id = $1`;

export interface MentionRow {
  id: string;
  source: string;
  local_id: string;
  link_rule: string;
}

const MENTIONS = "SELECT id, source, local_id, link_rule FROM person_mentions WHERE person_id = $1 ORDER BY source, local_id";

export interface ProfileRows {
  person: PersonRow;
  employment: EmploymentRow[];
  allegations: AllegationRow[];
  discipline: DisciplineRow[];
  settlements: SettlementRow[];
  force: ForceRow[];
  coAccused: CoAccusedRow[];
  stats: PersonStatsRow | undefined;
  mentions: MentionRow[];
}

/** Most co-accused shown on a profile. */
const CO_ACCUSED_SHOWN = 20;

/**
 * Each part's rows as one JSON array, in the part's own order: an aggregate
 * over a sorted subquery, with nothing else at its level, keeps that order.
 */
const rowsOf = (sql: string) => `(SELECT coalesce(json_agg(part), '[]'::json) FROM (${sql}) part)`;

const PROFILE = `SELECT ${rowsOf(PERSON)} AS person, ${rowsOf(EMPLOYMENT)} AS employment, ${rowsOf(ALLEGATIONS)} AS allegations,
  ${rowsOf(DISCIPLINE)} AS discipline, ${rowsOf(SETTLEMENTS)} AS settlements, ${rowsOf(FORCE)} AS force,
  ${rowsOf(CO_ACCUSED)} AS co_accused, ${rowsOf(STATS)} AS stats, ${rowsOf(MENTIONS)} AS mentions`;

type Json<T> = T | string;
/** postgres.js and PGlite both parse json columns; a driver that did not would hand back text. */
const parsed = <T>(value: Json<T>): T => (typeof value === "string" ? (JSON.parse(value) as T) : value);

/** The profile's rows, or undefined for an unknown person. */
export async function profileOf(db: Queryable, personId: string): Promise<ProfileRows | undefined> {
  const [row] = await db.query<Record<string, Json<unknown[]>>>(PROFILE, [personId, CO_ACCUSED_SHOWN]);
  const [person] = parsed(row.person) as PersonRow[];
  if (!person) return undefined;
  return {
    person,
    employment: parsed(row.employment) as EmploymentRow[],
    allegations: parsed(row.allegations) as AllegationRow[],
    discipline: parsed(row.discipline) as DisciplineRow[],
    settlements: parsed(row.settlements) as SettlementRow[],
    force: parsed(row.force) as ForceRow[],
    coAccused: parsed(row.co_accused) as CoAccusedRow[],
    stats: (parsed(row.stats) as PersonStatsRow[])[0],
    mentions: parsed(row.mentions) as MentionRow[],
  };
}
