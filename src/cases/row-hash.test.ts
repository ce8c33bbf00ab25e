import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { rowDigest } from "../audit/repo.js";
import { appendAudit, recordUnvouchedRows, verifyRows } from "../audit/service.js";
import { createUser } from "../auth/service.js";
import type { Db } from "../db/db.js";
import { openTestDb, testEngine } from "../db/test-db.js";
import { TEST_SECRET } from "../web/test-app.js";
import { assignCase } from "./assignment-service.js";
import { submitComplaint } from "./service.js";
import * as staff from "./staff-service.js";
import { CASE_ROW_TABLES, CASE_TABLES } from "./vouched-rows.js";

/**
 * Every service write to a case row records the row's digest in its audit
 * entry, so a change made straight in the database is found. (The other tables
 * of the office: row-hash-tables.test.ts.)
 */
describe(`case rows vouched for by the audit log (${testEngine})`, () => {
  let db: Db;
  let cases: string[];
  before(async () => {
    db = await openTestDb();
    const investigator = await createUser(db, { email: "inv@example.org", displayName: "Inv", password: "investigator password", role: "investigator" }, "test");
    const admin = await createUser(db, { email: "admin@example.org", displayName: "Admin", password: "administrator password", role: "admin" }, "test");
    cases = [];
    for (const narrative of ["Stopped without reason.", "Pushed during an arrest.", "Insulted at a checkpoint."]) {
      cases.push((await submitComplaint(db, TEST_SECRET, { narrative, categories: ["discourtesy"], anonymous: true }, null)).caseId);
    }
    // Every other service that writes a case row: a transition, an acknowledgement, an assignment.
    await staff.transition(db, "user:staff", cases[0], { to: "triage" });
    await staff.markDone(db, "user:staff", cases[1], "contacted");
    await assignCase(db, { id: admin, scope: "any" }, cases[2], investigator);
  });
  after(() => db.close());

  it("passes on a database changed only through the services", async () => {
    const result = await verifyRows(db, CASE_ROW_TABLES);
    assert.equal(result.ok, true, JSON.stringify(result));
    const [{ count }] = await db.query<{ count: number }>(`SELECT (${CASE_ROW_TABLES.map((t) => `(SELECT count(*) FROM ${t.name})`).join(" + ")})::int AS count`);
    assert.equal(result.rows, count, "every row of every covered table was compared");
  });

  it("records the digest, never the row's content, in the entry", async () => {
    const [entry] = await db.query<{ entry: string }>("SELECT entry FROM audit_log WHERE action = 'case.submit' ORDER BY seq LIMIT 1");
    const data = JSON.parse(entry.entry).data;
    // One entry vouches for every row the submission wrote: the case, its allegation, its first event.
    assert.deepEqual(data.rowHashes.map((h: { table: string }) => h.table).sort(), ["case_allegations", "case_events", "cases"]);
    for (const hash of data.rowHashes) {
      assert.deepEqual(Object.keys(hash).sort(), ["id", "sha256", "table"]);
      assert.match(hash.sha256, /^[0-9a-f]{64}$/);
    }
    assert.doesNotMatch(entry.entry, /Stopped without reason/);
  });

  it("gives the same digest whatever the session's time zone, and leaves the zone as it was", async () => {
    const digestIn = (zone: string) =>
      db.transaction(async (tx) => {
        await tx.query(`SET LOCAL TimeZone = '${zone}'`);
        const digest = await rowDigest(tx, CASE_TABLES.cases, cases[0]);
        const [{ timezone }] = await tx.query<{ timezone: string }>("SELECT current_setting('TimeZone') AS timezone");
        assert.equal(timezone, zone);
        return digest;
      });
    const [{ entry }] = await db.query<{ entry: string }>("SELECT entry FROM audit_log WHERE entity_id = $1 ORDER BY seq DESC LIMIT 1", [cases[0]]);
    const recorded = JSON.parse(entry).data.rowHashes.find((h: { table: string }) => h.table === "cases").sha256;
    assert.equal(await digestIn("Asia/Kolkata"), recorded);
    assert.equal(await digestIn("America/Chicago"), recorded);
  });

  it("finds a case whose narrative was changed directly in the database, and only that one", async () => {
    const [stored] = await db.query<{ narrative: string }>("SELECT narrative FROM cases WHERE id = $1", [cases[1]]);
    await db.query("UPDATE cases SET narrative = 'x' WHERE id = $1", [cases[1]]);
    const result = await verifyRows(db, CASE_ROW_TABLES);
    assert.equal(result.ok, false);
    assert.deepEqual(result.ok ? [] : result.problems.map((p) => [p.table, p.id]), [["cases", cases[1]]]);
    assert.match(result.ok ? "" : result.problems[0].reason, /differs from what entry \d+ recorded/);
    // Putting the old text back makes the row match its entry again.
    await db.query("UPDATE cases SET narrative = $2 WHERE id = $1", [cases[1], stored.narrative]);
    assert.equal((await verifyRows(db, CASE_ROW_TABLES)).ok, true);
  });

  it("finds a case inserted directly, and records it only when asked", async () => {
    const [{ id }] = await db.query<{ id: string }>(
      "INSERT INTO cases (case_number, receipt_hash, state, channel, narrative) VALUES ('OV-2026-999999', 'x', 'received', 'online', 'planted') RETURNING id",
    );
    const result = await verifyRows(db, CASE_ROW_TABLES);
    assert.deepEqual(result.ok ? [] : result.problems.map((p) => [p.id, p.reason]), [[id, "no audit entry records this row"]]);
    assert.equal(await recordUnvouchedRows(db, "system:test", CASE_ROW_TABLES), 1);
    assert.equal((await verifyRows(db, CASE_ROW_TABLES)).ok, true);
  });

  it("still reads the single rowHash of entries written when only case rows were vouched for", async () => {
    const [{ id }] = await db.query<{ id: string }>(
      "INSERT INTO cases (case_number, receipt_hash, state, channel, narrative) VALUES ('OV-2026-999998', 'x', 'received', 'online', 'older') RETURNING id",
    );
    await db.transaction(async (tx) => {
      const sha256 = await rowDigest(tx, CASE_TABLES.cases, id);
      await appendAudit(tx, { actor: "system:test", action: "case.submit", entity: "case", entityId: id, data: { rowHash: { table: "cases", id, sha256 } } });
    });
    assert.equal((await verifyRows(db, CASE_ROW_TABLES)).ok, true);
    await db.query("UPDATE cases SET narrative = 'changed' WHERE id = $1", [id]);
    const result = await verifyRows(db, CASE_ROW_TABLES);
    assert.deepEqual(result.ok ? [] : result.problems.map((p) => [p.table, p.id]), [["cases", id]]);
    await db.query("UPDATE cases SET narrative = 'older' WHERE id = $1", [id]);
  });
});
