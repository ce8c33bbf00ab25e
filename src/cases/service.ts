import { randomBytes } from "node:crypto";
import { appendAudit, type RowRef } from "../audit/service.js";
import { hashToken } from "../auth/sessions.js";
import type { Db, Queryable } from "../db/db.js";
import { HttpError } from "../web/errors.js";
import { checkFiles, type EvidenceFile } from "./evidence/check.js";
import { storeEvidence } from "./evidence/store.js";
import { hashReceipt, newReceipt, receiptMatches } from "./receipts.js";
import { notifyComplainant } from "./notify.js";
import * as repo from "./repo.js";
import { caseRow, caseRows } from "./vouched-rows.js";
import { complainantMessageSchema, intakeSchema, receiptLookupSchema, type Intake, type IntakeCategory, type IntakeInput } from "./schema.js";

export interface Submitted {
  caseId: string;
  caseNumber: string;
  /** Shown once to the complainant and never stored in the clear. */
  receipt: string;
}

/**
 * Files a complaint: the case, its complainant (unless anonymous), officers,
 * witnesses and allegations, its first event and its audit entry, all in one
 * transaction: either the complaint and its receipt exist, or nothing does.
 */
export interface SubmitOptions {
  now?: Date;
  evidence?: readonly EvidenceFile[];
  /** The base of the link in the acknowledgement email (see web/link-base.ts). */
  linkBase?: string;
}

export async function submitComplaint(db: Db, secret: Buffer, input: IntakeInput, enteredBy: string | null, { now = new Date(), evidence = [], linkBase = "" }: SubmitOptions = {}): Promise<Submitted> {
  const intake = intakeSchema.parse(input);
  // Every file is checked (count, size, real type, cleanable image) before anything is written.
  const files = checkFiles(evidence);
  const receipt = newReceipt();
  return db.transaction(async (tx) => {
    const caseNumber = await repo.nextCaseNumber(tx, now.getUTCFullYear());
    const caseId = await repo.insertCase(tx, {
      case_number: caseNumber, receipt_hash: hashReceipt(secret, receipt), state: "received", channel: intake.channel, language: intake.language,
      anonymous: intake.anonymous, third_party: intake.third_party, incident_date: intake.incident_date, incident_time: intake.incident_time,
      location: intake.location, district: intake.district, narrative: intake.narrative, received_at: now.toISOString(), entered_by: enteredBy,
    });
    const parties = await storeParties(tx, caseId, intake);
    const eventId = await repo.insertRow(tx, "case_events", { case_id: caseId, actor: enteredBy ? `user:${enteredBy}` : "complainant", kind: "received", to_state: "received", body: null, visible_to_complainant: true });
    for (const file of files) await storeEvidence(tx, caseId, file, enteredBy ? `user:${enteredBy}` : "complainant", now);
    // The audit entry names the case and counts, never who complained or what they wrote.
    // An email acknowledgement, when the complainant asked for contact, is the office's acknowledgement.
    if (await notifyComplainant(tx, caseId, "received", linkBase)) {
      await repo.updateCase(tx, caseId, { acknowledged_at: now.toISOString() });
    }
    await appendAudit(tx, { actor: enteredBy ? `user:${enteredBy}` : "complainant", action: "case.submit", entity: "case", entityId: caseId, rows: [caseRow("cases", caseId), ...parties, caseRow("case_events", eventId)], data: { channel: intake.channel, anonymous: intake.anonymous, officers: intake.officers.length, categories: intake.categories, evidence: files.length } });
    return { caseId, caseNumber, receipt };
  });
}

/** Stores the people, officers and allegations of a complaint; returns the rows written, for the audit entry. */
async function storeParties(tx: Queryable, caseId: string, intake: Intake): Promise<RowRef[]> {
  const written: RowRef[] = [];
  const identity = intake.anonymous ? null : { name: intake.name, email: intake.email, phone: intake.phone, address: intake.address };
  const anyContact = intake.email || intake.phone;
  if (identity || anyContact) {
    // An anonymous complainant may still leave a way to be reached, without a name.
    written.push(caseRow("case_people", await repo.insertRow(tx, "case_people", { case_id: caseId, role: "complainant", ...(identity ?? { email: intake.email, phone: intake.phone }), contact_ok: intake.contact_ok && !!anyContact })));
  }
  for (const witness of intake.witnesses.filter((w) => w.name || w.contact)) {
    written.push(caseRow("case_people", await repo.insertRow(tx, "case_people", { case_id: caseId, role: "witness", name: witness.name, notes: witness.contact })));
  }
  const officerIds: string[] = [];
  for (const officer of intake.officers.filter((o) => o.name || o.badge || o.vehicle || o.description)) {
    officerIds.push(await repo.insertRow(tx, "case_officers", { case_id: caseId, ...officer }));
  }
  const categories: IntakeCategory[] = intake.categories.length ? intake.categories : ["other"];
  for (const category of new Set(categories)) {
    written.push(caseRow("case_allegations", await repo.insertRow(tx, "case_allegations", {
      case_id: caseId, case_officer_id: officerIds.length === 1 ? officerIds[0] : null, category,
      is_force: category === "excessive_force" || category === "death", is_criminal: category === "criminal_conduct", is_death: category === "death",
    })));
  }
  return [...written, ...caseRows("case_officers", officerIds)];
}

/** What the generic refusal says: it never tells whether the case exists. */
const noMatch = () => new HttpError(404, "cases.lookupFailed");

/** Finds a case by number and receipt; any mismatch is the same generic refusal. */
export async function openByReceipt(db: Db, secret: Buffer, input: { case_number: string; receipt: string }): Promise<string> {
  const parsed = receiptLookupSchema.safeParse(input);
  if (!parsed.success) throw noMatch();
  const found = await repo.findCaseByNumber(db, parsed.data.case_number);
  // Hash even when the case is unknown, so timing does not reveal which case numbers exist.
  const ok = receiptMatches(secret, parsed.data.receipt, found?.receipt_hash ?? "0".repeat(64));
  if (!found || !ok) throw noMatch();
  return found.id;
}

/** The complainant's access lapses after this long unused... */
export const CASE_ACCESS_IDLE_MINUTES = 30;
/** ...and ends this long after it was opened, however busy. */
export const CASE_ACCESS_MAX_HOURS = 12;
/** last_seen_at is written at most once a minute: the idle timeout needs no finer grain. */
const CASE_ACCESS_TOUCH_MS = 60_000;

/**
 * Opens the complainant's access to their case from one browser: a random
 * token for the cookie, of which only the hash is stored. The row is the
 * access; `closeCaseAccess` deletes it.
 */
export async function openCaseAccess(db: Db, caseId: string, now = new Date()): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await repo.insertCaseAccess(db, {
    tokenHash: hashToken(token), caseId, now: now.toISOString(),
    expiresAt: new Date(now.getTime() + CASE_ACCESS_MAX_HOURS * 3_600_000).toISOString(),
    idleSince: new Date(now.getTime() - CASE_ACCESS_IDLE_MINUTES * 60_000).toISOString(),
  });
  return token;
}

/** The case the browser's token opens, or null when it is unknown, closed, idle for 30 minutes or past its end. */
export async function caseForAccess(db: Db, token: string | undefined, now = new Date()): Promise<string | null> {
  if (!token || token.length > 100) return null;
  const caseId = await repo.useCaseAccess(db, hashToken(token), now.toISOString(),
    new Date(now.getTime() - CASE_ACCESS_IDLE_MINUTES * 60_000).toISOString(), new Date(now.getTime() - CASE_ACCESS_TOUCH_MS).toISOString());
  return caseId ?? null;
}

/** "Close on this device": the token opens nothing any more, even if the cookie was copied. */
export async function closeCaseAccess(db: Db, token: string | undefined): Promise<void> {
  if (token && token.length <= 100) await repo.deleteCaseAccess(db, hashToken(token));
}

/** What the complainant sees: the state, dates, and the messages meant for them. */
export async function complainantView(db: Db, caseId: string) {
  const found = await repo.findCase(db, caseId);
  if (!found) throw noMatch();
  const events = await repo.eventsOf(db, caseId, true);
  return { case: found, events };
}

/** The complainant adds information or replies to a message: one event, audited without its text. */
export async function complainantMessage(db: Db, caseId: string, input: { body: string }) {
  const { body } = complainantMessageSchema.parse(input);
  await db.transaction(async (tx) => {
    const found = await repo.findCase(tx, caseId, true);
    if (!found) throw noMatch();
    const eventId = await repo.insertRow(tx, "case_events", { case_id: caseId, actor: "complainant", kind: "complainant_message", body, visible_to_complainant: true });
    await appendAudit(tx, { actor: "complainant", action: "case.complainant_message", entity: "case", entityId: caseId, rows: [caseRow("case_events", eventId)], data: { length: body.length } });
  });
}

/**
 * Seals complainants' data written before sealing at rest existed (narrative,
 * location, people, history text), in batches, each batch one transaction.
 * Every row changed this way is vouched for by an audit entry with its new
 * (sealed) digest, as every write to the office's tables is, so
 * `oversight audit verify --rows` still vouches for it: a case row by an entry
 * of its own, the other tables' rows by one entry per batch.
 * Idempotent: the start-up runs it every time and it finds nothing to do once done.
 * Returns how many rows it sealed.
 */
export async function sealOlderCaseData(db: Db, batch = 200): Promise<number> {
  let sealed = 0;
  for (const table of Object.keys(repo.SEALED_TABLES) as (keyof typeof repo.SEALED_TABLES)[]) {
    for (;;) {
      const count = await db.transaction(async (tx) => {
        const rows = await repo.unsealedRows(tx, table, batch);
        for (const row of rows) {
          await repo.sealRowInPlace(tx, table, row);
          if (table === "cases") {
            await appendAudit(tx, { actor: "system", action: "case.sealed_at_rest", entity: "case", entityId: String(row.id), rows: [caseRow("cases", String(row.id))], data: {} });
          }
        }
        // The other tables' rows of the batch are vouched for by one entry.
        if (table !== "cases" && rows.length) {
          await appendAudit(tx, { actor: "system", action: "case.sealed_at_rest", entity: table, rows: caseRows(table, rows.map((row) => String(row.id))), data: { count: rows.length } });
        }
        return rows.length;
      });
      sealed += count;
      if (count < batch) break;
    }
  }
  return sealed;
}
