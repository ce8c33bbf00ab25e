import type { Db, Queryable } from "../db/db.js";
import { CompactRange, hashLeaf } from "./merkle.js";
import * as repo from "./repo.js";

/** What a service records about one write. `data` must never hold complainant identity. */
export interface AuditEvent {
  actor: string;
  action: string;
  entity: string;
  entityId?: string | null;
  data?: unknown;
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
  const state = await repo.lockState(tx);
  const seq = state.size;
  const at = now.toISOString();
  const entry = canonicalEntry(seq, at, event);
  const leaf = hashLeaf(Buffer.from(entry, "utf8"));
  const tree = CompactRange.fromFrontier(state.size, state.frontier.map(fromHex));
  tree.append(leaf);
  const root = tree.root();
  await repo.insertEntry(
    tx,
    {
      seq,
      at,
      actor: event.actor,
      action: event.action,
      entity: event.entity,
      entity_id: event.entityId ?? null,
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
  const state = await repo.lockState(tx);
  const tree = CompactRange.fromFrontier(state.size, state.frontier.map(fromHex));
  const at = now.toISOString();
  const rows = events.map((event): repo.AuditRow => {
    const seq = tree.size;
    const entry = canonicalEntry(seq, at, event);
    const leaf = hashLeaf(Buffer.from(entry, "utf8"));
    tree.append(leaf);
    return { seq, at, actor: event.actor, action: event.action, entity: event.entity, entity_id: event.entityId ?? null, entry, leaf_hash: leaf, tree_root: tree.root() };
  });
  await repo.insertEntries(tx, rows, { size: tree.size, frontier: tree.frontier.map(toHex) });
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
export async function verifyAuditLog(db: Db): Promise<VerifyResult> {
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

const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const fromHex = (hex: string) => Buffer.from(hex, "hex");
