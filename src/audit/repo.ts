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

/**
 * A table whose rows the audit log vouches for: each write records a digest of
 * the rows it left. The module that owns the table names it (this base layer
 * knows no feature's tables): `key` lists its primary key's columns, all of
 * type `keyType`. A row is named by its key's values joined with "/".
 */
export interface VouchedTable {
  name: string;
  key: readonly string[];
  keyType: "uuid" | "text";
}

/** One row of a vouched-for table, by its key (values joined with "/" for a key of several columns). */
export interface RowRef {
  table: VouchedTable;
  id: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Table and column names go into SQL text only after this check. */
function checked(table: VouchedTable): VouchedTable {
  if (!IDENTIFIER.test(table.name) || table.key.length === 0 || !table.key.every((column) => IDENTIFIER.test(column)) || !["uuid", "text"].includes(table.keyType)) {
    throw new TypeError(`not a table the audit log can vouch for: ${JSON.stringify(table)}`);
  }
  return table;
}

/** The row's name as SQL: its key's values as text, joined with "/". */
const keyText = (table: VouchedTable) => (table.key.length === 1 ? `t.${table.key[0]}::text` : `concat_ws('/', ${table.key.map((column) => `t.${column}::text`).join(", ")})`);
const keyValues = (table: VouchedTable, id: string) => (table.key.length === 1 ? [id] : id.split("/"));

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

/**
 * The digests of some rows as they stand inside the caller's transaction, in
 * one statement whatever the number of rows and tables: a map from
 * `table\u0000id` (the id as the database spells it) to the digest. Rows that do
 * not exist are absent from the map.
 */
export async function rowDigests(tx: Queryable, rows: readonly RowRef[]): Promise<Map<string, { table: string; id: string; digest: string }>> {
  const byTable = new Map<string, { table: VouchedTable; ids: Set<string> }>();
  for (const row of rows) {
    const table = checked(row.table);
    const group = byTable.get(table.name) ?? { table, ids: new Set<string>() };
    group.ids.add(row.id);
    byTable.set(table.name, group);
  }
  const params: unknown[] = [];
  const selects = [...byTable.values()].map(({ table, ids }) => {
    const columns = table.key.map((_, i) => {
      params.push([...ids].map((id) => keyValues(table, id)[i] ?? null));
      return `$${params.length}::${table.keyType}[]`;
    });
    return `SELECT '${table.name}' AS tbl, ${keyText(table)} AS id, ${ROW_DIGEST} AS digest FROM ${table.name} t
             WHERE (${table.key.map((column) => `t.${column}`).join(", ")}) IN (SELECT * FROM unnest(${columns.join(", ")}))`;
  });
  const found = new Map<string, { table: string; id: string; digest: string }>();
  if (selects.length === 0) return found;
  const result = await inUtc(tx, () => tx.query<{ tbl: string; id: string; digest: string }>(selects.join("\n UNION ALL "), params));
  for (const row of result) found.set(`${row.tbl}\u0000${row.id}`, { table: row.tbl, id: row.id, digest: row.digest });
  return found;
}

/** The digest of one row as it stands inside the caller's transaction; undefined when there is no such row. */
export async function rowDigest(tx: Queryable, table: VouchedTable, id: string): Promise<string | undefined> {
  const [row] = (await rowDigests(tx, [{ table, id }])).values();
  return row?.digest;
}

/**
 * A page of rows' names and digests in key order, after the row named `afterId`
 * (null: from the start). Call inside a transaction.
 */
export async function rowDigestPage(tx: Queryable, vouched: VouchedTable, afterId: string | null, limit: number): Promise<{ id: string; digest: string }[]> {
  const table = checked(vouched);
  const key = table.key.map((column) => `t.${column}`).join(", ");
  const after = afterId === null ? "" : `WHERE (${key}) > (${table.key.map((_, i) => `$${i + 2}::${table.keyType}`).join(", ")})`;
  return inUtc(tx, () =>
    tx.query<{ id: string; digest: string }>(
      `SELECT ${keyText(table)} AS id, ${ROW_DIGEST} AS digest FROM ${table.name} t ${after} ORDER BY ${key} LIMIT $1`,
      [limit, ...(afterId === null ? [] : keyValues(table, afterId))],
    ),
  );
}

/** Makes the caller's transaction read one snapshot throughout (its first statement). */
export async function readOneSnapshot(tx: Queryable): Promise<void> {
  await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
}
