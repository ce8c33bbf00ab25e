/**
 * Appends many audit entries in one go: the same entries, hashes and running
 * roots `appendAudit` (src/audit/service.ts) would write one by one, so
 * `verifyAuditLog` checks them the same way, but with one lock of the tree
 * state, one multi-row INSERT and one state UPDATE instead of three statements
 * per entry. The signing batcher needs this to keep the hot path free of per-row
 * round trips. (It belongs in the audit module as `appendAuditMany`; it lives here
 * only because this module may not edit that one.)
 */
import { canonicalEntry, type AuditEvent } from "../../audit/service.js";
import { CompactRange, hashLeaf } from "../../audit/merkle.js";
import type { Queryable } from "../../db/db.js";

export async function appendAuditMany(tx: Queryable, events: readonly AuditEvent[], now = new Date()): Promise<void> {
  if (events.length === 0) return;
  const [state] = await tx.query<{ size: number; frontier: string[] }>("SELECT size, frontier FROM audit_state WHERE id FOR UPDATE");
  const tree = CompactRange.fromFrontier(Number(state.size), state.frontier.map((hex) => Buffer.from(hex, "hex")));
  const at = now.toISOString();
  const columns = { seq: [] as string[], actor: [] as string[], action: [] as string[], entity: [] as string[], entityId: [] as (string | null)[], entry: [] as string[], leaf: [] as string[], root: [] as string[] };
  for (const event of events) {
    const seq = tree.size;
    const entry = canonicalEntry(seq, at, event);
    const leaf = hashLeaf(Buffer.from(entry, "utf8"));
    tree.append(leaf);
    columns.seq.push(String(seq));
    columns.actor.push(event.actor);
    columns.action.push(event.action);
    columns.entity.push(event.entity);
    columns.entityId.push(event.entityId ?? null);
    columns.entry.push(entry);
    columns.leaf.push(leaf.toString("hex"));
    columns.root.push(tree.root().toString("hex"));
  }
  await tx.query(
    `INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, entry, leaf_hash, tree_root)
     SELECT seq::bigint, $1::timestamptz, actor, action, entity, entity_id, entry, decode(leaf, 'hex'), decode(root, 'hex')
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
         AS u(seq, actor, action, entity, entity_id, entry, leaf, root)`,
    [at, columns.seq, columns.actor, columns.action, columns.entity, columns.entityId, columns.entry, columns.leaf, columns.root],
  );
  await tx.query("UPDATE audit_state SET size = $1, frontier = $2 WHERE id", [tree.size, JSON.stringify(tree.frontier.map((hash) => hash.toString("hex")))]);
}
