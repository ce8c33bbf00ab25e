import type { Queryable } from "../db/db.js";

export interface AgencyRow {
  id: string;
  slug: string;
  name: string;
  city: string | null;
  state: string | null;
  officers: number;
  complaints: number;
  settlements: number;
  force_incidents: number;
}

export function listAgencies(db: Queryable): Promise<AgencyRow[]> {
  return db.query<AgencyRow>(
    `SELECT ag.id, ag.slug, ag.name, ag.city, ag.state,
            (SELECT count(DISTINCT e.person_id)::int FROM employment e WHERE e.agency_id = ag.id) AS officers,
            (SELECT count(*)::int FROM complaints c WHERE c.agency_id = ag.id) AS complaints,
            (SELECT count(*)::int FROM settlements s WHERE s.agency_id = ag.id) AS settlements,
            (SELECT count(*)::int FROM force_incidents f WHERE f.agency_id = ag.id) AS force_incidents
       FROM agencies ag ORDER BY ag.name`,
  );
}

export async function findAgency(db: Queryable, slug: string): Promise<AgencyRow | undefined> {
  return (await listAgencies(db)).find((agency) => agency.slug === slug);
}

export interface YearCategoryRow {
  year: number;
  category: string;
  complaints: number;
}

/** Complaints per incident year and allegation category (a complaint counts once per category). */
export function complaintsByYearAndCategory(db: Queryable, agencyId: string): Promise<YearCategoryRow[]> {
  return db.query<YearCategoryRow>(
    `SELECT extract(year FROM coalesce(c.incident_date, c.received_date))::int AS year,
            coalesce(a.category, 'Unknown') AS category, count(DISTINCT c.id)::int AS complaints
       FROM complaints c LEFT JOIN allegations a ON a.complaint_id = c.id
      WHERE c.agency_id = $1 AND coalesce(c.incident_date, c.received_date) IS NOT NULL
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [agencyId],
  );
}

export interface FindingShareRow {
  year: number;
  allegations: number;
  sustained: number;
}

export function sustainedByYear(db: Queryable, agencyId: string): Promise<FindingShareRow[]> {
  return db.query<FindingShareRow>(
    `SELECT extract(year FROM coalesce(c.incident_date, c.received_date))::int AS year, count(a.id)::int AS allegations,
            count(a.id) FILTER (WHERE a.final_finding = 'sustained')::int AS sustained
       FROM allegations a JOIN complaints c ON c.id = a.complaint_id
      WHERE c.agency_id = $1 AND coalesce(c.incident_date, c.received_date) IS NOT NULL
      GROUP BY 1 ORDER BY 1`,
    [agencyId],
  );
}

export interface PenaltyPairRow {
  recommended_penalty: string | null;
  final_penalty: string | null;
  allegations: number;
}

export function recommendedVersusImposed(db: Queryable, agencyId: string): Promise<PenaltyPairRow[]> {
  return db.query<PenaltyPairRow>(
    `SELECT a.recommended_penalty, a.final_penalty, count(*)::int AS allegations
       FROM allegations a JOIN complaints c ON c.id = a.complaint_id
      WHERE c.agency_id = $1 AND a.recommended_penalty IS NOT NULL
      GROUP BY 1, 2 ORDER BY 3 DESC`,
    [agencyId],
  );
}

export interface SettlementYearRow {
  year: number;
  settlements: number;
  amount_cents: number;
}

export function settlementsByYear(db: Queryable, agencyId: string): Promise<SettlementYearRow[]> {
  return db.query<SettlementYearRow>(
    `SELECT coalesce(calendar_year, extract(year FROM closed_date)::int) AS year, count(*)::int AS settlements,
            coalesce(sum(amount_cents), 0)::bigint AS amount_cents
       FROM settlements WHERE agency_id = $1 AND coalesce(calendar_year, extract(year FROM closed_date)::int) IS NOT NULL
      GROUP BY 1 ORDER BY 1`,
    [agencyId],
  );
}
