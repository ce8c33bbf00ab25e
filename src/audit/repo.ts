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

/** Tables whose rows the audit log vouches for: each write records a digest of the row it left. */
export type HashedTable = "cases";
export const HASHED_TABLES: readonly HashedTable[] = ["cases"];

/**
 * SHA-256 of a row's canonical text: jsonb (keys in a fixed order, whatever the
 * column order) without its null fields (so adding a nullable column leaves
 * every digest as it was), encoded as UTF-8. Time stamps are rendered in UTC,
 * whatever the session's time zone, so PGlite and PostgreSQL agree.
 */
const ROW_DIGEST = "encode(sha256(convert_to(jsonb_strip_nulls(to_jsonb(t))::text, 'UTF8')), 'hex')";

/** Runs fn with the time zone set to UTC (local to the caller's transaction), then sets it back. */
async function inUtc<T>(tx: Queryable, fn: () => Promise<T>): Promise<T> {
  const [{ tz }] = await tx.query<{ tz: string }>("SELECT current_setting('TimeZone') AS tz");
  await tx.query("SELECT set_config('TimeZone', 'UTC', true)");
  try {
    return await fn();
  } finally {
    await tx.query("SELECT set_config('TimeZone', $1, true)", [tz]);
  }
}

/** The digest of one row as it stands inside the caller's transaction; undefined when there is no such row. */
export async function rowDigest(tx: Queryable, table: HashedTable, id: string): Promise<string | undefined> {
  const [row] = await inUtc(tx, () => tx.query<{ digest: string }>(`SELECT ${ROW_DIGEST} AS digest FROM ${HASHED_TABLE_SQL[table]} t WHERE id = $1`, [id]));
  return row?.digest;
}

/** A page of rows' digests in id order, after `afterId` (null: from the start). Call inside a transaction. */
export async function rowDigestPage(tx: Queryable, table: HashedTable, afterId: string | null, limit: number): Promise<{ id: string; digest: string }[]> {
  return inUtc(tx, () =>
    tx.query<{ id: string; digest: string }>(
      `SELECT id::text AS id, ${ROW_DIGEST} AS digest FROM ${HASHED_TABLE_SQL[table]} t WHERE $1::uuid IS NULL OR id > $1::uuid ORDER BY id LIMIT $2`,
      [afterId, limit],
    ),
  );
}

// Table names go into SQL text only from this list.
const HASHED_TABLE_SQL: Record<HashedTable, string> = { cases: "cases" };

/** Makes the caller's transaction read one snapshot throughout (its first statement). */
export async function readOneSnapshot(tx: Queryable): Promise<void> {
  await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
}
