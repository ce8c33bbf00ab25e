import type { KeyObject } from "node:crypto";
import type { Db, Queryable } from "../db/db.js";
import { badRequest, notFound } from "../web/errors.js";
import { CompactRange, consistencyProof, emptyRoot, hashLeaf, inclusionProof, rootFromLeafHashes, verifyConsistency } from "./merkle.js";
import * as repo from "./repo.js";
import type { AuditKey } from "./signing-key.js";
import { checkSignedTreeHead, EMPTY_LOG_TIMESTAMP, signTreeHead, type SignedTreeHead, type TreeHead } from "./tree-head.js";

/** What a service records about one write. `data` must never hold complainant identity. */
export interface AuditEvent {
  actor: string;
  action: string;
  entity: string;
  entityId?: string | null;
  data?: unknown;
  /**
   * The rows this write left behind, in tables the log vouches for: their
   * digests (never their content) go into the entry's data as `rowHashes`, so
   * verifyRows can tell a row changed outside the services. One entry can vouch
   * for every row its transaction wrote. `data` must then be an object or absent.
   */
  rows?: readonly repo.RowRef[];
}

export type { RowRef, VouchedTable } from "./repo.js";

/** What an entry records about a row: which one, and the SHA-256 of its canonical text. */
export interface RowHash {
  table: string;
  id: string;
  sha256: string;
}

export interface AppendedEntry {
  seq: number;
  root: string;
}

/**
 * Appends one entry to the audit log inside the caller's transaction, so the
 * write and its record commit or roll back together.
 */
export async function appendAudit(tx: Queryable, event: AuditEvent, now = new Date()): Promise<AppendedEntry> {
  const hashed = await withRowHash(tx, event);
  const state = await repo.lockState(tx);
  const seq = state.size;
  const at = now.toISOString();
  const entry = canonicalEntry(seq, at, hashed);
  const leaf = hashLeaf(Buffer.from(entry, "utf8"));
  const tree = CompactRange.fromFrontier(state.size, state.frontier.map(fromHex));
  tree.append(leaf);
  const root = tree.root();
  await repo.insertEntry(
    tx,
    {
      seq,
      at,
      actor: hashed.actor,
      action: hashed.action,
      entity: hashed.entity,
      entity_id: hashed.entityId ?? null,
      entry,
      leaf_hash: leaf,
      tree_root: root,
    },
    { size: tree.size, frontier: tree.frontier.map(toHex) },
  );
  return { seq, root: toHex(root) };
}

/**
 * Appends many entries inside the caller's transaction: exactly the entries,
 * leaf hashes and running roots appendAudit would write one by one (so
 * verifyAuditLog checks them the same way), with one lock of the tree state, one
 * INSERT and one state update instead of three statements per entry. For hot
 * paths that write in groups (petition signing, the outbox's sent records).
 */
export async function appendAuditMany(tx: Queryable, events: readonly AuditEvent[], now = new Date()): Promise<void> {
  if (events.length === 0) return;
  const hashed: AuditEvent[] = [];
  for (const event of events) hashed.push(await withRowHash(tx, event));
  const state = await repo.lockState(tx);
  const tree = CompactRange.fromFrontier(state.size, state.frontier.map(fromHex));
  const at = now.toISOString();
  const rows = hashed.map((event): repo.AuditRow => {
    const seq = tree.size;
    const entry = canonicalEntry(seq, at, event);
    const leaf = hashLeaf(Buffer.from(entry, "utf8"));
    tree.append(leaf);
    return { seq, at, actor: event.actor, action: event.action, entity: event.entity, entity_id: event.entityId ?? null, entry, leaf_hash: leaf, tree_root: tree.root() };
  });
  await repo.insertEntries(tx, rows, { size: tree.size, frontier: tree.frontier.map(toHex) });
}

/** The event with its rows' digests added to its data, taken inside the same transaction as the write. */
async function withRowHash(tx: Queryable, event: AuditEvent): Promise<AuditEvent> {
  if (!event.rows?.length) return event;
  if (event.data !== undefined && event.data !== null && (typeof event.data !== "object" || Array.isArray(event.data))) {
    throw new TypeError("an audit event with rows must carry its data as an object");
  }
  const digests = await repo.rowDigests(tx, event.rows);
  const rowHashes: RowHash[] = [];
  const seen = new Set<string>();
  for (const { table, id } of event.rows) {
    const key = rowKey(table.name, table.keyType === "uuid" ? id.toLowerCase() : id);
    if (seen.has(key)) continue;
    seen.add(key);
    const found = digests.get(key);
    if (!found) throw new RangeError(`no ${table.name} row ${id} to record`);
    rowHashes.push({ table: table.name, id: found.id, sha256: found.digest });
  }
  return { ...event, data: { ...(event.data as object | undefined), rowHashes } };
}

/** The text that is hashed: fixed key order, so anyone can recompute it. */
export function canonicalEntry(seq: number, at: string, event: AuditEvent): string {
  return JSON.stringify({
    seq,
    at,
    actor: event.actor,
    action: event.action,
    entity: event.entity,
    entityId: event.entityId ?? null,
    data: event.data ?? null,
  });
}

export type VerifyResult =
  | { ok: true; size: number; root: string }
  | { ok: false; size: number; badSeq: number; reason: string };

const VERIFY_PAGE = 5_000;

/**
 * Recomputes every leaf hash and running root from the stored entry text and
 * compares them with what is stored; names the first entry that does not match.
 */
export async function verifyAuditLog(db: Queryable): Promise<VerifyResult> {
  const state = await repo.readState(db);
  const tree = new CompactRange();
  let expectedSeq = 0;
  for (;;) {
    const page = await repo.readEntries(db, expectedSeq, VERIFY_PAGE);
    for (const row of page) {
      const problem = checkEntry(row, expectedSeq, tree);
      if (problem) return { ok: false, size: state.size, badSeq: problem.seq, reason: problem.reason };
      expectedSeq += 1;
    }
    if (page.length < VERIFY_PAGE) break;
  }
  if (expectedSeq !== state.size) {
    return { ok: false, size: state.size, badSeq: expectedSeq, reason: `entry ${expectedSeq} is missing: the log holds ${expectedSeq} entries but its recorded size is ${state.size}` };
  }
  const root = tree.root();
  const recorded = CompactRange.fromFrontier(state.size, state.frontier.map(fromHex)).root();
  if (!root.equals(recorded)) {
    return { ok: false, size: state.size, badSeq: Math.max(0, expectedSeq - 1), reason: "the recorded tree head does not match the entries" };
  }
  return { ok: true, size: expectedSeq, root: toHex(root) };
}

/** Checks one entry and, when it is sound, appends its leaf to `tree`. */
function checkEntry(row: repo.AuditRow, expectedSeq: number, tree: CompactRange): { seq: number; reason: string } | null {
  if (row.seq !== expectedSeq) return { seq: expectedSeq, reason: `entry ${expectedSeq} is missing` };
  let parsed: { seq?: unknown; at?: unknown; actor?: unknown; action?: unknown; entity?: unknown; entityId?: unknown };
  try {
    parsed = JSON.parse(row.entry);
  } catch {
    return { seq: row.seq, reason: `entry ${row.seq} is not valid JSON` };
  }
  // Every column that repeats a hashed field must equal it: otherwise a reader of
  // the columns (the pages, a query) would see something the hash never vouched for.
  const columnsMatch =
    parsed.seq === row.seq && microsecondInstant(parsed.at) === row.at && parsed.actor === row.actor &&
    parsed.action === row.action && parsed.entity === row.entity && (parsed.entityId ?? null) === row.entity_id;
  if (!columnsMatch) return { seq: row.seq, reason: `entry ${row.seq}: its columns differ from the hashed entry` };
  const leaf = hashLeaf(Buffer.from(row.entry, "utf8"));
  if (!leaf.equals(Buffer.from(row.leaf_hash))) {
    return { seq: row.seq, reason: `entry ${row.seq}: its content does not match its leaf hash` };
  }
  tree.append(leaf);
  const root = tree.root();
  if (!root.equals(Buffer.from(row.tree_root))) {
    return { seq: row.seq, reason: `entry ${row.seq}: the tree root after it does not match` };
  }
  return null;
}

/** The hashed `at` (a JavaScript ISO instant, milliseconds) in the form readEntries gives the column. */
function microsecondInstant(at: unknown): string | null {
  return typeof at === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(at) ? `${at.slice(0, -1)}000Z` : null;
}

export async function currentTreeHead(db: Queryable): Promise<{ size: number; root: string }> {
  const state = await repo.readState(db);
  return { size: state.size, root: toHex(CompactRange.fromFrontier(state.size, state.frontier.map(fromHex)).root()) };
}

/**
 * The tree head when the log had `size` entries: the running root stored with
 * entry size-1 and that entry's hashed time. The same size always gives the
 * same head, and so (Ed25519 being deterministic) the same signature.
 */
export async function treeHeadAt(db: Queryable, size: number): Promise<TreeHead> {
  if (size === 0) return { size, root: toHex(emptyRoot()), timestamp: EMPTY_LOG_TIMESTAMP };
  const last = await repo.readEntry(db, size - 1);
  if (!last) throw new RangeError(`the log has no entry ${size - 1}`);
  return { size, root: toHex(last.tree_root), timestamp: String(JSON.parse(last.entry).at) };
}

/** The log's current tree head, signed with the audit key. */
export async function signedTreeHead(db: Queryable, key: AuditKey): Promise<SignedTreeHead> {
  const { size } = await repo.readState(db);
  return signTreeHead(key, await treeHeadAt(db, size));
}

export interface InclusionAnswer {
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  /** RFC 6962 audit path: sibling hashes (hex) from the leaf upwards. */
  auditPath: string[];
}

/**
 * RFC 6962/9162 inclusion proof for the entry at `seq` (or with leaf hash
 * `leafHash`) in the tree of `size` entries (default: the current size).
 * Refuses, naming the parameter, a position or size the log does not have.
 */
export async function inclusionProofFor(db: Queryable, query: { seq?: number; leafHash?: string; size?: number }): Promise<InclusionAnswer> {
  const current = (await repo.readState(db)).size;
  const size = query.size ?? current;
  if (size < 1 || size > current) throw badRequest(`size: must be between 1 and the log's size, ${current}`);
  let seq = query.seq;
  if (seq === undefined) {
    if (query.leafHash === undefined) throw badRequest("seq: give the entry's position (seq) or its leaf hash (hash)");
    seq = await repo.findSeqByLeafHash(db, query.leafHash);
    if (seq === undefined) throw notFound();
  }
  if (seq >= size) throw badRequest(`seq: must be less than size (${size})`);
  const leaves = await repo.readLeafHashes(db, size);
  return { leafIndex: seq, treeSize: size, leafHash: toHex(leaves[seq]), auditPath: inclusionProof(leaves, seq).map(toHex) };
}

export interface ConsistencyAnswer {
  first: number;
  second: number;
  /** RFC 6962 consistency proof: node hashes (hex). */
  consistency: string[];
}

/** RFC 6962/9162 consistency proof between the tree of `first` entries and the tree of `second`. */
export async function consistencyProofFor(db: Queryable, first: number, second: number): Promise<ConsistencyAnswer> {
  const current = (await repo.readState(db)).size;
  if (second < 1 || second > current) throw badRequest(`second: must be between 1 and the log's size, ${current}`);
  if (first < 1 || first > second) throw badRequest(`first: must be between 1 and second (${second})`);
  const leaves = await repo.readLeafHashes(db, second);
  return { first, second, consistency: consistencyProof(leaves, first).map(toHex) };
}

export type AgainstResult =
  | { ok: true; savedSize: number; size: number; root: string }
  | { ok: false; reason: string };

/**
 * Checks that the log still vouches for a head saved earlier: the head's
 * signature under `publicKey`, every entry as verifyAuditLog checks it, then a
 * consistency proof from the saved size to the current size over leaf hashes
 * recomputed from the stored entry text. A truncated log (fewer entries than
 * the saved head) and a rewritten past (even with every hash recomputed) fail.
 */
export async function verifyAgainstHead(db: Db, saved: unknown, publicKey: KeyObject): Promise<AgainstResult> {
  const check = checkSignedTreeHead(saved, publicKey);
  if (!check.ok) return check;
  const head = check.head;
  const log = await verifyAuditLog(db);
  if (!log.ok) return { ok: false, reason: `entry ${log.badSeq}: ${log.reason}` };
  if (log.size < head.size) {
    return { ok: false, reason: `the log holds ${log.size} entries but the saved head vouched for ${head.size}: entries were removed` };
  }
  const leaves = await recomputedLeaves(db, log.size);
  const root = rootFromLeafHashes(leaves);
  const extends_ =
    head.size === 0
      ? head.root === toHex(emptyRoot())
      : verifyConsistency(head.size, log.size, fromHex(head.root), root, consistencyProof(leaves, head.size));
  if (!extends_) {
    return { ok: false, reason: `the log does not extend the saved head of ${head.size} entries (root ${head.root}): its first ${head.size} entries were changed` };
  }
  return { ok: true, savedSize: head.size, size: log.size, root: toHex(root) };
}

/** Leaf hashes computed from the entry text, never read from the leaf_hash column. */
async function recomputedLeaves(db: Queryable, size: number): Promise<Buffer[]> {
  const leaves: Buffer[] = [];
  while (leaves.length < size) {
    const page = await repo.readEntries(db, leaves.length, Math.min(VERIFY_PAGE, size - leaves.length));
    if (page.length === 0) break;
    for (const row of page) leaves.push(hashLeaf(Buffer.from(row.entry, "utf8")));
  }
  return leaves;
}

export interface RowProblem {
  table: string;
  id: string;
  /** Plain words, with the entry's position where one is involved; never the row's content. */
  reason: string;
}

export type RowsResult =
  | { ok: true; rows: number; size: number }
  | { ok: false; rows: number; size: number; problems: RowProblem[]; logProblem?: string };

const ROW_PAGE = 1_000;
/** Rows vouched for by one entry of recordUnvouchedRows. */
const ROWS_PER_RECORD = 100;
const UNRECORDED = "no audit entry records this row";

/**
 * Finds every row of the given tables whose content no audit entry explains:
 * the digest of the row as it stands differs from the one in the latest entry
 * that recorded it (a direct `UPDATE`), no entry ever recorded it (a direct
 * `INSERT`), or an entry recorded a row that is gone (a direct `DELETE`). The
 * caller names the tables (the modules that own them list them). The log itself
 * is verified first, since row hashes in a broken log prove nothing. One
 * snapshot throughout, so a write that commits meanwhile cannot look like
 * tampering.
 */
export async function verifyRows(db: Db, tables: readonly repo.VouchedTable[]): Promise<RowsResult> {
  return db.transaction(async (tx) => {
    await repo.readOneSnapshot(tx);
    const log = await verifyAuditLog(tx);
    if (!log.ok) return { ok: false, rows: 0, size: log.size, problems: [], logProblem: `entry ${log.badSeq}: ${log.reason}` };
    const recorded = await latestRowHashes(tx, log.size, new Set(tables.map((table) => table.name)));
    const problems: RowProblem[] = [];
    let rows = 0;
    for (const table of tables) {
      for (let after: string | null = null; ; ) {
        const page = await repo.rowDigestPage(tx, table, after, ROW_PAGE);
        for (const row of page) {
          rows += 1;
          const key = rowKey(table.name, row.id);
          const entry = recorded.get(key);
          recorded.delete(key);
          if (!entry) problems.push({ table: table.name, id: row.id, reason: UNRECORDED });
          else if (entry.sha256 !== row.digest) problems.push({ table: table.name, id: row.id, reason: `its content differs from what entry ${entry.seq} recorded` });
        }
        if (page.length < ROW_PAGE) break;
        after = page[page.length - 1].id;
      }
    }
    for (const [key, entry] of recorded) {
      const [table, id] = key.split("\u0000");
      problems.push({ table, id, reason: `entry ${entry.seq} recorded this row, which no longer exists` });
    }
    return problems.length ? { ok: false, rows, size: log.size, problems } : { ok: true, rows, size: log.size };
  });
}

/**
 * Records the rows of the given tables that no entry vouches for yet (written
 * before row hashes covered their table), a hundred to an entry, so verifyRows
 * can watch them from now on. Rows whose content differs from their entry are
 * left alone: those need a person.
 */
export async function recordUnvouchedRows(db: Db, actor: string, tables: readonly repo.VouchedTable[]): Promise<number> {
  const result = await verifyRows(db, tables);
  if (!result.ok && result.logProblem) throw new Error(`the audit log does not verify (${result.logProblem}): rows are not recorded on a broken log`);
  const unvouched = result.ok ? [] : result.problems.filter((p) => p.reason === UNRECORDED);
  const byName = new Map(tables.map((table) => [table.name, table]));
  const events: AuditEvent[] = [];
  for (let i = 0; i < unvouched.length; i += ROWS_PER_RECORD) {
    const group = unvouched.slice(i, i + ROWS_PER_RECORD);
    events.push({ actor, action: "audit.rows.recorded", entity: "audit", data: { count: group.length }, rows: group.map((p) => ({ table: byName.get(p.table)!, id: p.id })) });
  }
  for (let i = 0; i < events.length; i += ROW_PAGE / ROWS_PER_RECORD) {
    await db.transaction((tx) => appendAuditMany(tx, events.slice(i, i + ROW_PAGE / ROWS_PER_RECORD)));
  }
  return unvouched.length;
}

/**
 * The latest digest per row of the given tables among the first `size`
 * entries. Entries record `rowHashes` (a list); entries written while row
 * hashes covered only the cases table hold a single `rowHash`: both are read.
 */
async function latestRowHashes(tx: Queryable, size: number, tables: ReadonlySet<string>): Promise<Map<string, { seq: number; sha256: string }>> {
  const latest = new Map<string, { seq: number; sha256: string }>();
  for (let from = 0; from < size; from += VERIFY_PAGE) {
    for (const row of await repo.readEntries(tx, from, Math.min(VERIFY_PAGE, size - from))) {
      const data = (JSON.parse(row.entry) as { data?: { rowHash?: Partial<RowHash>; rowHashes?: Partial<RowHash>[] } | null }).data;
      const hashes = [...(data?.rowHash ? [data.rowHash] : []), ...(Array.isArray(data?.rowHashes) ? data.rowHashes : [])];
      for (const hash of hashes) {
        if (hash && typeof hash.table === "string" && typeof hash.id === "string" && typeof hash.sha256 === "string" && tables.has(hash.table)) {
          latest.set(rowKey(hash.table, hash.id), { seq: row.seq, sha256: hash.sha256 });
        }
      }
    }
  }
  return latest;
}

const rowKey = (table: string, id: string) => `${table}\u0000${id}`;

const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const fromHex = (hex: string) => Buffer.from(hex, "hex");
