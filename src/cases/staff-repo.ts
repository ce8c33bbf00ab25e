import type { Queryable } from "../db/db.js";

export async function boardPanel(tx: Queryable, caseId: string): Promise<string[] | null> {
  const [row] = await tx.query<{ members: string[] }>("SELECT members FROM board_panels WHERE case_id = $1", [caseId]);
  return row?.members ?? null;
}

/**
 * Whether a board member may read the case: they sit on its panel and have not
 * recused (a recusal, on any allegation, is from the whole case).
 */
export async function readsAsPanelMember(tx: Queryable, caseId: string, memberId: string): Promise<boolean> {
  const [row] = await tx.query<{ ok: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM board_panels p WHERE p.case_id = $1 AND $2::uuid = ANY (p.members))
        AND NOT EXISTS (SELECT 1 FROM board_votes v WHERE v.case_id = $1 AND v.member_id = $2::uuid AND v.recused) AS ok`,
    [caseId, memberId],
  );
  return row?.ok === true;
}

export async function setBoardPanel(tx: Queryable, caseId: string, members: string[]): Promise<void> {
  await tx.query(
    "INSERT INTO board_panels (case_id, members) VALUES ($1, $2::uuid[]) ON CONFLICT (case_id) DO UPDATE SET members = EXCLUDED.members",
    [caseId, members],
  );
}

export async function usersWithRole(tx: Queryable, ids: string[], role: string): Promise<string[]> {
  const rows = await tx.query<{ id: string }>("SELECT id FROM users WHERE id = ANY($1::uuid[]) AND role = $2 AND disabled_at IS NULL", [ids, role]);
  return rows.map((row) => row.id);
}

export async function upsertVote(tx: Queryable, v: { caseId: string; allegationId: string; memberId: string; vote: string | null; recused: boolean; reason: string | null }): Promise<void> {
  await tx.query(
    `INSERT INTO board_votes (case_id, allegation_id, member_id, vote, recused, reason) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (allegation_id, member_id) DO UPDATE SET vote = EXCLUDED.vote, recused = EXCLUDED.recused, reason = EXCLUDED.reason, at = now()`,
    [v.caseId, v.allegationId, v.memberId, v.vote, v.recused, v.reason],
  );
}

export function votesFor(tx: Queryable, caseId: string) {
  return tx.query<{ allegation_id: string; member_id: string; vote: string | null; recused: boolean; reason: string | null }>(
    "SELECT allegation_id, member_id, vote, recused, reason FROM board_votes WHERE case_id = $1",
    [caseId],
  );
}

export async function updateAllegation(tx: Queryable, caseId: string, allegationId: string, v: Record<string, unknown>): Promise<boolean> {
  const columns = Object.keys(v);
  const rows = await tx.query(
    `UPDATE case_allegations SET ${columns.map((column, i) => `${column} = $${i + 3}`).join(", ")} WHERE case_id = $1 AND id = $2 RETURNING 1`,
    [caseId, allegationId, ...columns.map((column) => v[column])],
  );
  return rows.length > 0;
}

export async function identifyOfficer(tx: Queryable, caseId: string, caseOfficerId: string, personId: string | null): Promise<boolean> {
  const rows = await tx.query("UPDATE case_officers SET person_id = $3 WHERE case_id = $1 AND id = $2 RETURNING 1", [caseId, caseOfficerId, personId]);
  return rows.length > 0;
}

export async function endTolling(tx: Queryable, caseId: string, tollingId: string, endsOn: string): Promise<boolean> {
  const rows = await tx.query("UPDATE case_tolling SET ends_on = $3 WHERE case_id = $1 AND id = $2 AND ends_on IS NULL RETURNING 1", [caseId, tollingId, endsOn]);
  return rows.length > 0;
}

/** Open cases whose allegations of force, misconduct or a death name this person. */
export function openCasesAgainst(tx: Queryable, personId: string) {
  return tx.query<{ case_id: string; categories: string[] }>(
    `SELECT c.id AS case_id, array_agg(DISTINCT a.category) AS categories
       FROM cases c JOIN case_officers o ON o.case_id = c.id JOIN case_allegations a ON a.case_id = c.id AND (a.case_officer_id = o.id OR a.case_officer_id IS NULL)
      WHERE o.person_id = $1 AND c.state NOT IN ('closed', 'closed_no_finding', 'referred_out')
      GROUP BY c.id`,
    [personId],
  );
}

export async function insertFlag(tx: Queryable, v: { personId: string; caseId: string; reportedOn: string; reasons: string }): Promise<string> {
  const [row] = await tx.query<{ id: string }>(
    "INSERT INTO reinstatement_flags (person_id, case_id, reported_on, reasons) VALUES ($1, $2, $3, $4) RETURNING id",
    [v.personId, v.caseId, v.reportedOn, v.reasons],
  );
  return row.id;
}

export function listFlags(tx: Queryable) {
  return tx.query<{ id: string; person_id: string; full_name: string; case_id: string; case_number: string; reported_on: string; reasons: string }>(
    `SELECT f.id, f.person_id, p.full_name, f.case_id, c.case_number, f.reported_on, f.reasons
       FROM reinstatement_flags f JOIN people p ON p.id = f.person_id JOIN cases c ON c.id = f.case_id ORDER BY f.created_at DESC`,
  );
}

export function boardMembers(tx: Queryable): Promise<{ id: string; name: string }[]> {
  return tx.query("SELECT id, display_name AS name FROM users WHERE role = 'board_member' AND disabled_at IS NULL ORDER BY display_name");
}

/**
 * How staff accounts are named on case pages: the display name, or the email
 * when the name is blank. Disabled accounts keep their name, since history
 * must still say who did what.
 */
export async function staffNames(tx: Queryable, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.query<{ id: string; name: string }>(
    "SELECT id, COALESCE(NULLIF(btrim(display_name), ''), email) AS name FROM users WHERE id = ANY($1::uuid[])",
    [ids],
  );
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** Roles that may be given a case to work: investigators, and admins who investigate. */
export const ASSIGNABLE_ROLES = ["investigator", "admin"] as const;

/** Active accounts a case can be assigned to, by name. */
export function assignableStaff(tx: Queryable): Promise<{ id: string; name: string; role: string }[]> {
  return tx.query(
    `SELECT id, COALESCE(NULLIF(btrim(display_name), ''), email) AS name, role FROM users
      WHERE role = ANY($1::text[]) AND disabled_at IS NULL ORDER BY lower(COALESCE(NULLIF(btrim(display_name), ''), email)), id`,
    [ASSIGNABLE_ROLES],
  );
}

export interface StaffAccount {
  id: string;
  name: string;
  email: string;
  role: string;
  active: boolean;
  language: string | null;
}

/** One account as the assignment rules and its email need it. */
export async function staffAccount(tx: Queryable, id: string): Promise<StaffAccount | undefined> {
  return (await staffAccounts(tx, [id])).get(id);
}

/** Several accounts in one query, by id. */
export async function staffAccounts(tx: Queryable, ids: string[]): Promise<Map<string, StaffAccount>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.query<StaffAccount>(
    `SELECT id, COALESCE(NULLIF(btrim(display_name), ''), email) AS name, email, role, disabled_at IS NULL AS active, language FROM users WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((row) => [row.id, row]));
}
