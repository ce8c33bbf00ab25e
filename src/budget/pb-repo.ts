/**
 * SQL for People's Budget processes: processes, proposals, the voter roll (pb_voters),
 * single-use codes (pb_codes) and ballots (pb_ballots). The only place with that SQL.
 *
 * Secret ballot: no statement here joins or correlates the voter roll or the codes with
 * the ballots, and none writes a time of voting.
 */
import type { Db, Queryable } from "../db/db.js";
import type { BallotType, ImplementationStatus, OfficialRule, Phase, ProposalStatus } from "./schema.js";

export interface ProcessRow {
  id: string;
  slug: string;
  title_en: string;
  title_es: string;
  description_en: string;
  description_es: string;
  city: string;
  currency: string;
  budget: number;
  phase: Phase;
  ballot_type: BallotType;
  pick_n: number | null;
  points_total: number | null;
  official_rule: OfficialRule;
  eligibility_zip: boolean;
  eligibility_codes: boolean;
  zips: string[];
  demo: boolean;
  sealed: boolean;
  source_file: string | null;
  source_sha256: string | null;
  source_meta: [string, string][] | null;
  source_project_columns: string[] | null;
  source_vote_columns: string[] | null;
}

export interface ProposalRow {
  id: string;
  process_id: string;
  code: string;
  position: number;
  title_en: string;
  title_es: string;
  description_en: string;
  description_es: string;
  category: string;
  location: string;
  cost: number | null;
  status: ProposalStatus;
  review_note: string | null;
  implementation: ImplementationStatus;
  implementation_note: string | null;
  source_fields: string[] | null;
}

export interface BallotRow {
  id: string;
  choices: string[];
  points: number[] | null;
  voter_group: string | null;
  source_voter_id: string | null;
  source_fields: string[] | null;
}

const PROCESS_COLUMNS = `id, slug, title_en, title_es, description_en, description_es, city, currency, budget, phase, ballot_type, pick_n, points_total,
  official_rule, eligibility_zip, eligibility_codes, zips, demo, sealed, source_file, source_sha256, source_meta, source_project_columns, source_vote_columns`;
const PROPOSAL_COLUMNS = `id, process_id, code, position, title_en, title_es, description_en, description_es, category, location, cost, status, review_note,
  implementation, implementation_note, source_fields`;

/** Arrays and JSON come back as JS values on both engines; this keeps the types honest. */
function normalizeProcess(row: ProcessRow): ProcessRow {
  return { ...row, budget: Number(row.budget), zips: parseTextArray(row.zips) };
}

/** A text[] as a JS array: drivers return arrays, but a literal "{a,b}" is handled too. */
export function parseTextArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === "string") {
    const inner = value.replace(/^\{|\}$/g, "");
    return inner === "" ? [] : inner.split(",").map((v) => v.replace(/^"|"$/g, ""));
  }
  return [];
}

function parseIntArray(value: unknown): number[] | null {
  if (value === null || value === undefined) return null;
  return parseTextArray(value).map(Number);
}

export async function insertProcess(tx: Queryable, p: Omit<ProcessRow, "id" | "sealed">): Promise<string> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO pb_processes (slug, title_en, title_es, description_en, description_es, city, currency, budget, phase, ballot_type, pick_n, points_total,
       official_rule, eligibility_zip, eligibility_codes, zips, demo, source_file, source_sha256, source_meta, source_project_columns, source_vote_columns)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::text[], $17, $18, $19, $20::jsonb, $21::jsonb, $22::jsonb) RETURNING id`,
    [
      p.slug, p.title_en, p.title_es, p.description_en, p.description_es, p.city, p.currency, p.budget, p.phase, p.ballot_type, p.pick_n, p.points_total,
      p.official_rule, p.eligibility_zip, p.eligibility_codes, p.zips, p.demo, p.source_file, p.source_sha256,
      p.source_meta === null ? null : JSON.stringify(p.source_meta),
      p.source_project_columns === null ? null : JSON.stringify(p.source_project_columns),
      p.source_vote_columns === null ? null : JSON.stringify(p.source_vote_columns),
    ],
  );
  return row.id;
}

export async function updateProcessSettings(tx: Queryable, id: string, p: Pick<ProcessRow, "title_en" | "title_es" | "description_en" | "description_es" | "city" | "currency" | "budget" | "ballot_type" | "pick_n" | "points_total" | "official_rule" | "eligibility_zip" | "eligibility_codes" | "zips">): Promise<void> {
  await tx.query(
    `UPDATE pb_processes SET title_en = $2, title_es = $3, description_en = $4, description_es = $5, city = $6, currency = $7, budget = $8, ballot_type = $9,
       pick_n = $10, points_total = $11, official_rule = $12, eligibility_zip = $13, eligibility_codes = $14, zips = $15::text[] WHERE id = $1`,
    [id, p.title_en, p.title_es, p.description_en, p.description_es, p.city, p.currency, p.budget, p.ballot_type, p.pick_n, p.points_total, p.official_rule, p.eligibility_zip, p.eligibility_codes, p.zips],
  );
}

export async function listProcesses(db: Queryable): Promise<ProcessRow[]> {
  const rows = await db.query<ProcessRow>(`SELECT ${PROCESS_COLUMNS} FROM pb_processes ORDER BY created_at DESC, slug`);
  return rows.map(normalizeProcess);
}

export async function findProcess(db: Queryable, idOrSlug: string): Promise<ProcessRow | null> {
  const byId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(idOrSlug);
  const [row] = await db.query<ProcessRow>(`SELECT ${PROCESS_COLUMNS} FROM pb_processes WHERE ${byId ? "id = $1::uuid" : "slug = $1"}`, [idOrSlug]);
  return row ? normalizeProcess(row) : null;
}

/** Locks the process row: phase changes take it FOR UPDATE, ballots FOR SHARE, so none is cast across a close. */
export async function lockProcess(tx: Queryable, id: string, mode: "update" | "share"): Promise<ProcessRow | null> {
  const [row] = await tx.query<ProcessRow>(`SELECT ${PROCESS_COLUMNS} FROM pb_processes WHERE id = $1 FOR ${mode === "update" ? "UPDATE" : "SHARE"}`, [id]);
  return row ? normalizeProcess(row) : null;
}

export async function slugTaken(db: Queryable, slug: string): Promise<boolean> {
  return (await db.query("SELECT 1 FROM pb_processes WHERE slug = $1", [slug])).length > 0;
}

export async function setPhase(tx: Queryable, id: string, phase: Phase): Promise<void> {
  await tx.query("UPDATE pb_processes SET phase = $2 WHERE id = $1", [id, phase]);
}

// Proposals -----------------------------------------------------------------------------

export async function listProposals(db: Queryable, processId: string): Promise<ProposalRow[]> {
  const rows = await db.query<ProposalRow>(`SELECT ${PROPOSAL_COLUMNS} FROM pb_proposals WHERE process_id = $1 ORDER BY position`, [processId]);
  return rows.map((row) => ({ ...row, cost: row.cost === null ? null : Number(row.cost) }));
}

export async function findProposal(db: Queryable, processId: string, id: string): Promise<ProposalRow | null> {
  const [row] = await db.query<ProposalRow>(`SELECT ${PROPOSAL_COLUMNS} FROM pb_proposals WHERE process_id = $1 AND id = $2`, [processId, id]);
  return row ? { ...row, cost: row.cost === null ? null : Number(row.cost) } : null;
}

export async function nextProposalPosition(tx: Queryable, processId: string): Promise<{ position: number; codes: Set<string> }> {
  const rows = await tx.query<{ position: number; code: string }>("SELECT position, code FROM pb_proposals WHERE process_id = $1", [processId]);
  return { position: rows.reduce((max, r) => Math.max(max, Number(r.position)), 0) + 1, codes: new Set(rows.map((r) => r.code)) };
}

export type NewProposal = Omit<ProposalRow, "id" | "process_id" | "implementation" | "implementation_note">;

export async function insertProposal(tx: Queryable, processId: string, p: NewProposal): Promise<string> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO pb_proposals (process_id, code, position, title_en, title_es, description_en, description_es, category, location, cost, status, review_note, source_fields)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb) RETURNING id`,
    [processId, p.code, p.position, p.title_en, p.title_es, p.description_en, p.description_es, p.category, p.location, p.cost, p.status, p.review_note, p.source_fields === null ? null : JSON.stringify(p.source_fields)],
  );
  return row.id;
}

/** Many proposals in one statement (imports); returns their ids in input order. */
export async function insertProposals(tx: Queryable, processId: string, proposals: readonly NewProposal[]): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < proposals.length; start += 200) {
    const chunk = proposals.slice(start, start + 200);
    const params: unknown[] = [processId];
    const values = chunk.map((p) => {
      const base = params.length;
      params.push(p.code, p.position, p.title_en, p.title_es, p.description_en, p.description_es, p.category, p.location, p.cost, p.status, p.review_note, p.source_fields === null ? null : JSON.stringify(p.source_fields));
      return `($1, ${Array.from({ length: 12 }, (_, i) => `$${base + i + 1}${i === 11 ? "::jsonb" : ""}`).join(", ")})`;
    });
    const rows = await tx.query<{ id: string; position: number }>(
      `INSERT INTO pb_proposals (process_id, code, position, title_en, title_es, description_en, description_es, category, location, cost, status, review_note, source_fields)
       VALUES ${values.join(", ")} RETURNING id, position`,
      params,
    );
    const byPosition = new Map(rows.map((r) => [Number(r.position), r.id]));
    for (const p of chunk) ids.push(byPosition.get(p.position)!);
  }
  return ids;
}

export async function updateProposal(tx: Queryable, id: string, p: Pick<ProposalRow, "title_en" | "title_es" | "description_en" | "description_es" | "category" | "location" | "cost" | "status" | "review_note">): Promise<void> {
  await tx.query(
    `UPDATE pb_proposals SET title_en = $2, title_es = $3, description_en = $4, description_es = $5, category = $6, location = $7, cost = $8, status = $9, review_note = $10 WHERE id = $1`,
    [id, p.title_en, p.title_es, p.description_en, p.description_es, p.category, p.location, p.cost, p.status, p.review_note],
  );
}

export async function updateImplementation(tx: Queryable, id: string, implementation: ImplementationStatus, note: string | null): Promise<void> {
  await tx.query("UPDATE pb_proposals SET implementation = $2, implementation_note = $3 WHERE id = $1", [id, implementation, note]);
}

// Voter roll (email) -------------------------------------------------------------------------

export interface VoterRow {
  id: string;
  process_id: string;
  zip: string | null;
  voted: boolean;
  expired: boolean;
}

export async function findVoterByEmail(tx: Queryable, processId: string, emailHmac: string): Promise<VoterRow | null> {
  const [row] = await tx.query<VoterRow>("SELECT id, process_id, zip, voted, token_expires_at <= now() AS expired FROM pb_voters WHERE process_id = $1 AND email_hmac = $2 FOR UPDATE", [processId, emailHmac]);
  return row ?? null;
}

export async function insertVoter(tx: Queryable, v: { processId: string; emailHmac: string; zip: string; tokenHash: string; expiresAt: string }): Promise<string> {
  const [row] = await tx.query<{ id: string }>(
    "INSERT INTO pb_voters (process_id, email_hmac, zip, token_hash, token_expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    [v.processId, v.emailHmac, v.zip, v.tokenHash, v.expiresAt],
  );
  return row.id;
}

export async function renewVoterToken(tx: Queryable, id: string, zip: string, tokenHash: string, expiresAt: string): Promise<void> {
  await tx.query("UPDATE pb_voters SET zip = $2, token_hash = $3, token_expires_at = $4 WHERE id = $1 AND NOT voted", [id, zip, tokenHash, expiresAt]);
}

export async function findVoterByToken(db: Queryable, processId: string, tokenHash: string): Promise<VoterRow | null> {
  const [row] = await db.query<VoterRow>("SELECT id, process_id, zip, voted, token_expires_at <= now() AS expired FROM pb_voters WHERE process_id = $1 AND token_hash = $2", [processId, tokenHash]);
  return row ?? null;
}

/**
 * Marks the voter as having voted, once: returns the ZIP (the ballot's group) or null when the
 * token is unknown, expired or already used. Clears the ZIP from the roll at the same time.
 */
export async function markVoterVoted(tx: Queryable, processId: string, tokenHash: string): Promise<{ zip: string | null } | null> {
  // FOR UPDATE: a second, concurrent cast waits here and then finds the row already voted.
  const [row] = await tx.query<{ id: string; zip: string | null }>(
    "SELECT id, zip FROM pb_voters WHERE process_id = $1 AND token_hash = $2 AND NOT voted AND token_expires_at > now() FOR UPDATE",
    [processId, tokenHash],
  );
  if (!row) return null;
  await tx.query("UPDATE pb_voters SET voted = true, zip = NULL WHERE id = $1", [row.id]);
  return { zip: row.zip };
}

// Codes -------------------------------------------------------------------------------------

export async function insertCodes(db: Db, tx: Queryable, processId: string, batch: string, hmacs: readonly string[]): Promise<void> {
  await db.copyRows(tx, "pb_codes", ["process_id", "code_hmac", "batch"], hmacs.map((h) => [processId, h, batch]));
}

export async function findCode(db: Queryable, processId: string, codeHmac: string): Promise<{ batch: string; used: boolean } | null> {
  const [row] = await db.query<{ batch: string; used: boolean }>("SELECT batch, used FROM pb_codes WHERE process_id = $1 AND code_hmac = $2", [processId, codeHmac]);
  return row ?? null;
}

/** Uses the code, once: returns its batch (the ballot's group), or null if unknown or used. */
export async function useCode(tx: Queryable, processId: string, codeHmac: string): Promise<{ batch: string } | null> {
  const [row] = await tx.query<{ batch: string }>("UPDATE pb_codes SET used = true WHERE process_id = $1 AND code_hmac = $2 AND NOT used RETURNING batch", [processId, codeHmac]);
  return row ?? null;
}

export async function codeCounts(db: Queryable, processId: string): Promise<{ batch: string; total: number; used: number }[]> {
  const rows = await db.query<{ batch: string; total: number; used: number }>(
    "SELECT batch, COUNT(*) AS total, COUNT(*) FILTER (WHERE used) AS used FROM pb_codes WHERE process_id = $1 GROUP BY batch ORDER BY batch",
    [processId],
  );
  return rows.map((r) => ({ batch: r.batch, total: Number(r.total), used: Number(r.used) }));
}

export async function turnout(db: Queryable, processId: string): Promise<{ emailVoted: number; codesUsed: number; ballots: number }> {
  const [row] = await db.query<{ email_voted: number; codes_used: number; ballots: number }>(
    `SELECT (SELECT COUNT(*) FROM pb_voters WHERE process_id = $1 AND voted) AS email_voted,
            (SELECT COUNT(*) FROM pb_codes WHERE process_id = $1 AND used) AS codes_used,
            (SELECT COUNT(*) FROM pb_ballots WHERE process_id = $1) AS ballots`,
    [processId],
  );
  return { emailVoted: Number(row.email_voted), codesUsed: Number(row.codes_used), ballots: Number(row.ballots) };
}

// Ballots -------------------------------------------------------------------------------------

const uuidArray = (ids: readonly string[]) => `{${ids.join(",")}}`;
const intArray = (values: readonly number[]) => `{${values.join(",")}}`;

export async function insertBallot(tx: Queryable, processId: string, choices: readonly string[], points: readonly number[] | null, group: string | null): Promise<void> {
  // No RETURNING: the caller does not learn the ballot's id, so it cannot log or audit it.
  await tx.query("INSERT INTO pb_ballots (process_id, choices, points, voter_group) VALUES ($1, $2::uuid[], $3::integer[], $4)", [
    processId, uuidArray(choices), points === null ? null : intArray(points), group,
  ]);
}

export interface ImportedBallot {
  choices: readonly string[];
  points: readonly number[] | null;
  group: string | null;
  sourceVoterId: string;
  sourceFields: readonly string[] | null;
  position: number;
}

/** Bulk-loads imported ballots with COPY (a city-wide election in seconds). */
export async function copyBallots(db: Db, tx: Queryable, processId: string, ballots: readonly ImportedBallot[]): Promise<void> {
  await db.copyRows(
    tx,
    "pb_ballots",
    ["process_id", "choices", "points", "voter_group", "source_voter_id", "source_fields", "source_position"],
    ballots.map((b) => [processId, uuidArray(b.choices), b.points === null ? null : intArray(b.points), b.group, b.sourceVoterId, b.sourceFields === null ? null : JSON.stringify(b.sourceFields), b.position]),
  );
}

/**
 * Every ballot of a process: imported ones in their file order, cast ones by their random
 * id (which carries no time).
 */
export async function listBallots(db: Queryable, processId: string): Promise<BallotRow[]> {
  const rows = await db.query<BallotRow>(
    "SELECT id, choices, points, voter_group, source_voter_id, source_fields FROM pb_ballots WHERE process_id = $1 ORDER BY source_position NULLS LAST, id",
    [processId],
  );
  return rows.map((r) => ({ ...r, choices: parseTextArray(r.choices), points: parseIntArray(r.points) }));
}

export async function countBallots(db: Queryable, processId: string): Promise<number> {
  const [row] = await db.query<{ n: number }>("SELECT COUNT(*) AS n FROM pb_ballots WHERE process_id = $1", [processId]);
  return Number(row.n);
}

/**
 * Seals the ballot box at the close of voting: the cast ballots are re-written as new rows
 * with new random ids, in random order, in one statement. Afterwards no ballot row keeps the
 * transaction id (xmin) or the physical position it was written with, which could otherwise
 * be matched with the voter roll's row versions. Imported ballots are left as they are.
 */
export async function sealBallots(tx: Queryable, processId: string): Promise<number> {
  const rows = await tx.query<{ n: number }>(
    `WITH moved AS (DELETE FROM pb_ballots WHERE process_id = $1 AND source_position IS NULL RETURNING process_id, choices, points, voter_group),
          written AS (INSERT INTO pb_ballots (process_id, choices, points, voter_group)
                      SELECT process_id, choices, points, voter_group FROM moved ORDER BY random() RETURNING 1)
     SELECT COUNT(*) AS n FROM written`,
    [processId],
  );
  await tx.query("UPDATE pb_processes SET sealed = true WHERE id = $1", [processId]);
  return Number(rows[0].n);
}
