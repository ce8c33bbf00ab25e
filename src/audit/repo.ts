import type { Queryable } from "../db/db.js";

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  entry: string;
  leaf_hash: Uint8Array;
  tree_root: Uint8Array;
}

export interface AuditState {
  size: number;
  frontier: string[];
}

/** Locks the single state row so appends are serialised, and reads it. */
export async function lockState(tx: Queryable): Promise<AuditState> {
  const [row] = await tx.query<{ size: number; frontier: string[] }>(
    "SELECT size, frontier FROM audit_state WHERE id FOR UPDATE",
  );
  return { size: Number(row.size), frontier: row.frontier };
}

export async function readState(tx: Queryable): Promise<AuditState> {
  const [row] = await tx.query<{ size: number; frontier: string[] }>("SELECT size, frontier FROM audit_state WHERE id");
  return { size: Number(row.size), frontier: row.frontier };
}

export async function insertEntry(tx: Queryable, row: AuditRow, state: AuditState): Promise<void> {
  await tx.query(
    `INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, entry, leaf_hash, tree_root)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [row.seq, row.at, row.actor, row.action, row.entity, row.entity_id, row.entry, row.leaf_hash, row.tree_root],
  );
  await tx.query("UPDATE audit_state SET size = $1, frontier = $2 WHERE id", [state.size, JSON.stringify(state.frontier)]);
}

/** Many entries in one INSERT (hashes as hex, decoded by the server) and the new state. */
export async function insertEntries(tx: Queryable, rows: AuditRow[], state: AuditState): Promise<void> {
  const column = <K extends keyof AuditRow>(key: K) => rows.map((row) => row[key]);
  const hex = (key: "leaf_hash" | "tree_root") => rows.map((row) => Buffer.from(row[key]).toString("hex"));
  await tx.query(
    `INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, entry, leaf_hash, tree_root)
     SELECT r.seq, $1::timestamptz, r.actor, r.action, r.entity, r.entity_id, r.entry, decode(r.leaf, 'hex'), decode(r.root, 'hex')
       FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
         AS r(seq, actor, action, entity, entity_id, entry, leaf, root)`,
    [rows[0].at, column("seq"), column("actor"), column("action"), column("entity"), column("entity_id"), column("entry"), hex("leaf_hash"), hex("tree_root")],
  );
  await tx.query("UPDATE audit_state SET size = $1, frontier = $2 WHERE id", [state.size, JSON.stringify(state.frontier)]);
}

/**
 * Entries in order from `fromSeq`, a page at a time, so verification runs in constant memory.
 * `at` comes back as UTC with microseconds (`2026-01-02T03:04:05.123000Z`) whatever the
 * session's time zone, so it can be compared exactly with the hashed entry's `at`.
 */
export async function readEntries(tx: Queryable, fromSeq: number, limit: number): Promise<AuditRow[]> {
  const rows = await tx.query<AuditRow>(
    `SELECT seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, actor, action, entity, entity_id, entry, leaf_hash, tree_root
       FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2`,
    [fromSeq, limit],
  );
  return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
}

export async function readEntry(tx: Queryable, seq: number): Promise<AuditRow | undefined> {
  return (await readEntries(tx, seq, 1)).find((row) => row.seq === seq);
}

export async function readLeafHashes(tx: Queryable, size: number): Promise<Uint8Array[]> {
  const rows = await tx.query<{ leaf_hash: Uint8Array }>(
    "SELECT leaf_hash FROM audit_log WHERE seq < $1 ORDER BY seq",
    [size],
  );
  return rows.map((row) => row.leaf_hash);
}

/** The position of the entry with this leaf hash, if the log holds one. */
export async function findSeqByLeafHash(tx: Queryable, leafHashHex: string): Promise<number | undefined> {
  const [row] = await tx.query<{ seq: number }>("SELECT seq FROM audit_log WHERE leaf_hash = decode($1, 'hex') ORDER BY seq LIMIT 1", [leafHashHex]);
  return row ? Number(row.seq) : undefined;
}
