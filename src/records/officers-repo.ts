import type { Queryable } from "../db/db.js";

export interface OfficerFilters {
  q: string;
  badge: string;
  agency: string;
  unit: string;
  limit: number;
  offset: number;
}

export interface OfficerListRow {
  id: string;
  full_name: string;
  birth_year: number | null;
  race: string | null;
  gender: string | null;
  agency_slug: string | null;
  agency_name: string | null;
  rank: string | null;
  unit: string | null;
  badge: string | null;
  complaint_count: number;
  allegation_count: number;
  sustained_count: number;
  total: number;
}

/** At most this many words of a name query are matched (each one on its own). */
const MAX_NAME_WORDS = 4;

/**
 * The words of a name query that are matched: two letters or more, so an
 * initial does not have to be close to a word of the name ("J Smith" finds
 * Smiths); a query of initials alone is matched as written.
 */
export function nameWords(q: string): string[] {
  const words = q.split(/\s+/).filter((word) => word.length >= 2).slice(0, MAX_NAME_WORDS);
  return words.length || !q.trim() ? words : [q.trim()];
}

/**
 * Officers by name (typo-tolerant: trigram word similarity), badge, agency and
 * unit. Every word of the name must be close to a word of the officer's name,
 * so "Michael Tomasielo" looks for a Tomasiello named Michael rather than every
 * Michael; each word may still be misspelled. Ranked by closeness (averaged over
 * the words), then by number of complaints. The page is chosen before the
 * latest employment is looked up, so that runs for 25 officers, not every match.
 */
export async function searchOfficers(db: Queryable, f: OfficerFilters): Promise<OfficerListRow[]> {
  const words = nameWords(f.q);
  const wordParam = (i: number) => `$${6 + i}`;
  const matchesName = words.length ? words.map((_, i) => `${wordParam(i)} <% p.full_name`).join(" AND ") : "true";
  const closeness = words.length ? `(${words.map((_, i) => `word_similarity(${wordParam(i)}, p.full_name)`).join(" + ")}) / ${words.length}` : "0";
  return db.query<OfficerListRow>(
    `WITH matches AS NOT MATERIALIZED (
       SELECT p.id, p.full_name, ${closeness} AS closeness
         FROM people p
        WHERE p.merged_into IS NULL AND ${matchesName}
          AND ($1 = '' OR EXISTS (SELECT 1 FROM person_badges b WHERE b.person_id = p.id AND b.badge = $1))
          AND ($2 = '' OR EXISTS (SELECT 1 FROM employment e JOIN agencies ag ON ag.id = e.agency_id WHERE e.person_id = p.id AND ag.slug = $2))
          AND ($3 = '' OR EXISTS (SELECT 1 FROM employment e WHERE e.person_id = p.id AND e.unit ILIKE $3))
     ), page AS (
       SELECT m.id, m.closeness, coalesce(s.complaint_count, 0) AS complaints, m.full_name
         FROM matches m LEFT JOIN person_stats s ON s.person_id = m.id
        ORDER BY m.closeness DESC, coalesce(s.complaint_count, 0) DESC, m.full_name, m.id
        LIMIT $4 OFFSET $5
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
      ORDER BY page.closeness DESC, page.complaints DESC, page.full_name, page.id`,
    [f.badge, f.agency, f.unit, f.limit, f.offset, ...words],
  );
}

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

export async function findPerson(db: Queryable, id: string): Promise<PersonRow | undefined> {
  const [row] = await db.query<PersonRow>(
    "SELECT id, first_name, middle_name, last_name, suffix, full_name, birth_year, race, gender, is_demo, merged_into FROM people WHERE id = $1",
    [id],
  );
  return row;
}

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

export function employmentOf(db: Queryable, personId: string): Promise<EmploymentRow[]> {
  return db.query<EmploymentRow>(
    `SELECT x.id, ag.slug AS agency_slug, ag.name AS agency_name, x.badge, x.rank, x.unit, x.start_date, x.end_date, x.separation_reason, ${PROVENANCE}
       FROM employment x JOIN agencies ag ON ag.id = x.agency_id ${SOURCE_JOIN}
      WHERE x.person_id = $1 ORDER BY x.start_date NULLS FIRST`,
    [personId],
  );
}

export interface AllegationRow extends Provenance {
  id: string;
  complaint_id: string;
  complaint_external_id: string;
  agency_slug: string;
  received_date: string | null;
  incident_date: string | null;
  category: string | null;
  investigator_finding: string | null;
  board_finding: string | null;
  final_finding: string | null;
  recommended_penalty: string | null;
  final_penalty: string | null;
  suspension_days: number | null;
}

export function allegationsOf(db: Queryable, personId: string): Promise<AllegationRow[]> {
  return db.query<AllegationRow>(
    `SELECT x.id, c.id AS complaint_id, c.external_id AS complaint_external_id, ag.slug AS agency_slug,
            c.received_date, c.incident_date, x.category, x.investigator_finding, x.board_finding, x.final_finding,
            x.recommended_penalty, x.final_penalty, x.suspension_days, ${PROVENANCE}
       FROM allegations x JOIN complaints c ON c.id = x.complaint_id JOIN agencies ag ON ag.id = c.agency_id ${SOURCE_JOIN}
      WHERE x.person_id = $1 ORDER BY coalesce(c.incident_date, c.received_date) DESC NULLS LAST, x.id`,
    [personId],
  );
}

export interface DisciplineRow extends Provenance {
  id: string;
  kind: string;
  days: number | null;
  with_pay: boolean | null;
  decided_date: string | null;
  allegation_id: string | null;
}

export function disciplineOf(db: Queryable, personId: string): Promise<DisciplineRow[]> {
  return db.query<DisciplineRow>(
    `SELECT x.id, x.kind, x.days, x.with_pay, x.decided_date, x.allegation_id, ${PROVENANCE}
       FROM discipline x ${SOURCE_JOIN} WHERE x.person_id = $1 ORDER BY x.decided_date DESC NULLS LAST`,
    [personId],
  );
}

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

export function settlementsOf(db: Queryable, personId: string): Promise<SettlementRow[]> {
  return db.query<SettlementRow>(
    `SELECT x.id, x.calendar_year, x.closed_date, x.amount_cents, x.payer, x.matter_name, x.summary_allegations, ag.slug AS agency_slug, ${PROVENANCE}
       FROM settlement_officers so JOIN settlements x ON x.id = so.settlement_id JOIN agencies ag ON ag.id = x.agency_id ${SOURCE_JOIN}
      WHERE so.person_id = $1 ORDER BY x.closed_date DESC NULLS LAST`,
    [personId],
  );
}

export interface ForceRow extends Provenance {
  id: string;
  external_id: string;
  occurred_date: string | null;
  force_type: string | null;
  injury: string | null;
  fatal: boolean;
}

export function forceOf(db: Queryable, personId: string): Promise<ForceRow[]> {
  return db.query<ForceRow>(
    `SELECT DISTINCT ON (x.id) x.id, x.external_id, x.occurred_date, x.force_type, x.injury, x.fatal, ${PROVENANCE}
       FROM force_officers fo JOIN force_incidents x ON x.id = fo.incident_id ${SOURCE_JOIN}
      WHERE fo.person_id = $1 ORDER BY x.id, x.occurred_date DESC NULLS LAST`,
    [personId],
  );
}

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
export function coAccusedOf(db: Queryable, personId: string, limit = 20): Promise<CoAccusedRow[]> {
  return db.query<CoAccusedRow>(
    `WITH mine AS (SELECT DISTINCT complaint_id FROM allegations WHERE person_id = $1),
          pairs AS (
            SELECT DISTINCT other.complaint_id, other.person_id
              FROM mine JOIN allegations other ON other.complaint_id = mine.complaint_id
             WHERE other.person_id <> $1)
     SELECT p.id, p.full_name, count(*)::int AS shared_complaints
       FROM pairs JOIN people p ON p.id = pairs.person_id
      GROUP BY p.id, p.full_name ORDER BY shared_complaints DESC, p.full_name LIMIT $2`,
    [personId, limit],
  );
}

export interface PersonStatsRow {
  complaint_count: number;
  allegation_count: number;
  sustained_count: number;
  complaint_percentile: string;
  agency_slug: string | null;
  agency_name: string | null;
  peers: number;
}

export async function statsOf(db: Queryable, personId: string): Promise<PersonStatsRow | undefined> {
  const [row] = await db.query<PersonStatsRow>(
    `SELECT s.complaint_count, s.allegation_count, s.sustained_count, s.complaint_percentile::text AS complaint_percentile,
            ag.slug AS agency_slug, ag.name AS agency_name, s.peer_count AS peers
       FROM person_stats s LEFT JOIN agencies ag ON ag.id = s.agency_id WHERE s.person_id = $1`,
    [personId],
  );
  return row;
}

export interface MentionRow {
  id: string;
  source: string;
  local_id: string;
  link_rule: string;
}

export function mentionsOf(db: Queryable, personId: string): Promise<MentionRow[]> {
  return db.query<MentionRow>("SELECT id, source, local_id, link_rule FROM person_mentions WHERE person_id = $1 ORDER BY source, local_id", [personId]);
}
