/**
 * The SQL behind the public reports. Reads only what statistics need: ids,
 * channel, district, dates, states, allegation categories, findings and
 * penalties, and which officers (by person id) a case names. Never the
 * narrative, the location, case_people or receipt hashes.
 *
 * Instants come back as epoch milliseconds (float8), the same on both engines.
 */
import type { Queryable } from "../../db/db.js";

/** States in which a case is closed (workflow.ts isOpen is their complement). */
export const CLOSED_STATES = ["closed", "closed_no_finding", "referred_out"] as const;
const CLOSED_SQL = CLOSED_STATES.map((state) => `'${state}'`).join(", ");
const ms = (expression: string) => `round(extract(epoch FROM ${expression}) * 1000)::float8`;

export interface ReceivedRow {
  id: string;
  channel: string;
  district: string | null;
  received_ms: number;
  incident_date: string | null;
  acknowledged_ms: number | null;
  first_contact_ms: number | null;
  classified_ms: number | null;
  contactable: boolean;
  final_decision_ms: number | null;
}

/** Cases received in [start, end), with what the clocks need. */
export function receivedCases(db: Queryable, start: Date, end: Date): Promise<ReceivedRow[]> {
  return db.query<ReceivedRow>(
    `SELECT c.id, c.channel, c.district, ${ms("c.received_at")} AS received_ms, c.incident_date,
            ${ms("c.acknowledged_at")} AS acknowledged_ms, ${ms("c.first_contact_at")} AS first_contact_ms, ${ms("c.classified_at")} AS classified_ms,
            EXISTS (SELECT 1 FROM case_people p WHERE p.case_id = c.id AND p.role = 'complainant' AND p.contact_ok AND (p.email IS NOT NULL OR p.phone IS NOT NULL)) AS contactable,
            (SELECT ${ms("min(e.at)")} FROM case_events e WHERE e.case_id = c.id AND e.kind = 'final_decision') AS final_decision_ms
       FROM cases c
      WHERE c.received_at >= $1::timestamptz AND c.received_at < $2::timestamptz
      ORDER BY c.received_at, c.id`,
    [start.toISOString(), end.toISOString()],
  );
}

export function tollingFor(db: Queryable, caseIds: string[]) {
  return db.query<{ case_id: string; starts_on: string; ends_on: string | null }>(
    "SELECT case_id, starts_on, ends_on FROM case_tolling WHERE case_id = ANY($1::uuid[]) ORDER BY case_id, starts_on",
    [caseIds],
  );
}

/**
 * Each case's state at an instant, from its history (the last state change
 * before then), for cases received before then. A case with no recorded change
 * yet (entered with an earlier received date) is "received".
 */
export function statesAt(db: Queryable, at: Date) {
  return db.query<{ state: string; cases: number }>(
    `WITH last AS (
       SELECT DISTINCT ON (e.case_id) e.case_id, e.to_state
         FROM case_events e
        WHERE e.to_state IS NOT NULL AND e.at < $1::timestamptz
        ORDER BY e.case_id, e.at DESC, e.id DESC
     )
     SELECT COALESCE(last.to_state, 'received') AS state, count(*)::int AS cases
       FROM cases c LEFT JOIN last ON last.case_id = c.id
      WHERE c.received_at < $1::timestamptz
      GROUP BY 1`,
    [at.toISOString()],
  );
}

export interface ClosingRow {
  id: string;
  received_ms: number;
  closed_ms: number;
  from_state: string;
  to_state: string;
}

/**
 * Cases closed in [start, end): closed at `end` (by their history), and the
 * change that closed them (the last move from an open state into a closed one)
 * happened in [start, end). A case closed, reopened and closed again counts
 * once, at its last closing; referred_out → closed is not a new closing.
 */
export function closedIn(db: Queryable, start: Date, end: Date): Promise<ClosingRow[]> {
  return db.query<ClosingRow>(
    `WITH moves AS (
       SELECT e.id, e.case_id, e.at, e.from_state, e.to_state FROM case_events e
        WHERE e.to_state IS NOT NULL AND e.at < $2::timestamptz
     ), last AS (
       SELECT DISTINCT ON (case_id) case_id, to_state FROM moves ORDER BY case_id, at DESC, id DESC
     ), closing AS (
       SELECT DISTINCT ON (case_id) case_id, at, from_state, to_state FROM moves
        WHERE to_state IN (${CLOSED_SQL}) AND (from_state IS NULL OR from_state NOT IN (${CLOSED_SQL}))
        ORDER BY case_id, at DESC, id DESC
     )
     SELECT c.id, ${ms("c.received_at")} AS received_ms, ${ms("closing.at")} AS closed_ms, closing.from_state, closing.to_state
       FROM cases c JOIN last ON last.case_id = c.id JOIN closing ON closing.case_id = c.id
      WHERE last.to_state IN (${CLOSED_SQL}) AND closing.at >= $1::timestamptz
      ORDER BY closing.at, c.id`,
    [start.toISOString(), end.toISOString()],
  );
}

export interface AllegationFigures {
  case_id: string;
  category: string;
  board_finding: string | null;
  final_finding: string | null;
  recommended_penalty: string | null;
  final_penalty: string | null;
  deviated: boolean | null;
}

export function allegationsFor(db: Queryable, caseIds: string[]): Promise<AllegationFigures[]> {
  return db.query<AllegationFigures>(
    `SELECT case_id, category, board_finding, final_finding, recommended_penalty, final_penalty, deviated
       FROM case_allegations WHERE case_id = ANY($1::uuid[]) ORDER BY case_id, category, id`,
    [caseIds],
  );
}

/** (officer, case) pairs for identified officers on cases received in [start, end); merged people count as one. */
export function officerCases(db: Queryable, start: Date, end: Date) {
  return db.query<{ person_id: string; case_id: string }>(
    `SELECT DISTINCT COALESCE(p.merged_into, p.id) AS person_id, o.case_id
       FROM case_officers o JOIN cases c ON c.id = o.case_id JOIN people p ON p.id = o.person_id
      WHERE c.received_at >= $1::timestamptz AND c.received_at < $2::timestamptz`,
    [start.toISOString(), end.toISOString()],
  );
}

/** The year of the first complaint received, for the period picker. */
export async function firstYear(db: Queryable): Promise<number | null> {
  const [row] = await db.query<{ year: number | null }>("SELECT extract(year FROM min(received_at) AT TIME ZONE 'UTC')::int AS year FROM cases");
  return row?.year ?? null;
}
