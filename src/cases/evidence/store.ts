import { appendAudit } from "../../audit/service.js";
import { openBytes, openText, sealBytes, sealText } from "../../db/data-key.js";
import type { Queryable } from "../../db/db.js";
import { caseRow } from "../vouched-rows.js";
import { checkFile, sha256Hex, type CheckedEvidence, type EvidenceFile } from "./check.js";
import type { EvidenceType } from "./detect.js";

/** Who acts on evidence: the complainant (by receipt), or a staff user, as case_events.actor spells it. */
export type EvidenceActor = "complainant" | `user:${string}`;
export type CustodyAction = "added" | "viewed" | "exported" | "stripped";

export interface StoredEvidence {
  id: string;
  sha256: string;
  sharedSha256: string;
  detectedType: EvidenceType;
  size: number;
  /** False when identical bytes were already stored (for this or another case). */
  newBlob: boolean;
}

/**
 * Stores one evidence file on a case inside the caller's transaction: its blob
 * (once per content), the item, custody 'added' (and 'stripped' for an image),
 * and one audit entry that names ids, hashes, type and size — never the file's name.
 *
 * The file is checked first (size, real type, cleanable image) unless it came
 * from checkFiles; a refusal throws an EvidenceError before this file writes
 * anything. To refuse a whole submission before any write, call checkFiles
 * first; if anything later throws, the caller's transaction writes nothing.
 */
export async function storeEvidence(tx: Queryable, caseId: string, file: EvidenceFile | CheckedEvidence, actor: EvidenceActor, now = new Date()): Promise<StoredEvidence> {
  assertActor(actor);
  const ok = checkFile(file);
  const newBlob = await putBlob(tx, ok.sha256, ok.bytes);
  if (ok.sharedSha256 !== ok.sha256) await putBlob(tx, ok.sharedSha256, ok.shared);
  const at = now.toISOString();
  const [item] = await tx.query<{ id: string }>(
    `INSERT INTO evidence_items (case_id, sha256, shared_sha256, original_name, declared_type, detected_type, size, uploaded_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [caseId, ok.sha256, ok.sharedSha256, sealText(ok.name), ok.type ? ok.type.slice(0, 100) : null, ok.detectedType, ok.bytes.length, actor, at],
  );
  const custody = [await addCustody(tx, item.id, actor, "added", ok.sha256, at)];
  if (ok.stripped) custody.push(await addCustody(tx, item.id, "system", "stripped", ok.sharedSha256, at));
  await appendAudit(tx, {
    actor, action: "evidence.add", entity: "evidence", entityId: item.id,
    rows: [caseRow("evidence_items", item.id), ...custody.map((id) => caseRow("evidence_custody", id))],
    data: { case: caseId, sha256: ok.sha256, shared_sha256: ok.sharedSha256, type: ok.detectedType, size: ok.bytes.length, metadata_removed: ok.removed },
  }, now);
  return { id: item.id, sha256: ok.sha256, sharedSha256: ok.sharedSha256, detectedType: ok.detectedType, size: ok.bytes.length, newBlob };
}

function assertActor(actor: string): asserts actor is EvidenceActor {
  if (actor !== "complainant" && !/^user:[0-9a-f-]{36}$/.test(actor)) throw new Error(`evidence actor must be "complainant" or "user:<uuid>", not ${JSON.stringify(actor.slice(0, 50))}`);
}

/**
 * Inserts a blob unless its content is already stored; true when it was new.
 * The bytes are sealed (src/db/data-key.ts); the sha256 and size are the
 * file's own, as the chain of custody and the audit log record them.
 */
async function putBlob(tx: Queryable, sha256: string, bytes: Uint8Array): Promise<boolean> {
  // Look first, so identical content is not sent to the server again.
  const [seen] = await tx.query("SELECT 1 FROM evidence_blobs WHERE sha256 = $1", [sha256]);
  if (seen) return false;
  // Sent as base64 text and decoded by the server: PGlite encodes a bytea parameter
  // byte by byte in JavaScript (about 5 s for 20 MB); this takes a tenth of that on both engines.
  const inserted = await tx.query(
    "INSERT INTO evidence_blobs (sha256, size, bytes, sealed) VALUES ($1, $2, decode($3, 'base64'), true) ON CONFLICT (sha256) DO NOTHING RETURNING sha256",
    [sha256, bytes.length, sealBytes(bytes).toString("base64")],
  );
  return inserted.length === 1;
}

/** Adds one custody record; returns its id, for the audit entry that vouches for it. */
async function addCustody(tx: Queryable, evidenceId: string, actor: string, action: CustodyAction, sha256: string, at: string): Promise<string> {
  const [row] = await tx.query<{ id: string }>("INSERT INTO evidence_custody (evidence_id, actor, action, sha256, at) VALUES ($1, $2, $3, $4, $5) RETURNING id", [evidenceId, actor, action, sha256, at]);
  return row.id;
}

/** One evidence item for a staff list. `originalName` is null unless asked for with `names`. */
export interface EvidenceSummary {
  id: string;
  caseId: string;
  sha256: string;
  sharedSha256: string;
  detectedType: EvidenceType;
  declaredType: string | null;
  size: number;
  uploadedBy: "complainant" | "staff";
  createdAt: string;
  custodyCount: number;
  originalName: string | null;
}

/**
 * A case's evidence, oldest first, with how many custody records each has.
 * The original file names are read only when `names` is true: pass
 * `can(actor, "cases.readIdentity")`.
 */
export async function evidenceForCase(db: Queryable, caseId: string, options: { names?: boolean } = {}): Promise<EvidenceSummary[]> {
  const rows = await db.query<{ id: string; case_id: string; sha256: string; shared_sha256: string; detected_type: EvidenceType; declared_type: string | null; size: number; uploaded_by: string; created_at: string; custody: number; original_name: string | null }>(
    `SELECT e.id, e.case_id, e.sha256, e.shared_sha256, e.detected_type, e.declared_type, e.size::int8 AS size, e.uploaded_by, e.created_at,
            (SELECT count(*) FROM evidence_custody c WHERE c.evidence_id = e.id)::int8 AS custody,
            ${options.names ? "e.original_name" : "NULL::text AS original_name"}
       FROM evidence_items e WHERE e.case_id = $1 ORDER BY e.seq`,
    [caseId],
  );
  return rows.map((r) => ({
    id: r.id, caseId: r.case_id, sha256: r.sha256, sharedSha256: r.shared_sha256, detectedType: r.detected_type, declaredType: r.declared_type,
    size: Number(r.size), uploadedBy: r.uploaded_by === "complainant" ? "complainant" : "staff", createdAt: r.created_at, custodyCount: Number(r.custody),
    originalName: openText(r.original_name),
  }));
}

export interface CustodyRecord {
  actor: string;
  action: CustodyAction;
  sha256: string;
  at: string;
}

/** The chain of custody of one item, in order. */
export function custodyOf(db: Queryable, evidenceId: string): Promise<CustodyRecord[]> {
  return db.query<CustodyRecord>("SELECT actor, action, sha256, at FROM evidence_custody WHERE evidence_id = $1 ORDER BY seq", [evidenceId]);
}

export interface OpenedEvidence {
  id: string;
  detectedType: EvidenceType;
  sharedSha256: string;
  /** The hash of the bytes handed out: the shared copy's, or the original's. */
  sha256: string;
  bytes: Uint8Array;
}

/**
 * Reads the shared (stripped) copy of one item of one case — or, with
 * `copy: "original"`, the original evidence as received — and records who took
 * it — custody 'viewed' or 'exported', with the hash of the bytes handed out, and
 * its audit entry — in the caller's transaction. `allow` sees the item's type before anything is written or read;
 * return false to refuse (the caller throws). Null when the case has no such item.
 */
export async function openEvidence(tx: Queryable, caseId: string, evidenceId: string, actor: EvidenceActor, action: "viewed" | "exported", allow: (type: EvidenceType) => boolean = () => true, now = new Date(), copy: "shared" | "original" = "shared"): Promise<OpenedEvidence | null | "refused"> {
  assertActor(actor);
  const [item] = await tx.query<{ id: string; detected_type: EvidenceType; shared_sha256: string; sha256: string }>(
    "SELECT id, detected_type, shared_sha256, sha256 FROM evidence_items WHERE id = $1 AND case_id = $2",
    [evidenceId, caseId],
  );
  if (!item) return null;
  if (!allow(item.detected_type)) return "refused";
  // Base64 for the same reason as in putBlob (decoding PGlite's hex bytea in JavaScript is slow).
  const sha256 = copy === "original" ? item.sha256 : item.shared_sha256;
  const [blob] = await tx.query<{ b64: string; sealed: boolean }>("SELECT encode(bytes, 'base64') AS b64, sealed FROM evidence_blobs WHERE sha256 = $1", [sha256]);
  const stored = Buffer.from(blob.b64, "base64");
  // Blobs stored before sealing at rest existed are plain (evidence is append-only and is not rewritten).
  const bytes = blob.sealed ? openBytes(stored) : stored;
  // Evidence is addressed by its hash: bytes that no longer match it were replaced outside the application
  // (a swapped or rewritten blob). Refuse to hand them out as the evidence.
  if (sha256Hex(bytes) !== sha256) throw new Error(`evidence ${item.id}: the stored file does not match its SHA-256; it was changed outside the application`);
  const at = now.toISOString();
  const custody = await addCustody(tx, item.id, actor, action, sha256, at);
  await appendAudit(tx, { actor, action: action === "viewed" ? "evidence.view" : "evidence.export", entity: "evidence", entityId: item.id, rows: [caseRow("evidence_custody", custody)], data: { case: caseId, sha256 } }, now);
  return { id: item.id, detectedType: item.detected_type, sharedSha256: item.shared_sha256, sha256, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}
