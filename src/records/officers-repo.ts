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
