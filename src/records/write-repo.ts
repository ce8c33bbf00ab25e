import type { Queryable } from "../db/db.js";

/** Single-row writes, for the demo, staff entry and small imports. Bulk imports use COPY. */

type Values = Record<string, unknown>;

async function insertReturningId(tx: Queryable, table: string, values: Values): Promise<string> {
  const columns = Object.keys(values);
  const placeholders = columns.map((_, i) => `$${i + 1}`);
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${placeholders.join(", ")}) RETURNING id`,
    columns.map((column) => values[column]),
  );
  return row.id;
}

async function insertPlain(tx: Queryable, table: string, values: Values): Promise<void> {
  const columns = Object.keys(values);
  await tx.query(
    `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(", ")})`,
    columns.map((column) => values[column]),
  );
}

export const insertAgency = (tx: Queryable, v: { slug: string; name: string; city?: string | null; state?: string | null; is_demo?: boolean }) =>
  insertReturningId(tx, "agencies", v);

export const insertPerson = (tx: Queryable, v: { first_name: string; middle_name?: string | null; last_name: string; suffix?: string | null; full_name: string; birth_year?: number | null; race?: string | null; gender?: string | null; is_demo?: boolean }) =>
  insertReturningId(tx, "people", v);

export const insertEmployment = (tx: Queryable, v: { person_id: string; agency_id: string; badge?: string | null; rank?: string | null; unit?: string | null; start_date?: string | null; end_date?: string | null; separation_reason?: string | null }) =>
  insertReturningId(tx, "employment", v);

export const insertComplaint = (tx: Queryable, v: { agency_id: string; external_id: string; received_date?: string | null; incident_date?: string | null; closed_date?: string | null; location?: string | null; district?: string | null; channel?: string | null; case_type?: string | null; investigating_agency?: string | null; summary?: string | null; search_text: string; is_demo?: boolean }) =>
  insertReturningId(tx, "complaints", v);

export const insertAllegation = (tx: Queryable, v: { complaint_id: string; person_id: string | null; category?: string | null; category_code?: string | null; investigator_finding?: string | null; board_finding?: string | null; final_finding?: string | null; recommended_penalty?: string | null; final_penalty?: string | null; suspension_days?: number | null; is_demo?: boolean }) =>
  insertReturningId(tx, "allegations", v);

export const insertDiscipline = (tx: Queryable, v: { person_id: string; allegation_id?: string | null; kind: string; days?: number | null; with_pay?: boolean | null; decided_date?: string | null }) =>
  insertReturningId(tx, "discipline", v);

export const insertSettlement = (tx: Queryable, v: { agency_id: string; calendar_year?: number | null; closed_date?: string | null; amount_cents?: number | null; payer?: string | null; matter_name?: string | null; summary_allegations?: string | null; status?: string | null; is_demo?: boolean }) =>
  insertReturningId(tx, "settlements", v);

export const insertSettlementOfficer = (tx: Queryable, v: { settlement_id: string; person_id: string | null; name_as_written: string }) =>
  insertPlain(tx, "settlement_officers", v);

export const insertForceIncident = (tx: Queryable, v: { agency_id: string | null; external_id: string; source_kind: string; occurred_date?: string | null; location?: string | null; city?: string | null; state?: string | null; force_type?: string | null; injury?: string | null; fatal?: boolean; details?: string; is_demo?: boolean }) =>
  insertReturningId(tx, "force_incidents", v);

export const insertForceOfficer = (tx: Queryable, v: { incident_id: string; person_id: string | null; rank_at_time?: string | null; injured?: string | null }) =>
  insertPlain(tx, "force_officers", v);

/** True when no records and no accounts exist: the only time the demo may be loaded. */
export async function databaseIsEmpty(tx: Queryable): Promise<boolean> {
  const [row] = await tx.query<{ n: number }>(
    "SELECT (SELECT count(*) FROM agencies) + (SELECT count(*) FROM people) + (SELECT count(*) FROM users) AS n",
  );
  return row.n === 0;
}

export async function demoRowCount(tx: Queryable): Promise<number> {
  const [row] = await tx.query<{ n: number }>("SELECT count(*) AS n FROM agencies WHERE is_demo");
  return row.n;
}
