import assert from "node:assert/strict";
import { openBytes, openText } from "../../db/data-key.js";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { verifyAuditLog } from "../../audit/service.js";
import type { Db, Queryable } from "../../db/db.js";
import { databaseSnapshot } from "../../db/snapshot.js";
import { openTestDb, testEngine } from "../../db/test-db.js";
import * as repo from "../repo.js";
import { checkFiles, EvidenceError, MAX_FILE_BYTES, sha256Hex, type EvidenceFile } from "./check.js";
import { CANARY, contains, exe, html, jpegWithMetadata, mp3, pdf, pngWithMetadata } from "./fixtures.js";
import { custodyOf, evidenceForCase, openEvidence, storeEvidence } from "./store.js";

const file = (name: string, bytes: Uint8Array, type = ""): EvidenceFile => ({ name, type, bytes });

let caseCounter = 0;
/** Inserts a bare case, as submitComplaint does, inside the caller's transaction. */
async function insertCase(tx: Queryable): Promise<string> {
  caseCounter += 1;
  return repo.insertCase(tx, { case_number: `OV-EV-${process.pid}-${caseCounter}`, receipt_hash: "0".repeat(64), state: "received", channel: "online", narrative: "A complaint with evidence." });
}

const count = async (db: Queryable, table: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;

describe(`evidence storage and custody (${testEngine})`, () => {
  let db: Db;
  let caseId: string;
  let otherCaseId: string;
  const staff = `user:${randomUUID()}` as const;

  before(async () => {
    db = await openTestDb();
    caseId = await db.transaction(insertCase);
    otherCaseId = await db.transaction(insertCase);
  });
  after(() => db.close());

  it("stores a photo's original and its stripped copy by sha256, with custody and an audit entry that names no file", async () => {
    const photo = jpegWithMetadata();
    const stored = await db.transaction((tx) => storeEvidence(tx, caseId, file("Jane Canary bruise GPS.jpg", photo, "image/jpeg"), "complainant"));
    assert.equal(stored.sha256, sha256Hex(photo));
    assert.notEqual(stored.sharedSha256, stored.sha256);
    assert.equal(stored.newBlob, true);
    const [item] = await db.query<{ original_name: string; declared_type: string; detected_type: string; size: number; uploaded_by: string }>(
      "SELECT original_name, declared_type, detected_type, size, uploaded_by FROM evidence_items WHERE id = $1", [stored.id]);
    assert.ok(!item.original_name.includes("Canary"), "the file name is sealed at rest");
    assert.deepEqual({ ...item, original_name: openText(item.original_name) }, { original_name: "Jane Canary bruise GPS.jpg", declared_type: "image/jpeg", detected_type: "image/jpeg", size: photo.length, uploaded_by: "complainant" });
    // The original is kept exactly; the shared copy has no GPS.
    const blobs = await db.query<{ sha256: string; bytes: Uint8Array; sealed: boolean }>("SELECT sha256, bytes, sealed FROM evidence_blobs WHERE sha256 IN ($1, $2)", [stored.sha256, stored.sharedSha256]);
    // Both copies are sealed at rest: the stored bytes hold none of the photo's metadata.
    assert.ok(blobs.every((b) => b.sealed && !contains(b.bytes, CANARY.make) && !contains(b.bytes, CANARY.comment)));
    const original = openBytes(blobs.find((b) => b.sha256 === stored.sha256)!.bytes);
    const shared = openBytes(blobs.find((b) => b.sha256 === stored.sharedSha256)!.bytes);
    assert.equal(sha256Hex(original), stored.sha256);
    assert.equal(sha256Hex(shared), stored.sharedSha256);
    assert.ok(contains(original, CANARY.make) && !contains(shared, CANARY.make));
    assert.deepEqual((await custodyOf(db, stored.id)).map((c) => [c.actor, c.action, c.sha256]), [["complainant", "added", stored.sha256], ["system", "stripped", stored.sharedSha256]]);
    const audit = await db.query<{ entry: string; action: string; actor: string }>("SELECT entry, action, actor FROM audit_log WHERE entity_id = $1", [stored.id]);
    assert.equal(audit.length, 1);
    assert.equal(audit[0].action, "evidence.add");
    assert.match(audit[0].entry, new RegExp(stored.sha256));
    assert.doesNotMatch(audit[0].entry, /Jane|Canary|bruise|\.jpg/);
    assert.deepEqual(await verifyAuditLog(db).then((r) => r.ok), true);
  });

  it("stores identical content once, for this case and another", async () => {
    const bytes = pdf("% dedupe\n");
    const blobsBefore = await count(db, "evidence_blobs");
    const first = await db.transaction((tx) => storeEvidence(tx, caseId, file("a.pdf", bytes), staff));
    const second = await db.transaction((tx) => storeEvidence(tx, otherCaseId, file("copy of a.pdf", bytes), "complainant"));
    const third = await db.transaction((tx) => storeEvidence(tx, caseId, file("again.pdf", bytes), staff));
    assert.equal(await count(db, "evidence_blobs"), blobsBefore + 1);
    assert.deepEqual([first.newBlob, second.newBlob, third.newBlob], [true, false, false]);
    assert.equal(new Set([first.sha256, second.sha256, third.sha256, first.sharedSha256]).size, 1, "a PDF is shared as it is");
    assert.equal(new Set([first.id, second.id, third.id]).size, 3, "each upload is its own item with its own custody");
    assert.deepEqual((await custodyOf(db, first.id)).map((c) => c.action), ["added"]);
    // Two photos with different metadata around the same pixels are two originals but can share one stripped copy.
    const a = await db.transaction((tx) => storeEvidence(tx, caseId, file("x.png", pngWithMetadata()), staff));
    const b = await db.transaction((tx) => storeEvidence(tx, caseId, file("y.png", pngWithMetadata()), staff));
    assert.equal(a.sharedSha256, b.sharedSha256);
    assert.equal(b.newBlob, false);
  });

  it("records custody for each view and export, with the bytes served, in order", async () => {
    const stored = await db.transaction((tx) => storeEvidence(tx, caseId, file("clip.mp3", mp3()), staff));
    const viewer = `user:${randomUUID()}` as const;
    const viewed = await db.transaction((tx) => openEvidence(tx, caseId, stored.id, viewer, "viewed"));
    assert.ok(viewed && viewed !== "refused");
    assert.equal(sha256Hex(viewed.bytes), stored.sharedSha256);
    await db.transaction((tx) => openEvidence(tx, caseId, stored.id, viewer, "exported"));
    assert.deepEqual((await custodyOf(db, stored.id)).map((c) => [c.actor, c.action]), [[staff, "added"], [viewer, "viewed"], [viewer, "exported"]]);
    const actions = await db.query<{ action: string }>("SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY seq", [stored.id]);
    assert.deepEqual(actions.map((a) => a.action), ["evidence.add", "evidence.view", "evidence.export"]);
    // Another case's number with this item's id finds nothing and records nothing.
    assert.equal(await db.transaction((tx) => openEvidence(tx, otherCaseId, stored.id, viewer, "viewed")), null);
    // A refused type records nothing either.
    assert.equal(await db.transaction((tx) => openEvidence(tx, caseId, stored.id, viewer, "viewed", () => false)), "refused");
    assert.equal((await custodyOf(db, stored.id)).length, 3);
  });

  it("refuses to hand out a file whose stored bytes were swapped outside the application, recording nothing", async () => {
    const first = await db.transaction((tx) => storeEvidence(tx, caseId, file("first.mp3", mp3()), staff));
    const second = await db.transaction((tx) => storeEvidence(tx, caseId, file("second.pdf", pdf()), staff));
    // What an insider with the database could do: the triggers that keep blobs append-only are switched off.
    await db.transaction(async (tx) => {
      await tx.query("SET LOCAL session_replication_role = replica");
      await tx.query("UPDATE evidence_blobs SET bytes = (SELECT bytes FROM evidence_blobs WHERE sha256 = $2), sealed = (SELECT sealed FROM evidence_blobs WHERE sha256 = $2) WHERE sha256 = $1", [first.sharedSha256, second.sharedSha256]);
    });
    const custodyBefore = (await custodyOf(db, first.id)).length;
    await assert.rejects(
      db.transaction((tx) => openEvidence(tx, caseId, first.id, staff, "viewed")),
      new RegExp(`evidence ${first.id}: the stored file does not match its SHA-256`),
    );
    assert.equal((await custodyOf(db, first.id)).length, custodyBefore, "no custody record for bytes that were not handed out");
    const untouched = await db.transaction((tx) => openEvidence(tx, caseId, second.id, staff, "viewed"));
    assert.ok(untouched && untouched !== "refused" && sha256Hex(untouched.bytes) === second.sharedSha256, "an intact file still opens");
  });

  it("lists a case's evidence with custody counts, and original names only when asked", async () => {
    const listed = await evidenceForCase(db, otherCaseId);
    assert.equal(listed.length, 1);
    assert.equal(listed[0].originalName, null);
    assert.equal(listed[0].uploadedBy, "complainant");
    assert.equal(listed[0].custodyCount, 1);
    const named = await evidenceForCase(db, otherCaseId, { names: true });
    assert.equal(named[0].originalName, "copy of a.pdf");
    const mine = await evidenceForCase(db, caseId);
    assert.ok(mine.length >= 5);
    assert.deepEqual(mine.slice(0, 2).map((e) => e.detectedType), ["image/jpeg", "application/pdf"], "in the order they were added");
  });

  it("keeps evidence and custody append-only", async () => {
    await assert.rejects(db.query("UPDATE evidence_custody SET actor = 'someone else'"), /append-only/);
    await assert.rejects(db.query("DELETE FROM evidence_items"), /append-only/);
    await assert.rejects(db.query("UPDATE evidence_blobs SET bytes = '\\x00'"), /append-only/);
  });

  it("refuses a file of 20 MB and one byte by name, writing nothing", async () => {
    const before = await databaseSnapshot(db);
    const over = new Uint8Array(MAX_FILE_BYTES + 1);
    over.set(pdf());
    await assert.rejects(
      db.transaction((tx) => storeEvidence(tx, caseId, file("long video.pdf", over), "complainant")),
      (e: unknown) => e instanceof EvidenceError && e.problem === "too_large" && /long video\.pdf/.test(e.detail!),
    );
    assert.deepEqual(await databaseSnapshot(db), before);
  });

  it("stores and serves a 20 MB file intact", async () => {
    const big = new Uint8Array(MAX_FILE_BYTES);
    big.set(pdf());
    for (let i = 4096; i < big.length; i += 4096) big[i] = i & 0xff;
    const stored = await db.transaction((tx) => storeEvidence(tx, caseId, file("scan.pdf", big), staff));
    const opened = await db.transaction((tx) => openEvidence(tx, caseId, stored.id, staff, "exported"));
    assert.ok(opened && opened !== "refused");
    assert.equal(opened.bytes.length, MAX_FILE_BYTES);
    assert.equal(sha256Hex(opened.bytes), sha256Hex(big));
  });

  it("writes nothing at all — no case, no file, no audit entry — when the third file of a submission is bad", async () => {
    const files = [file("one.jpg", jpegWithMetadata()), file("two.pdf", pdf("% two\n")), file("three.jpg", html(), "image/jpeg"), file("four.mp3", mp3())];
    // The intake route checks first: refused before any write, naming the third file.
    assert.throws(() => checkFiles(files), (e: unknown) => e instanceof EvidenceError && e.index === 3 && e.fileName === "three.jpg" && e.problem === "type");
    // And even a caller that skips the check cannot leave half a submission: as submitComplaint would, in one transaction.
    for (const bad of [html(), exe()]) {
      const before = await databaseSnapshot(db);
      await assert.rejects(db.transaction(async (tx) => {
        const id = await insertCase(tx);
        for (const f of [files[0], files[1], file("three.jpg", bad, "image/jpeg"), files[3]]) await storeEvidence(tx, id, f, "complainant");
      }), EvidenceError);
      const afterSnapshot = await databaseSnapshot(db);
      assert.deepEqual(afterSnapshot, before);
      assert.ok(["cases", "evidence_blobs", "evidence_items", "evidence_custody", "audit_log"].every((t) => t in afterSnapshot.counts));
    }
  });

  it("refuses an actor that is neither the complainant nor a user", async () => {
    await assert.rejects(db.transaction((tx) => storeEvidence(tx, caseId, file("a.pdf", pdf()), "Jane Canary" as never)), /actor/);
  });
});
