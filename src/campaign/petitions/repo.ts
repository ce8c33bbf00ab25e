/**
 * The petitions' SQL, and the only place with any. Batch statements take
 * parallel arrays through `unnest(...)`, so a batch of any size is one round
 * trip; arrays travel as text[] and are cast in SQL, which both drivers accept.
 */
import type { Queryable } from "../../db/db.js";
import type { ValidPetition } from "./schema.js";

export interface PetitionRow {
  id: string;
  slug: string;
  title_en: string;
  title_es: string;
  text_en: string;
  text_es: string;
  text_es_translated: boolean;
  target_en: string;
  target_es: string;
  target_email: string | null;
  target_basis: "stated" | "assumption";
  target_note_en: string | null;
  target_note_es: string | null;
  goal: number;
  opens_at: string;
  closes_at: string | null;
  anonymised_at: string | null;
  created_at: string;
}

export interface TallyRow {
  petition_id: string;
  pending: number;
  verified: number;
  paper: number;
  invalidated: number;
  expired: number;
}

export type PetitionWithTally = PetitionRow & Omit<TallyRow, "petition_id">;

const PETITION_COLUMNS = `p.id, p.slug, p.title_en, p.title_es, p.text_en, p.text_es, p.text_es_translated, p.target_en, p.target_es,
  p.target_email, p.target_basis, p.target_note_en, p.target_note_es, p.goal, p.opens_at, p.closes_at, p.anonymised_at, p.created_at`;
const TALLY_COLUMNS = "coalesce(t.pending, 0) AS pending, coalesce(t.verified, 0) AS verified, coalesce(t.paper, 0) AS paper, coalesce(t.invalidated, 0) AS invalidated, coalesce(t.expired, 0) AS expired";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---------------------------------------------------------------------------
// Petitions

export async function insertPetition(tx: Queryable, p: ValidPetition, createdBy: string): Promise<string> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO petitions (slug, title_en, title_es, text_en, text_es, text_es_translated, target_en, target_es, target_email,
       target_basis, target_note_en, target_note_es, goal, opens_at, closes_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::timestamptz, $15::timestamptz, $16) RETURNING id`,
    [p.slug, p.titleEn, p.titleEs, p.textEn, p.textEs, p.textEsTranslated, p.targetEn, p.targetEs, p.targetEmail, p.targetBasis,
      p.targetNoteEn, p.targetNoteEs, p.goal, p.opensAt, p.closesAt ?? null, createdBy],
  );
  const id = row.id;
  await tx.query("INSERT INTO petition_tallies (petition_id) VALUES ($1)", [id]);
  if (p.sponsors.length) {
    await tx.query(
      `INSERT INTO petition_sponsors (petition_id, position, name, organization_slug)
       SELECT $1, ord::int, name, org FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS u(name, org, ord)`,
      [id, p.sponsors.map((s) => s.name), p.sponsors.map((s) => s.organizationSlug)],
    );
  }
  if (p.points.length) {
    await tx.query(
      `INSERT INTO petition_points (petition_id, number, text_en, text_es, demand_slug)
       SELECT $1, ord::int, en, es, demand FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS u(en, es, demand, ord)`,
      [id, p.points.map((x) => x.en), p.points.map((x) => x.es), p.points.map((x) => x.demandSlug)],
    );
  }
  if (p.thresholds.length) {
    await tx.query(
      `INSERT INTO petition_thresholds (petition_id, signatures, label_en, label_es)
       SELECT $1, n::int, en, es FROM unnest($2::text[], $3::text[], $4::text[]) AS u(n, en, es)`,
      [id, p.thresholds.map((x) => String(x.signatures)), p.thresholds.map((x) => x.labelEn), p.thresholds.map((x) => x.labelEs)],
    );
  }
  return id;
}

export async function slugTaken(db: Queryable, slug: string): Promise<boolean> {
  return (await db.query("SELECT 1 FROM petitions WHERE slug = $1", [slug])).length > 0;
}

/** A petition by id or slug, with its tally. */
export async function findPetition(db: Queryable, idOrSlug: string): Promise<PetitionWithTally | undefined> {
  const byId = UUID.test(idOrSlug);
  const [row] = await db.query<PetitionWithTally>(
    `SELECT ${PETITION_COLUMNS}, ${TALLY_COLUMNS} FROM petitions p LEFT JOIN petition_tallies t ON t.petition_id = p.id
      WHERE ${byId ? "p.id = $1::uuid" : "p.slug = $1"}`,
    [byId ? idOrSlug.toLowerCase() : idOrSlug],
  );
  return row;
}

export async function listPetitions(db: Queryable): Promise<PetitionWithTally[]> {
  return db.query<PetitionWithTally>(
    `SELECT ${PETITION_COLUMNS}, ${TALLY_COLUMNS} FROM petitions p LEFT JOIN petition_tallies t ON t.petition_id = p.id
      ORDER BY (p.closes_at IS NULL OR p.closes_at > now()) DESC, p.opens_at DESC, p.slug`,
  );
}

export interface SponsorRow { position: number; name: string; organization_slug: string | null }
export interface PointRow { number: number; text_en: string; text_es: string; demand_slug: string | null }
export interface ThresholdRow { id: string; signatures: number; label_en: string; label_es: string; reached_at: string | null; notice_id: string | null }

export async function petitionParts(db: Queryable, id: string) {
  const [sponsors, points, thresholds] = await Promise.all([
    db.query<SponsorRow>("SELECT position, name, organization_slug FROM petition_sponsors WHERE petition_id = $1 ORDER BY position", [id]),
    db.query<PointRow>("SELECT number, text_en, text_es, demand_slug FROM petition_points WHERE petition_id = $1 ORDER BY number", [id]),
    db.query<ThresholdRow>("SELECT id, signatures, label_en, label_es, reached_at, notice_id FROM petition_thresholds WHERE petition_id = $1 ORDER BY signatures", [id]),
  ]);
  return { sponsors, points, thresholds };
}

/** Which of these campaign demand slugs exist (to link a petition's points to their tracker). */
export async function existingDemandSlugs(db: Queryable, slugs: string[]): Promise<Set<string>> {
  if (!slugs.length) return new Set();
  const rows = await db.query<{ slug: string }>("SELECT slug FROM campaign_demands WHERE slug = ANY($1::text[])", [slugs]);
  return new Set(rows.map((row) => row.slug));
}

export async function tallies(db: Queryable, ids: string[]): Promise<TallyRow[]> {
  return db.query<TallyRow>("SELECT petition_id, pending, verified, paper, invalidated, expired FROM petition_tallies WHERE petition_id = ANY($1::uuid[])", [ids]);
}

export async function rejections(db: Queryable, id: string): Promise<{ reason: string; count: number }[]> {
  return db.query("SELECT reason, count FROM petition_rejections WHERE petition_id = $1 ORDER BY reason", [id]);
}

export async function addRejections(db: Queryable, ids: string[], reasons: string[], counts: number[]): Promise<void> {
  await db.query(
    `INSERT INTO petition_rejections (petition_id, reason, count)
     SELECT u.id::uuid, u.reason, u.n::bigint FROM unnest($1::text[], $2::text[], $3::text[]) AS u(id, reason, n)
      WHERE EXISTS (SELECT 1 FROM petitions p WHERE p.id = u.id::uuid)
     ON CONFLICT (petition_id, reason) DO UPDATE SET count = petition_rejections.count + excluded.count`,
    [ids, reasons, counts.map(String)],
  );
}

export interface PublicSignerRow { name: string; zip: string; verified_at: string }

/** Verified signers who agreed to be shown: name and ZIP only. */
export async function publicSigners(db: Queryable, petitionId: string, limit: number, offset: number): Promise<{ rows: PublicSignerRow[]; total: number }> {
  const [rows, [count]] = await Promise.all([
    db.query<PublicSignerRow>(
      `SELECT name, zip, verified_at FROM petition_signatures
        WHERE petition_id = $1 AND status = 'verified' AND show_publicly AND name IS NOT NULL
        ORDER BY verified_at DESC, id LIMIT $2 OFFSET $3`,
      [petitionId, limit, offset],
    ),
    db.query<{ n: number }>("SELECT count(*) AS n FROM petition_signatures WHERE petition_id = $1 AND status = 'verified' AND show_publicly AND name IS NOT NULL", [petitionId]),
  ]);
  return { rows, total: Number(count.n) };
}

// ---------------------------------------------------------------------------
// Signatures (batched)

export interface NewSignatureRow {
  id: string;
  petitionId: string;
  source: "online" | "paper";
  status: "pending" | "verified";
  name: string;
  zip: string;
  emailHash: string | null;
  network: string | null;
  showPublicly: boolean;
  lang: "en" | "es";
  signedAt: string;
  verifiedAt: string | null;
  paperBatchId: string | null;
}

/** Inserts the rows whose (petition, address) is new; returns the ids inserted. */
export async function insertSignatures(tx: Queryable, rows: readonly NewSignatureRow[]): Promise<Set<string>> {
  if (!rows.length) return new Set();
  const col = <K extends keyof NewSignatureRow>(key: K) => rows.map((row) => (row[key] === null ? null : String(row[key])));
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO petition_signatures (id, petition_id, source, status, name, zip, email_hash, network, show_publicly, lang, signed_at, verified_at, paper_batch_id)
     SELECT id::uuid, petition_id::uuid, source, status, name, zip, email_hash, network, show_publicly::boolean, lang, signed_at::timestamptz, verified_at::timestamptz, paper_batch_id::uuid
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
         AS u(id, petition_id, source, status, name, zip, email_hash, network, show_publicly, lang, signed_at, verified_at, paper_batch_id)
     ON CONFLICT (petition_id, email_hash) DO NOTHING
     RETURNING id`,
    [col("id"), col("petitionId"), col("source"), col("status"), col("name"), col("zip"), col("emailHash"), col("network"), col("showPublicly"), col("lang"), col("signedAt"), col("verifiedAt"), col("paperBatchId")],
  );
  return new Set(inserted.map((row) => row.id));
}

export interface ExistingSignature { id: string; petition_id: string; email_hash: string; status: "pending" | "verified" | "invalidated" | "expired" }

/** The signatures already holding these (petition, address hash) pairs. */
export async function findByEmailHashes(tx: Queryable, pairs: readonly { petitionId: string; emailHash: string }[]): Promise<ExistingSignature[]> {
  if (!pairs.length) return [];
  return tx.query<ExistingSignature>(
    `SELECT s.id, s.petition_id, s.email_hash, s.status FROM petition_signatures s
       JOIN unnest($1::text[], $2::text[]) AS u(petition_id, email_hash) ON s.petition_id = u.petition_id::uuid AND s.email_hash = u.email_hash`,
    [pairs.map((p) => p.petitionId), pairs.map((p) => p.emailHash)],
  );
}

/** Marks pending online signatures verified; returns those changed. */
export async function confirmSignatures(tx: Queryable, ids: readonly string[], at: string): Promise<{ id: string; petition_id: string }[]> {
  if (!ids.length) return [];
  return tx.query(
    `UPDATE petition_signatures SET status = 'verified', verified_at = $2::timestamptz
      WHERE id = ANY($1::uuid[]) AND status = 'pending' AND anonymised_at IS NULL
      RETURNING id, petition_id`,
    [ids, at],
  );
}

export interface SignatureState { id: string; petition_id: string; status: ExistingSignature["status"]; anonymised: boolean; source: "online" | "paper" }

export async function signatureStates(db: Queryable, ids: readonly string[]): Promise<SignatureState[]> {
  if (!ids.length) return [];
  return db.query<SignatureState>(
    "SELECT id, petition_id, status, anonymised_at IS NOT NULL AS anonymised, source FROM petition_signatures WHERE id = ANY($1::uuid[])",
    [ids],
  );
}

export interface TallyDelta { petitionId: string; pending: number; verified: number; paper: number; invalidated: number; expired: number }

/** Adds the deltas to each petition's tally; returns the new verified counts. */
export async function addTallies(tx: Queryable, deltas: readonly TallyDelta[]): Promise<{ petition_id: string; verified: number }[]> {
  if (!deltas.length) return [];
  // Several petitions in one transaction: lock their rows in one order, so two
  // processes' batches can never wait on each other in a cycle.
  if (deltas.length > 1) {
    await tx.query("SELECT 1 FROM petition_tallies WHERE petition_id = ANY($1::uuid[]) ORDER BY petition_id FOR UPDATE", [deltas.map((d) => d.petitionId)]);
  }
  const rows = await tx.query<{ petition_id: string; verified: number }>(
    `UPDATE petition_tallies t SET pending = t.pending + d.pending::int, verified = t.verified + d.verified::int, paper = t.paper + d.paper::int,
            invalidated = t.invalidated + d.invalidated::int, expired = t.expired + d.expired::int
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS d(petition_id, pending, verified, paper, invalidated, expired)
      WHERE t.petition_id = d.petition_id::uuid
      RETURNING t.petition_id, t.verified`,
    [deltas.map((d) => d.petitionId), ...(["pending", "verified", "paper", "invalidated", "expired"] as const).map((k) => deltas.map((d) => String(d[k])))],
  );
  return rows.map((row) => ({ petition_id: row.petition_id, verified: Number(row.verified) }));
}

export interface ReachedThreshold {
  id: string;
  petition_id: string;
  signatures: number;
  label_en: string;
  label_es: string;
  slug: string;
  title_en: string;
  target_en: string;
  target_email: string | null;
}

/** Marks every not-yet-reached threshold at or under the verified count as reached now; returns them. */
export async function reachThresholds(tx: Queryable, counts: readonly { petition_id: string; verified: number }[], at: string): Promise<ReachedThreshold[]> {
  if (!counts.length) return [];
  return tx.query<ReachedThreshold>(
    `UPDATE petition_thresholds h SET reached_at = $3::timestamptz
       FROM unnest($1::text[], $2::text[]) AS c(petition_id, verified), petitions p
      WHERE h.petition_id = c.petition_id::uuid AND p.id = h.petition_id AND h.reached_at IS NULL AND h.signatures <= c.verified::int
      RETURNING h.id, h.petition_id, h.signatures, h.label_en, h.label_es, p.slug, p.title_en, p.target_en, p.target_email`,
    [counts.map((c) => c.petition_id), counts.map((c) => String(c.verified)), at],
  );
}

export async function setThresholdNotice(tx: Queryable, thresholdId: string, outboxId: string): Promise<void> {
  await tx.query("UPDATE petition_thresholds SET notice_id = $2 WHERE id = $1", [thresholdId, outboxId]);
}

// ---------------------------------------------------------------------------
// Outbox (batched): the same rows enqueueEmail writes, many per statement.

export interface OutboxRow {
  id: string;
  to: string;
  subject: string;
  text: string;
  template: string;
  dedupeKey: string;
}

/** Queues messages whose dedupe key is new; returns the ids queued. */
export async function insertOutbox(tx: Queryable, messages: readonly OutboxRow[], at: string): Promise<Set<string>> {
  if (!messages.length) return new Set();
  const rows = await tx.query<{ id: string }>(
    `INSERT INTO email_outbox (id, to_address, subject, body_text, template, dedupe_key, next_attempt_at, created_at)
     SELECT id::uuid, to_address, subject, body_text, template, dedupe_key, $7::timestamptz, $7::timestamptz
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(id, to_address, subject, body_text, template, dedupe_key)
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING id`,
    [messages.map((m) => m.id), messages.map((m) => m.to), messages.map((m) => m.subject), messages.map((m) => m.text), messages.map((m) => m.template), messages.map((m) => m.dedupeKey), at],
  );
  return new Set(rows.map((row) => row.id));
}

// ---------------------------------------------------------------------------
// Paper, export, invalidation, anonymisation

export async function insertPaperBatch(tx: Queryable, petitionId: string, sha256: string, rows: number, by: string): Promise<string | null> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO petition_paper_batches (petition_id, file_sha256, rows, uploaded_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (petition_id, file_sha256) DO NOTHING RETURNING id`,
    [petitionId, sha256, rows, by],
  );
  return row?.id ?? null;
}

export interface ExportRow { id: string; name: string | null; zip: string | null; source: string; signed_at: string; verified_at: string }

/** Verified signatures in signing order, a page at a time after `afterId`'s position. */
export async function verifiedPage(db: Queryable, petitionId: string, after: { signedAt: string; id: string } | null, limit: number): Promise<ExportRow[]> {
  return db.query<ExportRow>(
    `SELECT id, name, zip, source, signed_at, verified_at FROM petition_signatures
      WHERE petition_id = $1 AND status = 'verified' AND ($2::timestamptz IS NULL OR (signed_at, id) > ($2::timestamptz, $3::uuid))
      ORDER BY signed_at, id LIMIT $4`,
    [petitionId, after?.signedAt ?? null, after?.id ?? null, limit],
  );
}

export async function lockSignature(tx: Queryable, petitionId: string, by: { id: string } | { emailHash: string }): Promise<{ id: string; status: ExistingSignature["status"]; source: "online" | "paper" } | undefined> {
  const [row] = "id" in by
    ? await tx.query<{ id: string; status: ExistingSignature["status"]; source: "online" | "paper" }>("SELECT id, status, source FROM petition_signatures WHERE petition_id = $1 AND id = $2::uuid FOR UPDATE", [petitionId, by.id])
    : await tx.query<{ id: string; status: ExistingSignature["status"]; source: "online" | "paper" }>("SELECT id, status, source FROM petition_signatures WHERE petition_id = $1 AND email_hash = $2 FOR UPDATE", [petitionId, by.emailHash]);
  return row;
}

export async function invalidateSignature(tx: Queryable, id: string, reason: string, at: string): Promise<void> {
  await tx.query("UPDATE petition_signatures SET status = 'invalidated', invalidated_at = $2::timestamptz, invalidated_reason = $3 WHERE id = $1", [id, at, reason]);
}

export async function petitionsToAnonymise(db: Queryable, closedBefore: string): Promise<{ id: string; slug: string }[]> {
  return db.query("SELECT id, slug FROM petitions WHERE closes_at IS NOT NULL AND closes_at <= $1::timestamptz AND anonymised_at IS NULL ORDER BY closes_at", [closedBefore]);
}

/** Locks the petition row so two anonymisation runs never overlap on it. */
export async function lockPetition(tx: Queryable, id: string): Promise<{ anonymised_at: string | null } | undefined> {
  const [row] = await tx.query<{ anonymised_at: string | null }>("SELECT anonymised_at FROM petitions WHERE id = $1 FOR UPDATE", [id]);
  return row;
}

/**
 * Wipes the signers' data of one petition and expires what was never confirmed;
 * returns how many rows were wiped and how many expired.
 */
export async function anonymiseSignatures(tx: Queryable, petitionId: string, at: string): Promise<{ wiped: number; expired: number }> {
  const rows = await tx.query<{ was_pending: boolean }>(
    `WITH old AS (SELECT id, status = 'pending' AS was_pending FROM petition_signatures WHERE petition_id = $1 AND anonymised_at IS NULL FOR UPDATE)
     UPDATE petition_signatures s SET name = NULL, zip = NULL, email_hash = NULL, network = NULL, show_publicly = false, anonymised_at = $2::timestamptz,
            status = CASE WHEN old.was_pending THEN 'expired' ELSE s.status END
       FROM old WHERE s.id = old.id
     RETURNING old.was_pending`,
    [petitionId, at],
  );
  return { wiped: rows.length, expired: rows.filter((row) => row.was_pending).length };
}

/**
 * Removes the address and text of this petition's confirmation emails from the
 * outbox (the signer data they hold); ones never sent are given up. Messages being
 * sent right now are left to their worker and caught by the next run.
 */
export async function scrubConfirmationEmails(tx: Queryable, petitionId: string): Promise<number> {
  const rows = await tx.query(
    `UPDATE email_outbox o SET to_address = 'anonymised@invalid', subject = 'anonymised', body_text = 'anonymised', body_html = NULL,
            status = CASE WHEN o.status = 'queued' THEN 'failed' ELSE o.status END,
            last_error = CASE WHEN o.status = 'queued' THEN 'signer data anonymised before sending' ELSE o.last_error END
      WHERE o.dedupe_key = ANY (ARRAY(
              SELECT k FROM petition_signatures s, LATERAL (VALUES ('petition.confirm:' || s.id), ('petition.confirm.resend:' || s.id)) AS v(k)
               WHERE s.petition_id = $1))
        AND o.status IN ('queued', 'sent', 'failed') AND o.to_address <> 'anonymised@invalid'
      RETURNING o.id`,
    [petitionId],
  );
  return rows.length;
}

export async function markPetitionAnonymised(tx: Queryable, id: string, at: string): Promise<void> {
  await tx.query("UPDATE petitions SET anonymised_at = $2::timestamptz WHERE id = $1", [id, at]);
}

export async function closePetition(tx: Queryable, id: string, at: string): Promise<boolean> {
  const rows = await tx.query("UPDATE petitions SET closes_at = $2::timestamptz WHERE id = $1 AND (closes_at IS NULL OR closes_at > $2::timestamptz) AND opens_at < $2::timestamptz RETURNING id", [id, at]);
  return rows.length > 0;
}

/** Signatures per status, counted from the rows (tests compare it with the tally). */
export async function countByStatus(db: Queryable, petitionId: string): Promise<Record<string, number>> {
  const rows = await db.query<{ status: string; source: string; n: number }>("SELECT status, source, count(*) AS n FROM petition_signatures WHERE petition_id = $1 GROUP BY status, source", [petitionId]);
  const out: Record<string, number> = { pending: 0, verified: 0, paper: 0, invalidated: 0, expired: 0 };
  for (const row of rows) {
    out[row.status] += Number(row.n);
    if (row.source === "paper" && row.status === "verified") out.paper += Number(row.n);
  }
  return out;
}
