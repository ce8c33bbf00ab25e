import { isSealed, openText, sealText } from "../db/data-key.js";
import type { Queryable } from "../db/db.js";
import type { CaseState } from "./workflow.js";

export interface CaseRow {
  id: string;
  case_number: string;
  receipt_hash: string;
  state: CaseState;
  channel: string;
  language: string;
  anonymous: boolean;
  third_party: boolean;
  incident_date: string | null;
  incident_time: string | null;
  location: string | null;
  district: string | null;
  narrative: string;
  received_at: string;
  acknowledged_at: string | null;
  first_contact_at: string | null;
  classified_at: string | null;
  closed_at: string | null;
  closed_reason: string | null;
  assigned_to: string | null;
  published_complaint: string | null;
  /** Set by an administrator: contact details are kept past the retention period. */
  legal_hold: boolean;
  /** When retention deleted the contact details, if it has. */
  contact_deleted_at: string | null;
}

const CASE_COLUMNS = `id, case_number, receipt_hash, state, channel, language, anonymous, third_party, incident_date, incident_time,
  location, district, narrative, received_at, acknowledged_at, first_contact_at, classified_at, closed_at, closed_reason, assigned_to, published_complaint,
  legal_hold, contact_deleted_at`;

/**
 * The columns held sealed at rest (src/db/data-key.ts): what a complainant or
 * witness is, where to reach them, and what they wrote. Sealed here on the way
 * in and opened here on the way out, so the services above see plain values
 * and a database dump sees none.
 */
const SEALED: Record<string, readonly string[]> = {
  cases: ["narrative", "location"],
  case_people: ["name", "email", "phone", "address", "notes"],
  case_events: ["body"],
  // The complainant's own words about the officer (name and badge stay plain: staff match them to records).
  case_officers: ["description"],
};

function sealRow(table: string, v: Record<string, unknown>): Record<string, unknown> {
  const columns = SEALED[table] ?? [];
  const out = { ...v };
  for (const column of columns) if (typeof out[column] === "string") out[column] = sealText(out[column] as string);
  return out;
}

function openRow<T>(table: string, row: T): T;
function openRow<T>(table: string, row: T | undefined): T | undefined;
function openRow<T>(table: string, row: T | undefined): T | undefined {
  if (!row) return row;
  const out = { ...row } as Record<string, unknown>;
  for (const column of SEALED[table]) if (typeof out[column] === "string") out[column] = openText(out[column] as string);
  return out as T;
}

export async function nextCaseNumber(tx: Queryable, year: number): Promise<string> {
  const [row] = await tx.query<{ n: number }>("SELECT nextval('case_number_seq')::int AS n");
  return `OV-${year}-${String(row.n).padStart(6, "0")}`;
}

export async function insertCase(tx: Queryable, plain: Record<string, unknown>): Promise<string> {
  const v = sealRow("cases", plain);
  const columns = Object.keys(v);
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO cases (${columns.join(", ")}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(", ")}) RETURNING id`,
    columns.map((column) => v[column]),
  );
  return row.id;
}

export async function insertRow(tx: Queryable, table: "case_people" | "case_officers" | "case_allegations" | "case_events" | "case_tolling" | "referrals", plain: Record<string, unknown>): Promise<string> {
  const v = sealRow(table, plain);
  const columns = Object.keys(v);
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(", ")}) RETURNING id`,
    columns.map((column) => v[column]),
  );
  return row.id;
}

export async function findCaseByNumber(tx: Queryable, caseNumber: string): Promise<CaseRow | undefined> {
  const [row] = await tx.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases WHERE case_number = $1`, [caseNumber.toUpperCase()]);
  return openRow("cases", row);
}

export async function findCase(tx: Queryable, id: string, lock = false): Promise<CaseRow | undefined> {
  const [row] = await tx.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases WHERE id = $1${lock ? " FOR UPDATE" : ""}`, [id]);
  return openRow("cases", row);
}

export async function updateCase(tx: Queryable, id: string, plain: Record<string, unknown>): Promise<void> {
  const v = sealRow("cases", plain);
  const columns = Object.keys(v);
  await tx.query(
    `UPDATE cases SET ${columns.map((column, i) => `${column} = $${i + 2}`).join(", ")}, updated_at = now() WHERE id = $1`,
    [id, ...columns.map((column) => v[column])],
  );
}

export interface EventRow {
  id: string;
  at: string;
  actor: string;
  kind: string;
  from_state: string | null;
  to_state: string | null;
  body: string | null;
  visible_to_complainant: boolean;
  /** The staff member the event is about (an assignment), if any. */
  subject_user: string | null;
}

export async function eventsOf(tx: Queryable, caseId: string, onlyVisible = false): Promise<EventRow[]> {
  const rows = await tx.query<EventRow>(
    `SELECT id, at, actor, kind, from_state, to_state, body, visible_to_complainant, subject_user FROM case_events
      WHERE case_id = $1 ${onlyVisible ? "AND visible_to_complainant" : ""} ORDER BY at, id`,
    [caseId],
  );
  return rows.map((row) => openRow("case_events", row));
}

export interface AllegationRow {
  id: string;
  case_officer_id: string | null;
  category: string;
  is_force: boolean;
  is_criminal: boolean;
  is_death: boolean;
  investigator_finding: string | null;
  board_finding: string | null;
  recommended_penalty: string | null;
  final_finding: string | null;
  final_penalty: string | null;
  deviated: boolean | null;
}

export function allegationsOf(tx: Queryable, caseId: string): Promise<AllegationRow[]> {
  return tx.query<AllegationRow>(
    `SELECT id, case_officer_id, category, is_force, is_criminal, is_death, investigator_finding, board_finding,
            recommended_penalty, final_finding, final_penalty, deviated FROM case_allegations WHERE case_id = $1 ORDER BY category, id`,
    [caseId],
  );
}

export interface OfficerRow {
  id: string;
  person_id: string | null;
  name: string | null;
  badge: string | null;
  vehicle: string | null;
  description: string | null;
}

export async function officersOf(tx: Queryable, caseId: string): Promise<OfficerRow[]> {
  const rows = await tx.query<OfficerRow>("SELECT id, person_id, name, badge, vehicle, description FROM case_officers WHERE case_id = $1 ORDER BY id", [caseId]);
  return rows.map((row) => openRow("case_officers", row));
}

export interface PersonRow {
  id: string;
  role: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  contact_ok: boolean;
  notes: string | null;
}

export async function peopleOf(tx: Queryable, caseId: string): Promise<PersonRow[]> {
  const rows = await tx.query<PersonRow>("SELECT id, role, name, email, phone, address, contact_ok, notes FROM case_people WHERE case_id = $1 ORDER BY role, id", [caseId]);
  return rows.map((row) => openRow("case_people", row));
}

export function tollingOf(tx: Queryable, caseId: string): Promise<{ id: string; kind: string; starts_on: string; ends_on: string | null; note: string | null }[]> {
  return tx.query("SELECT id, kind, starts_on, ends_on, note FROM case_tolling WHERE case_id = $1 ORDER BY starts_on", [caseId]);
}

export async function hasProsecutorReferral(tx: Queryable, caseId: string): Promise<boolean> {
  const rows = await tx.query("SELECT 1 FROM referrals WHERE case_id = $1 AND to_body = 'prosecutor' LIMIT 1", [caseId]);
  return rows.length > 0;
}

export interface CaseListRow {
  id: string;
  case_number: string;
  state: CaseState;
  channel: string;
  received_at: string;
  incident_date: string | null;
  acknowledged_at: string | null;
  first_contact_at: string | null;
  classified_at: string | null;
  anonymous: boolean;
  contactable: boolean;
  has_force: boolean;
  final_at: string | null;
  assigned_to: string | null;
}

/** Every case with what the deadline dashboard needs, newest first; only one staff member's with `assignedTo`. */
/**
 * Cases for the staff lists. `assignedTo`: only that staff member's cases;
 * `panelMember`: only cases on whose board panel that member sits without
 * having recused (what a board member may read).
 */
export function listCases(tx: Queryable, onlyOpen: boolean, filter: { assignedTo?: string; panelMember?: string } = {}): Promise<CaseListRow[]> {
  const params: string[] = [];
  const where = [onlyOpen ? "c.state NOT IN ('closed', 'closed_no_finding', 'referred_out')" : ""];
  if (filter.assignedTo) {
    params.push(filter.assignedTo);
    where.push(`c.assigned_to = $${params.length}`);
  }
  if (filter.panelMember) {
    params.push(filter.panelMember);
    const member = `$${params.length}::uuid`;
    where.push(`EXISTS (SELECT 1 FROM board_panels p WHERE p.case_id = c.id AND ${member} = ANY (p.members))
        AND NOT EXISTS (SELECT 1 FROM board_votes v WHERE v.case_id = c.id AND v.member_id = ${member} AND v.recused)`);
  }
  return tx.query<CaseListRow>(
    `SELECT c.id, c.case_number, c.state, c.channel, c.received_at, c.incident_date, c.acknowledged_at, c.first_contact_at, c.classified_at, c.anonymous, c.assigned_to,
            EXISTS (SELECT 1 FROM case_people p WHERE p.case_id = c.id AND p.role = 'complainant' AND p.contact_ok AND (p.email IS NOT NULL OR p.phone IS NOT NULL)) AS contactable,
            EXISTS (SELECT 1 FROM case_allegations a WHERE a.case_id = c.id AND a.is_force) AS has_force,
            (SELECT min(e.at) FROM case_events e WHERE e.case_id = c.id AND e.kind = 'final_decision') AS final_at
       FROM cases c ${where.some(Boolean) ? `WHERE ${where.filter(Boolean).join(" AND ")}` : ""}
      ORDER BY c.received_at DESC`,
    params,
  );
}

export function tollingForCases(tx: Queryable, caseIds: string[]) {
  return tx.query<{ case_id: string; starts_on: string; ends_on: string | null }>(
    "SELECT case_id, starts_on, ends_on FROM case_tolling WHERE case_id = ANY($1::uuid[])",
    [caseIds],
  );
}

export async function getSetting<T>(tx: Queryable, key: string): Promise<T | undefined> {
  const [row] = await tx.query<{ value: T }>("SELECT value FROM office_settings WHERE key = $1", [key]);
  return row?.value;
}

export async function setSetting(tx: Queryable, key: string, value: unknown): Promise<void> {
  await tx.query("INSERT INTO office_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", [key, JSON.stringify(value)]);
}

/** Opens the complainant's access from one browser (only the token's hash is stored), and clears lapsed ones. */
export async function insertCaseAccess(tx: Queryable, v: { tokenHash: string; caseId: string; now: string; expiresAt: string; idleSince: string }): Promise<void> {
  await tx.query("DELETE FROM case_access_sessions WHERE last_seen_at <= $1::timestamptz OR expires_at <= $2::timestamptz", [v.idleSince, v.now]);
  await tx.query(
    "INSERT INTO case_access_sessions (token_hash, case_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3::timestamptz, $3::timestamptz, $4::timestamptz)",
    [v.tokenHash, v.caseId, v.now, v.expiresAt],
  );
}

/**
 * The case a live access opens, unless it sat unused since `idleSince` or is
 * past its end; marks it used now when it was last used before `touchBefore`.
 */
export async function useCaseAccess(tx: Queryable, tokenHash: string, now: string, idleSince: string, touchBefore: string): Promise<string | undefined> {
  const [row] = await tx.query<{ case_id: string; stale: boolean }>(
    `SELECT case_id, last_seen_at < $4::timestamptz AS stale FROM case_access_sessions
      WHERE token_hash = $1 AND last_seen_at > $3::timestamptz AND expires_at > $2::timestamptz`,
    [tokenHash, now, idleSince, touchBefore],
  );
  if (!row) return undefined;
  if (row.stale) await tx.query("UPDATE case_access_sessions SET last_seen_at = $2::timestamptz WHERE token_hash = $1", [tokenHash, now]);
  return row.case_id;
}

/** Ends one access ("close on this device"). */
export async function deleteCaseAccess(tx: Queryable, tokenHash: string): Promise<void> {
  await tx.query("DELETE FROM case_access_sessions WHERE token_hash = $1", [tokenHash]);
}

/**
 * Rows written before sealing existed, with the values of their sealed columns
 * that are still plain text: at most `limit` per table, locked.
 */
export async function unsealedRows(tx: Queryable, table: keyof typeof SEALED_TABLES, limit: number): Promise<Record<string, unknown>[]> {
  const columns = SEALED[table];
  return tx.query(
    `SELECT id, ${columns.join(", ")} FROM ${table}
      WHERE ${columns.map((column) => `(${column} IS NOT NULL AND ${column} NOT LIKE 'ov1.%')`).join(" OR ")}
      ORDER BY id LIMIT ${Number(limit)} FOR UPDATE`,
  );
}

/** Seals the plain values of one older row in place. */
export async function sealRowInPlace(tx: Queryable, table: keyof typeof SEALED_TABLES, row: Record<string, unknown>): Promise<void> {
  const columns = SEALED[table].filter((column) => typeof row[column] === "string" && !isSealed(row[column] as string));
  if (!columns.length) return;
  await tx.query(
    `UPDATE ${table} SET ${columns.map((column, i) => `${column} = $${i + 2}`).join(", ")} WHERE id = $1`,
    [row.id, ...columns.map((column) => sealText(row[column] as string))],
  );
}

export const SEALED_TABLES = { cases: true, case_people: true, case_events: true, case_officers: true } as const;

/**
 * Closed cases whose contact details are past retention: closed before
 * `closedBefore`, not under a legal hold, not already cleared. Locked, so two
 * sweeps never clear the same case twice.
 */
export async function casesPastContactRetention(tx: Queryable, closedBefore: string, limit: number): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(
    `SELECT id FROM cases
      WHERE closed_at IS NOT NULL AND closed_at < $1::timestamptz AND contact_deleted_at IS NULL AND NOT legal_hold
        AND state IN ('closed', 'closed_no_finding', 'referred_out')
      ORDER BY closed_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [closedBefore, limit],
  );
  return rows.map((row) => row.id);
}

/**
 * Deletes the ways to reach everyone on a case (email, phone, address, witness
 * contact); names stay with the case file. Returns the people rows it changed.
 */
export async function deleteContactDetails(tx: Queryable, caseId: string, at: string): Promise<string[]> {
  const people = await tx.query<{ id: string }>("UPDATE case_people SET email = NULL, phone = NULL, address = NULL, notes = NULL, contact_ok = false WHERE case_id = $1 RETURNING id", [caseId]);
  await tx.query("UPDATE cases SET contact_deleted_at = $2::timestamptz, updated_at = now() WHERE id = $1", [caseId, at]);
  return people.map((row) => row.id);
}
