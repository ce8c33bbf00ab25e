/**
 * The petitions' rules and writes, except the signing hot path (writes.ts, run by
 * the batcher in runtime.ts). Every write runs in one transaction with its audit
 * entries; audit entries hold ids, counts and codes, never a signer's data.
 */
import { createHash, randomUUID } from "node:crypto";
import { parse } from "csv-parse/sync";
import { appendAudit, appendAuditMany, type AuditEvent } from "../../audit/service.js";
import type { Db, Queryable } from "../../db/db.js";
import { csvLines } from "../../web/csv.js";
import { HttpError } from "../../web/errors.js";
import { emailKey, normalizeEmail } from "./normalize.js";
import * as repo from "./repo.js";
import {
  invalidateSchema, PAPER_COLUMNS, paperRowSchema, petitionInputSchema,
  type InvalidationReason, type PetitionInput,
} from "./schema.js";
import { applyTallies, queueMail, type PetitionLink } from "./writes.js";

export type { PetitionWithTally } from "./repo.js";

const conflict = (detail: string) => new HttpError(409, "error.badRequest", detail);
const missing = () => new HttpError(404, "error.notFound");

/** Creates a petition with its sponsors, points and thresholds. Throws ZodError naming the field. */
export async function createPetition(db: Db, input: PetitionInput, actor: string): Promise<string> {
  const petition = petitionInputSchema.parse(input);
  return db.transaction(async (tx) => {
    if (await repo.slugTaken(tx, petition.slug)) throw conflict(`slug: "${petition.slug}" is already used by another petition`);
    const id = await repo.insertPetition(tx, petition, actor);
    await appendAudit(tx, { actor, action: "petition.create", entity: "petition", entityId: id, data: { slug: petition.slug, goal: petition.goal, thresholds: petition.thresholds.map((t) => t.signatures) } });
    return id;
  });
}

export const findPetition = (db: Queryable, idOrSlug: string) => repo.findPetition(db, idOrSlug);
export const listPetitions = (db: Queryable) => repo.listPetitions(db);
export const tallyRows = (db: Queryable, ids: string[]) => repo.tallies(db, ids);

export type PetitionState = "upcoming" | "open" | "closed";

export function petitionState(p: Pick<repo.PetitionRow, "opens_at" | "closes_at">, now = Date.now()): PetitionState {
  if (Date.parse(toIso(p.opens_at)) > now) return "upcoming";
  if (p.closes_at && Date.parse(toIso(p.closes_at)) <= now) return "closed";
  return "open";
}

/** PostgreSQL's text form ("2026-01-02 03:04:05.6+00") as ISO 8601. */
export function toIso(value: string): string {
  return value.includes("T") ? value : value.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00");
}

/** A petition's page data: the petition, sponsors, points (with links to tracked demands), thresholds. */
export async function petitionDetail(db: Queryable, idOrSlug: string) {
  const petition = await repo.findPetition(db, idOrSlug);
  if (!petition) return undefined;
  const parts = await repo.petitionParts(db, petition.id);
  const tracked = await repo.existingDemandSlugs(db, parts.points.map((p) => p.demand_slug).filter((s): s is string => !!s));
  return { petition, ...parts, trackedDemands: tracked };
}
export type PetitionDetail = NonNullable<Awaited<ReturnType<typeof petitionDetail>>>;

/** Refused attempts by reason, written counts plus those still in memory. */
export async function rejectionCounts(db: Queryable, petitionId: string, unflushed: Partial<Record<string, number>> = {}): Promise<Record<string, number>> {
  const out: Record<string, number> = { duplicate: 0, rate_limited_address: 0, rate_limited_network: 0, missing_token: 0, honeypot: 0 };
  for (const row of await repo.rejections(db, petitionId)) out[row.reason] = Number(row.count);
  for (const [reason, n] of Object.entries(unflushed)) out[reason] = (out[reason] ?? 0) + (n ?? 0);
  return out;
}

export const publicSigners = (db: Queryable, petitionId: string, limit: number, offset: number) => repo.publicSigners(db, petitionId, limit, offset);

/** What a confirmation link points at, for the confirmation page. */
export async function signatureState(db: Queryable, signatureId: string): Promise<repo.SignatureState | undefined> {
  const [row] = await repo.signatureStates(db, [signatureId]);
  return row;
}

// ---------------------------------------------------------------------------
// Paper signatures

export class PaperImportError extends Error {
  constructor(readonly problems: string[], readonly total: number) {
    super(`${total} row(s) could not be added: ${problems.slice(0, 3).join("; ")}`);
    this.name = "PaperImportError";
  }
}

const MAX_PAPER_BYTES = 5 * 1024 * 1024;

/**
 * Adds paper signatures from a CSV (columns: name, zip, and optionally email,
 * signed_on, show_publicly; header names case-insensitive) as verified signatures
 * marked `paper`. All or nothing: any bad row adds none, and the error names every
 * bad row by its line. An address already signed (online or on paper) is a bad
 * row. The same file twice is refused.
 */
export async function addPaperSignatures(db: Db, secret: Buffer, petitionId: string, file: Uint8Array, actor: string, link: PetitionLink, now = new Date()): Promise<{ added: number; batchId: string }> {
  if (file.byteLength > MAX_PAPER_BYTES) throw new PaperImportError([`the file is ${Math.ceil(file.byteLength / 1024)} KB; the limit is ${MAX_PAPER_BYTES / 1024 / 1024} MB`], 1);
  if (file.includes(0)) throw new PaperImportError(["the file is not text (it holds NUL bytes): save the sheet as CSV"], 1);
  const text = Buffer.from(file).toString("utf8").replace(/^\uFEFF/, "");
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw new PaperImportError([`the file is not valid CSV: ${(error as Error).message}`], 1);
  }
  if (records.length < 2) throw new PaperImportError(["the file has no rows under its header (name, zip, email, signed_on, show_publicly)"], 1);
  const header = records[0].map((h) => h.toLowerCase().replace(/\s+/g, "_"));
  const unknown = header.filter((h) => !(PAPER_COLUMNS as readonly string[]).includes(h));
  const absent = ["name", "zip"].filter((h) => !header.includes(h));
  if (unknown.length || absent.length) {
    throw new PaperImportError([
      ...(absent.length ? [`line 1: the header lacks ${absent.join(" and ")}`] : []),
      ...(unknown.length ? [`line 1: unknown column(s) ${unknown.map((h) => `"${h}"`).join(", ")}; expected ${PAPER_COLUMNS.join(", ")}`] : []),
    ], 1);
  }

  const problems: string[] = [];
  const rows: { line: number; row: repo.NewSignatureRow; hash: string | null }[] = [];
  const seen = new Map<string, number>();
  const at = now.toISOString();
  records.slice(1).forEach((cells, i) => {
    const line = i + 2;
    if (cells.length > header.length) {
      problems.push(`line ${line}: ${cells.length} cells, but the header has ${header.length}`);
      return;
    }
    const parsed = paperRowSchema.safeParse(Object.fromEntries(header.map((h, j) => [h, cells[j] ?? ""])));
    if (!parsed.success) {
      problems.push(`line ${line}: ${parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ")}`);
      return;
    }
    const value = parsed.data;
    const normalized = value.email ? normalizeEmail(value.email) : null;
    const hash = normalized ? emailKey(secret, normalized) : null;
    if (hash) {
      const earlier = seen.get(hash);
      if (earlier) {
        problems.push(`line ${line}: email: the same address as line ${earlier}`);
        return;
      }
      seen.set(hash, line);
    }
    rows.push({
      line,
      hash,
      row: {
        id: randomUUID(), petitionId, source: "paper", status: "verified", name: value.name, zip: value.zip, emailHash: hash, network: null,
        showPublicly: value.show_publicly, lang: "en", signedAt: value.signed_on ? `${value.signed_on}T00:00:00Z` : at, verifiedAt: at, paperBatchId: null,
      },
    });
  });

  return db.transaction(async (tx) => {
    const petition = await repo.lockPetition(tx, petitionId);
    if (!petition) throw missing();
    if (petition.anonymised_at) throw conflict("this petition's signer data has been anonymised; it takes no more signatures");
    // The same file twice is the commonest mistake: say so before anything else.
    const sha256 = createHash("sha256").update(file).digest("hex");
    const batchId = await repo.insertPaperBatch(tx, petitionId, sha256, rows.length, actor);
    if (!batchId) throw new PaperImportError(["this file was already added to this petition (same content)"], 1);
    const withEmail = rows.filter((r) => r.hash);
    const taken = new Set((await repo.findByEmailHashes(tx, withEmail.map((r) => ({ petitionId, emailHash: r.hash! })))).map((row) => row.email_hash));
    for (const r of withEmail) if (taken.has(r.hash!)) problems.push(`line ${r.line}: email: this address has already signed this petition`);
    if (problems.length) {
      problems.sort((a, b) => Number(/^line (\d+)/.exec(a)?.[1] ?? 0) - Number(/^line (\d+)/.exec(b)?.[1] ?? 0));
      throw new PaperImportError(problems, problems.length);
    }
    for (const r of rows) r.row.paperBatchId = batchId;
    const inserted = await repo.insertSignatures(tx, rows.map((r) => r.row));
    if (inserted.size !== rows.length) throw new PaperImportError(["an address in the file signed online while the file was being added; upload it again"], 1);
    const audit: AuditEvent[] = [
      { actor, action: "petition.paper_batch", entity: "petition_paper_batch", entityId: batchId, data: { petitionId, rows: rows.length, sha256 } },
      ...rows.map((r): AuditEvent => ({ actor, action: "petition.sign", entity: "petition_signature", entityId: r.row.id, data: { petitionId, source: "paper", batchId } })),
    ];
    const mail: Parameters<typeof queueMail>[1][number][] = [];
    await applyTallies(tx, [{ petitionId, pending: 0, verified: rows.length, paper: rows.length, invalidated: 0, expired: 0 }], link, at, audit, mail);
    await queueMail(tx, mail, at, audit);
    await appendAuditMany(tx, audit, now);
    return { added: rows.length, batchId };
  });
}

// ---------------------------------------------------------------------------
// Invalidation

/**
 * Invalidates one signature, found by its id (from the export) or by the address
 * that signed (normalised like at signing). It stops counting; the row stays, so
 * the address cannot sign again. Audited with the reason code.
 */
export async function invalidateSignature(db: Db, secret: Buffer, petitionId: string, input: { signature: string; reason: string }, actor: string, now = new Date()): Promise<{ signatureId: string; was: string }> {
  const { signature, reason } = invalidateSchema.parse(input);
  const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(signature);
  const normalized = isId ? null : normalizeEmail(signature);
  if (!isId && !normalized) throw new HttpError(400, "error.badRequest", "signature: must be a signature id or an email address");
  return db.transaction(async (tx) => {
    const row = await repo.lockSignature(tx, petitionId, isId ? { id: signature.toLowerCase() } : { emailHash: emailKey(secret, normalized!) });
    if (!row) throw new HttpError(404, "error.badRequest", "signature: no signature of this petition matches");
    if (row.status === "invalidated" || row.status === "expired") throw conflict(`signature: it is already ${row.status}`);
    const at = now.toISOString();
    await repo.invalidateSignature(tx, row.id, reason as InvalidationReason, at);
    const verified = row.status === "verified" ? -1 : 0;
    await repo.addTallies(tx, [{ petitionId, pending: row.status === "pending" ? -1 : 0, verified, paper: row.source === "paper" && verified ? -1 : 0, invalidated: 1, expired: 0 }]);
    await appendAudit(tx, { actor, action: "petition.invalidate", entity: "petition_signature", entityId: row.id, data: { petitionId, reason, was: row.status } }, now);
    return { signatureId: row.id, was: row.status };
  });
}

// ---------------------------------------------------------------------------
// Export

const EXPORT_PAGE = 5000;

/**
 * The verified list for delivery to the target, as CSV lines (signature id, name,
 * ZIP, source, signed and verified times): no addresses. The export is audited
 * before the first line is produced. Read a page at a time, in constant memory.
 */
export async function* exportVerified(db: Db, petitionId: string, actor: string, now = new Date()): AsyncGenerator<string> {
  const petition = await repo.findPetition(db, petitionId);
  if (!petition) throw missing();
  await db.transaction((tx) => appendAudit(tx, { actor, action: "petition.export", entity: "petition", entityId: petitionId, data: { verified: Number(petition.verified) } }, now));
  yield csvLines([["signature_id", "name", "zip", "source", "signed_at", "verified_at"]]);
  let after: { signedAt: string; id: string } | null = null;
  for (;;) {
    const page = await repo.verifiedPage(db, petitionId, after, EXPORT_PAGE);
    if (!page.length) return;
    // Names are typed by people: the CSV writer defuses formulas in them.
    yield csvLines(page.map((row) => [row.id, row.name ?? "", row.zip ?? "", row.source, toIso(row.signed_at), toIso(row.verified_at)]));
    const last = page[page.length - 1];
    after = { signedAt: last.signed_at, id: last.id };
    if (page.length < EXPORT_PAGE) return;
  }
}

// ---------------------------------------------------------------------------
// Closing and anonymisation

export async function closePetition(db: Db, petitionId: string, actor: string, now = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    if (!(await repo.closePetition(tx, petitionId, now.toISOString()))) throw conflict("the petition is already closed, or has not opened yet");
    await appendAudit(tx, { actor, action: "petition.close", entity: "petition", entityId: petitionId }, now);
  });
}

export interface AnonymiseReport {
  petitions: { id: string; slug: string; wiped: number; expired: number; emails: number }[];
}

/**
 * Wipes signer data (name, ZIP, address hash, network, the confirmation emails'
 * addresses and text) of every petition closed at least `afterDays` days ago, and
 * expires signatures never confirmed. Counts survive. Safe to re-run and to run
 * from several processes: each petition is locked, and a finished one is marked
 * and skipped; a run that changes nothing writes nothing.
 */
export async function anonymiseDue(db: Db, options: { afterDays: number; now?: Date }): Promise<AnonymiseReport> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.afterDays * 86_400_000).toISOString();
  const report: AnonymiseReport = { petitions: [] };
  for (const petition of await repo.petitionsToAnonymise(db, cutoff)) {
    const done = await db.transaction(async (tx) => {
      const locked = await repo.lockPetition(tx, petition.id);
      if (!locked || locked.anonymised_at) return null;
      const at = now.toISOString();
      const { wiped, expired } = await repo.anonymiseSignatures(tx, petition.id, at);
      const emails = await repo.scrubConfirmationEmails(tx, petition.id);
      if (expired) await repo.addTallies(tx, [{ petitionId: petition.id, pending: -expired, verified: 0, paper: 0, invalidated: 0, expired }]);
      await repo.markPetitionAnonymised(tx, petition.id, at);
      await appendAudit(tx, { actor: "system", action: "petition.anonymise", entity: "petition", entityId: petition.id, data: { wiped, expired, emails } }, now);
      return { wiped, expired, emails };
    });
    if (done) report.petitions.push({ id: petition.id, slug: petition.slug, ...done });
  }
  return report;
}
