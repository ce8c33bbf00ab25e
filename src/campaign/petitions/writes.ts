/**
 * The signing hot path's one transaction. `writeBatch` takes every signature and
 * confirmation that arrived together and, in ONE transaction and a fixed number
 * of statements whatever the batch size:
 *
 *   1. inserts the new signatures (multi-row INSERT … ON CONFLICT DO NOTHING on the
 *      (petition, address hash) key: duplicates, also across batches, are skipped);
 *   2. reads the signatures the duplicates ran into (only when there are some);
 *   3. marks confirmed signatures verified;
 *   4. queues the confirmation emails in the outbox (multi-row, deduplicated);
 *   5. moves the petitions' tallies, and marks thresholds reached, queueing each
 *      threshold's notice once;
 *   6. appends every audit entry (one per signature, confirmation, email and
 *      threshold) with one lock of the audit tree.
 *
 * The group-commit batcher (group-commit.ts) calls it and answers each HTTP
 * request only after it returns, i.e. after COMMIT.
 */
import { randomUUID } from "node:crypto";
import { appendAuditMany, type AuditEvent } from "../../audit/service.js";
import type { Db, Queryable } from "../../db/db.js";
import { parseEmailMessage } from "../../outbox/index.js";
import * as repo from "./repo.js";

export interface MailParts {
  subject: string;
  text: string;
}

export interface SignOp {
  kind: "sign";
  row: repo.NewSignatureRow;
  /** The address as the signer typed it: where the confirmation goes. */
  to: string;
  /** The confirmation email for a signature id (the new one, or the pending one a duplicate ran into). */
  mail: (signatureId: string) => MailParts;
}

export interface ConfirmOp {
  kind: "confirm";
  signatureId: string;
}

export type WriteOp = SignOp | ConfirmOp;

export type WriteResult =
  | { kind: "signed"; signatureId: string }
  /** The address already signed this petition; a pending signature's link is sent again, once. */
  | { kind: "duplicate"; status: repo.ExistingSignature["status"]; resent: boolean }
  | { kind: "confirmed"; petitionId: string }
  | { kind: "already_confirmed"; petitionId: string }
  /** Unknown, invalidated, expired or anonymised: the link no longer works. */
  | { kind: "gone" };

export const CONFIRM_TEMPLATE = "petition.confirm";
export const RESEND_TEMPLATE = "petition.confirm.resend";
export const THRESHOLD_TEMPLATE = "petition.threshold";

/** The public URL of a petition, for notices; set by the runtime from the settings. */
export type PetitionLink = (slug: string) => string;

export async function writeBatch(db: Db, ops: readonly WriteOp[], link: PetitionLink, now = new Date()): Promise<WriteResult[]> {
  return db.transaction((tx) => writeOps(tx, ops, link, now));
}

async function writeOps(tx: Queryable, ops: readonly WriteOp[], link: PetitionLink, now: Date): Promise<WriteResult[]> {
  const at = now.toISOString();
  const results: WriteResult[] = new Array(ops.length);
  const audit: AuditEvent[] = [];
  const mail: (repo.OutboxRow & { actor: string })[] = [];
  const deltas = new Map<string, repo.TallyDelta>();
  const delta = (petitionId: string) => {
    let d = deltas.get(petitionId);
    if (!d) deltas.set(petitionId, (d = { petitionId, pending: 0, verified: 0, paper: 0, invalidated: 0, expired: 0 }));
    return d;
  };

  // 1. Signatures: the first of each (petition, address) in the batch is tried; later ones are duplicates.
  const signs: { index: number; op: SignOp }[] = [];
  const firstByKey = new Map<string, number>();
  const inBatchDuplicates: { index: number; op: SignOp }[] = [];
  ops.forEach((op, index) => {
    if (op.kind !== "sign") return;
    const key = `${op.row.petitionId}|${op.row.emailHash}`;
    if (op.row.emailHash && firstByKey.has(key)) inBatchDuplicates.push({ index, op });
    else {
      if (op.row.emailHash) firstByKey.set(key, index);
      signs.push({ index, op });
    }
  });
  const inserted = await repo.insertSignatures(tx, signs.map((s) => s.op.row));
  const duplicates = [...signs.filter((s) => !inserted.has(s.op.row.id)), ...inBatchDuplicates];
  for (const { index, op } of signs) {
    if (!inserted.has(op.row.id)) continue;
    results[index] = { kind: "signed", signatureId: op.row.id };
    delta(op.row.petitionId).pending += 1;
    audit.push({ actor: "public", action: "petition.sign", entity: "petition_signature", entityId: op.row.id, data: { petitionId: op.row.petitionId, source: "online" } });
    const parts = op.mail(op.row.id);
    mail.push({ id: randomUUID(), to: op.to, subject: parts.subject, text: parts.text, template: CONFIRM_TEMPLATE, dedupeKey: `${CONFIRM_TEMPLATE}:${op.row.id}`, actor: "public" });
  }

  // 2. Duplicates: say what the address's signature is; a pending one gets its link again, once.
  if (duplicates.length) {
    const existing = await repo.findByEmailHashes(tx, duplicates.map(({ op }) => ({ petitionId: op.row.petitionId, emailHash: op.row.emailHash! })));
    const byKey = new Map(existing.map((row) => [`${row.petition_id}|${row.email_hash}`, row]));
    // A duplicate of a signature made in this very batch: that one is new and pending.
    for (const { op } of signs) if (inserted.has(op.row.id)) byKey.set(`${op.row.petitionId}|${op.row.emailHash}`, { id: op.row.id, petition_id: op.row.petitionId, email_hash: op.row.emailHash!, status: "pending" });
    const resentTo = new Set<string>();
    for (const { index, op } of duplicates) {
      const found = byKey.get(`${op.row.petitionId}|${op.row.emailHash}`);
      // The other row vanished between INSERT and SELECT (anonymised): treat as gone.
      if (!found) {
        results[index] = { kind: "duplicate", status: "expired", resent: false };
        continue;
      }
      let resent = false;
      if (found.status === "pending" && !inserted.has(found.id) && !resentTo.has(found.id)) {
        resentTo.add(found.id);
        const parts = op.mail(found.id);
        mail.push({ id: randomUUID(), to: op.to, subject: parts.subject, text: parts.text, template: RESEND_TEMPLATE, dedupeKey: `${RESEND_TEMPLATE}:${found.id}`, actor: "public" });
        resent = true;
      }
      results[index] = { kind: "duplicate", status: found.status, resent };
    }
  }

  // 3. Confirmations.
  const confirms = ops.map((op, index) => ({ op, index })).filter((x): x is { op: ConfirmOp; index: number } => x.op.kind === "confirm");
  if (confirms.length) {
    const ids = [...new Set(confirms.map((c) => c.op.signatureId))];
    const changed = new Map((await repo.confirmSignatures(tx, ids, at)).map((row) => [row.id, row.petition_id]));
    const others = ids.filter((id) => !changed.has(id));
    const states = new Map((await repo.signatureStates(tx, others)).map((row) => [row.id, row]));
    const answered = new Set<string>();
    for (const { op, index } of confirms) {
      const petitionId = changed.get(op.signatureId);
      if (petitionId && !answered.has(op.signatureId)) {
        answered.add(op.signatureId);
        results[index] = { kind: "confirmed", petitionId };
        const d = delta(petitionId);
        d.pending -= 1;
        d.verified += 1;
        audit.push({ actor: "public", action: "petition.confirm", entity: "petition_signature", entityId: op.signatureId, data: { petitionId } });
      } else if (petitionId) {
        results[index] = { kind: "already_confirmed", petitionId };
      } else {
        const state = states.get(op.signatureId);
        results[index] = state && state.status === "verified" && !state.anonymised ? { kind: "already_confirmed", petitionId: state.petition_id } : { kind: "gone" };
      }
    }
  }

  // 4–6. Tallies and thresholds, the outbox, the audit log.
  await applyTallies(tx, [...deltas.values()], link, at, audit, mail);
  await queueMail(tx, mail, at, audit);
  await appendAuditMany(tx, audit, now);
  return results;
}

/**
 * Moves tallies and handles thresholds crossed by the new verified counts: each
 * is marked reached once, and its notice to the target is queued once (dedupe key
 * per threshold). Adds audit entries and mail to the caller's lists.
 */
export async function applyTallies(
  tx: Queryable,
  deltas: readonly repo.TallyDelta[],
  link: PetitionLink,
  at: string,
  audit: AuditEvent[],
  mail: (repo.OutboxRow & { actor: string })[],
): Promise<void> {
  const moved = deltas.filter((d) => d.pending || d.verified || d.paper || d.invalidated || d.expired);
  if (!moved.length) return;
  const counts = await repo.addTallies(tx, moved);
  const grew = counts.filter((c) => moved.find((d) => d.petitionId === c.petition_id)!.verified > 0);
  for (const threshold of await repo.reachThresholds(tx, grew, at)) {
    const verified = grew.find((c) => c.petition_id === threshold.petition_id)!.verified;
    audit.push({ actor: "system", action: "petition.threshold", entity: "petition_threshold", entityId: threshold.id, data: { petitionId: threshold.petition_id, signatures: threshold.signatures, verified } });
    if (!threshold.target_email) continue;
    const id = randomUUID();
    mail.push({ id, to: threshold.target_email, ...thresholdNotice(threshold, verified, link(threshold.slug)), template: THRESHOLD_TEMPLATE, dedupeKey: `${THRESHOLD_TEMPLATE}:${threshold.id}`, actor: "system" });
    await repo.setThresholdNotice(tx, threshold.id, id);
  }
}

/** Validates with the outbox's own rules, queues, and audits what was queued (as enqueueEmail does). */
export async function queueMail(tx: Queryable, mail: readonly (repo.OutboxRow & { actor: string })[], at: string, audit: AuditEvent[]): Promise<void> {
  if (!mail.length) return;
  for (const message of mail) parseEmailMessage({ to: message.to, subject: message.subject, text: message.text, template: message.template, dedupeKey: message.dedupeKey });
  const queued = await repo.insertOutbox(tx, mail, at);
  for (const message of mail) {
    if (queued.has(message.id)) audit.push({ actor: message.actor, action: "email.enqueue", entity: "email_outbox", entityId: message.id, data: { template: message.template } });
  }
}

/** The notice to the target, in English and Spanish (officials are addressed in both). */
function thresholdNotice(threshold: repo.ReachedThreshold, verified: number, url: string): MailParts {
  const n = new Intl.NumberFormat("en-US").format(threshold.signatures);
  return {
    subject: `Petition reached ${n} verified signatures: ${threshold.title_en}`.slice(0, 300),
    text: [
      `To: ${threshold.target_en}`,
      "",
      `The petition "${threshold.title_en}" has reached ${n} verified signatures (${new Intl.NumberFormat("en-US").format(verified)} now).`,
      `${threshold.label_en}`,
      "",
      `The petition, its text and its live count: ${url}`,
      "",
      "—",
      `La petición «${threshold.title_en}» ha alcanzado ${new Intl.NumberFormat("es-US").format(threshold.signatures)} firmas verificadas.`,
      `${threshold.label_es}`,
      url,
      "",
      "Oversight",
    ].join("\n"),
  };
}
