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
}

const CASE_COLUMNS = `id, case_number, receipt_hash, state, channel, language, anonymous, third_party, incident_date, incident_time,
  location, district, narrative, received_at, acknowledged_at, first_contact_at, classified_at, closed_at, closed_reason, assigned_to, published_complaint`;

export async function nextCaseNumber(tx: Queryable, year: number): Promise<string> {
  const [row] = await tx.query<{ n: number }>("SELECT nextval('case_number_seq')::int AS n");
  return `OV-${year}-${String(row.n).padStart(6, "0")}`;
}

export async function insertCase(tx: Queryable, v: Record<string, unknown>): Promise<string> {
  const columns = Object.keys(v);
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO cases (${columns.join(", ")}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(", ")}) RETURNING id`,
    columns.map((column) => v[column]),
  );
  return row.id;
}

export async function insertRow(tx: Queryable, table: "case_people" | "case_officers" | "case_allegations" | "case_events" | "case_tolling" | "referrals", v: Record<string, unknown>): Promise<string> {
  const columns = Object.keys(v);
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(", ")}) RETURNING id`,
    columns.map((column) => v[column]),
  );
  return row.id;
}

export async function findCaseByNumber(tx: Queryable, caseNumber: string): Promise<CaseRow | undefined> {
  const [row] = await tx.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases WHERE case_number = $1`, [caseNumber.toUpperCase()]);
  return row;
}

export async function findCase(tx: Queryable, id: string, lock = false): Promise<CaseRow | undefined> {
  const [row] = await tx.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases WHERE id = $1${lock ? " FOR UPDATE" : ""}`, [id]);
  return row;
}

export async function updateCase(tx: Queryable, id: string, v: Record<string, unknown>): Promise<void> {
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

export function eventsOf(tx: Queryable, caseId: string, onlyVisible = false): Promise<EventRow[]> {
  return tx.query<EventRow>(
    `SELECT id, at, actor, kind, from_state, to_state, body, visible_to_complainant, subject_user FROM case_events
      WHERE case_id = $1 ${onlyVisible ? "AND visible_to_complainant" : ""} ORDER BY at, id`,
    [caseId],
  );
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

export function officersOf(tx: Queryable, caseId: string): Promise<OfficerRow[]> {
  return tx.query<OfficerRow>("SELECT id, person_id, name, badge, vehicle, description FROM case_officers WHERE case_id = $1 ORDER BY id", [caseId]);
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

export function peopleOf(tx: Queryable, caseId: string): Promise<PersonRow[]> {
  return tx.query<PersonRow>("SELECT id, role, name, email, phone, address, contact_ok, notes FROM case_people WHERE case_id = $1 ORDER BY role, id", [caseId]);
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
