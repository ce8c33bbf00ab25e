import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { verifyRows, type RowProblem } from "../audit/service.js";
import { createUser } from "../auth/service.js";
import type { Db, Queryable } from "../db/db.js";
import { openTestDb, testEngine } from "../db/test-db.js";
import { TEST_SECRET } from "../web/test-app.js";
import { assignCase } from "./assignment-service.js";
import { jpegWithMetadata } from "./evidence/fixtures.js";
import { openEvidence } from "./evidence/store.js";
import * as repo from "./repo.js";
import { deleteExpiredContactDetails, setLegalHold } from "./retention.js";
import { complainantMessage, submitComplaint } from "./service.js";
import { saveOfficeSettings } from "./settings-service.js";
import * as staff from "./staff-service.js";
import { CASE_ROW_TABLES, CASE_TABLES, type CaseTable } from "./vouched-rows.js";

/**
 * Every table of the complaints office that a service writes is vouched for
 * row by row: a run of every service path leaves `verifyRows` clean, and a
 * direct UPDATE, INSERT or DELETE in any of those tables is named, table and
 * row. (The cases table's own details: row-hash.test.ts.)
 */

/** For each covered table, a change to one column that a direct edit could make. */
const EDIT: Record<CaseTable, { column: string; value: string; unique?: string }> = {
  cases: { column: "narrative", value: "'rewritten'", unique: "'case_number', 'OV-2026-PLANTED'" },
  case_people: { column: "name", value: "'someone else'" },
  case_officers: { column: "badge", value: "'0000'" },
  case_allegations: { column: "category", value: "'other'" },
  case_events: { column: "visible_to_complainant", value: "NOT visible_to_complainant" },
  case_tolling: { column: "ends_on", value: "DATE '2030-01-01'" },
  referrals: { column: "reason", value: "'nothing'" },
  reinstatement_flags: { column: "reasons", value: "'none'" },
  board_panels: { column: "members", value: "'{}'::uuid[]" },
  board_votes: { column: "vote", value: "'exonerated'" },
  evidence_items: { column: "declared_type", value: "'text/plain'" },
  evidence_custody: { column: "actor", value: "actor || '.'" },
  office_settings: { column: "value", value: "'\"18m\"'::jsonb" },
};

describe(`every table of the complaints office vouched for by the audit log (${testEngine})`, () => {
  let db: Db;
  before(async () => {
    db = await openTestDb();
    const admin = await createUser(db, { email: "admin@example.org", displayName: "Admin", password: "administrator password", role: "admin" }, "test");
    const investigator = await createUser(db, { email: "inv@example.org", displayName: "Inv", password: "investigator password", role: "investigator" }, "test");
    const members: string[] = [];
    for (let i = 0; i < 3; i += 1) members.push(await createUser(db, { email: `board${i}@example.org`, displayName: `Board ${i}`, password: "board member password", role: "board_member" }, "test"));
    const [person] = await db.query<{ id: string }>("INSERT INTO people (first_name, last_name, full_name) VALUES ('Pat', 'Officer', 'Pat Officer') RETURNING id");
    const move = (id: string, ...states: string[]) => states.reduce((done, to) => done.then(() => staff.transition(db, "user:staff", id, { to: to as never })), Promise.resolve() as Promise<unknown>);

    // Intake with a witness, an officer and a photo whose metadata is stripped (custody 'added' and 'stripped').
    const { caseId } = await submitComplaint(db, TEST_SECRET, {
      narrative: "Pushed to the ground during a stop.", categories: ["excessive_force", "discourtesy"], name: "Canary Complainant", email: "canary@example.org", contact_ok: true,
      anonymous: false, officers: [{ badge: "1234" }], witnesses: [{ name: "Walt Witness", contact: "816-555-0101" }],
    }, null, { evidence: [{ name: "photo.jpg", type: "image/jpeg", bytes: jpegWithMetadata() }] });
    const [evidence] = await db.query<{ id: string }>("SELECT id FROM evidence_items WHERE case_id = $1", [caseId]);
    await db.transaction((tx) => openEvidence(tx, caseId, evidence.id, `user:${admin}`, "viewed"));
    await complainantMessage(db, caseId, { body: "One more thing." });

    // Staff edits.
    const [officer] = await repo.officersOf(db, caseId);
    await staff.identifyOfficer(db, "user:staff", caseId, officer.id, person.id);
    await staff.addOfficer(db, "user:staff", caseId, { name: "Second Officer" });
    await staff.markDone(db, "user:staff", caseId, "contacted");
    await staff.addNote(db, "user:staff", caseId, "Called the witness.", false);
    await staff.addNote(db, "user:staff", caseId, "We are looking into it.", true);
    const tolling = await staff.addTolling(db, "user:staff", caseId, { kind: "waiver", starts_on: "2026-01-01" });
    await staff.endTolling(db, "user:staff", caseId, tolling, "2026-02-01");
    await assignCase(db, { id: admin, scope: "any" }, caseId, investigator);
    await saveOfficeSettings(db, `user:${admin}`, { discipline_window: "1y" });
    await staff.reportReinstatement(db, "user:staff", person.id, "2026-03-01");

    // The board: a panel, a vote, a recusal; then the department's decision and closing.
    await move(caseId, "triage", "investigation");
    const allegations = await repo.allegationsOf(db, caseId);
    await staff.updateAllegation(db, "user:staff", caseId, allegations[0].id, { investigator_finding: "sustained" });
    await move(caseId, "review", "board_review");
    await staff.assignBoardPanel(db, `user:${admin}`, caseId, members);
    for (const allegation of allegations) {
      await staff.castVote(db, members[0], caseId, { allegation_id: allegation.id, vote: "substantiated" });
      await staff.castVote(db, members[1], caseId, { allegation_id: allegation.id, vote: "substantiated" });
    }
    await staff.castVote(db, members[2], caseId, { allegation_id: allegations[0].id, vote: null, recused: true, reason: "knows the officer" });
    await move(caseId, "discipline_recommended");
    for (const allegation of allegations) await staff.recordFinalDecision(db, "user:staff", caseId, { allegation_id: allegation.id, final_finding: "sustained", final_penalty: "suspension" });
    await move(caseId, "final_disposition", "closed");

    // A criminal complaint referred to the prosecutor, under a legal hold that is lifted again.
    const criminal = await submitComplaint(db, TEST_SECRET, { narrative: "The officer took money.", categories: ["criminal_conduct"], anonymous: true }, null);
    await move(criminal.caseId, "triage");
    await staff.referToProsecutor(db, "user:staff", criminal.caseId, "theft by an on-duty officer");
    await setLegalHold(db, `user:${admin}`, criminal.caseId, true);
    await setLegalHold(db, `user:${admin}`, criminal.caseId, false);

    // The retention sweep, long after closing.
    assert.equal(await deleteExpiredContactDetails(db, 30, new Date(Date.now() + 90 * 86_400_000)), 1);
  });
  after(() => db.close());

  it("passes after every service path, with rows in every covered table", async () => {
    const result = await verifyRows(db, CASE_ROW_TABLES);
    assert.equal(result.ok, true, JSON.stringify(result));
    for (const table of CASE_ROW_TABLES) {
      const [{ count }] = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${table.name}`);
      assert.ok(count > 0, `${table.name} has rows to watch`);
    }
  });

  for (const name of Object.keys(CASE_TABLES) as CaseTable[]) {
    it(`names a ${name} row changed, inserted or deleted directly in the database`, async () => {
      const table = CASE_TABLES[name];
      const key = table.key.join(", ");
      const keyText = table.key.length === 1 ? `${table.key[0]}::text` : `concat_ws('/', ${table.key.map((c) => `${c}::text`).join(", ")})`;
      const where = `(${key}) = (SELECT ${key} FROM jsonb_populate_record(NULL::${name}, $1::jsonb))`;
      // Two rows the services wrote: one to edit, one to delete.
      const rows = await db.query<{ id: string; row: object }>(`SELECT ${keyText} AS id, to_jsonb(t) AS row FROM ${name} t ORDER BY ${key} LIMIT 2`);
      const [edited, removed] = rows.length === 2 ? rows : [rows[0], rows[0]];
      const newKey = [...table.key.map((c) => `'${c}', ${table.keyType === "uuid" ? "gen_random_uuid()" : "'planted'"}`), ...(EDIT[name].unique ? [EDIT[name].unique] : [])].join(", ");

      // As an insider with the owner's rights would: triggers (append-only, foreign keys) off.
      const planted = await asInsider(db, async (tx) => {
        await tx.query(`UPDATE ${name} SET ${EDIT[name].column} = ${EDIT[name].value} WHERE ${where}`, [JSON.stringify(edited.row)]);
        const [row] = await tx.query<{ id: string }>(
          `INSERT INTO ${name} OVERRIDING SYSTEM VALUE SELECT * FROM jsonb_populate_record(NULL::${name}, $1::jsonb || jsonb_build_object(${newKey})) RETURNING ${keyText} AS id`,
          [JSON.stringify(edited.row)],
        );
        if (removed !== edited) await tx.query(`DELETE FROM ${name} WHERE ${where}`, [JSON.stringify(removed.row)]);
        return row.id;
      });
      const result = await verifyRows(db, CASE_ROW_TABLES);
      const expected: [string, string, RegExp][] = [
        [name, edited.id, /^its content differs from what entry \d+ recorded$/],
        [name, planted, /^no audit entry records this row$/],
      ];
      if (removed !== edited) expected.push([name, removed.id, /^entry \d+ recorded this row, which no longer exists$/]);
      const problems = result.ok ? [] : result.problems;
      assert.deepEqual(sorted(problems.map((p) => [p.table, p.id])), sorted(expected.map(([t, id]) => [t, id])));
      for (const [, id, reason] of expected) assert.match(problems.find((p: RowProblem) => p.id === id)!.reason, reason);

      // Put every row back as it was: the table is clean again.
      await asInsider(db, async (tx) => {
        await tx.query(`DELETE FROM ${name} WHERE ${keyText} = $1`, [planted]);
        await tx.query(`UPDATE ${name} SET ${EDIT[name].column} = (jsonb_populate_record(NULL::${name}, $1::jsonb)).${EDIT[name].column} WHERE ${where}`, [JSON.stringify(edited.row)]);
        if (removed !== edited) await tx.query(`INSERT INTO ${name} OVERRIDING SYSTEM VALUE SELECT * FROM jsonb_populate_record(NULL::${name}, $1::jsonb)`, [JSON.stringify(removed.row)]);
      });
      const again = await verifyRows(db, CASE_ROW_TABLES);
      assert.equal(again.ok, true, JSON.stringify(again));
    });
  }
});

/** Runs fn in a transaction that fires no triggers (so neither append-only guards nor foreign keys stop it). */
function asInsider<T>(db: Db, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query("SET LOCAL session_replication_role = replica");
    return fn(tx);
  });
}

const sorted = (pairs: string[][]) => pairs.map((pair) => pair.join(" ")).sort();
