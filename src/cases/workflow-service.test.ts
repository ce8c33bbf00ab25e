import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { verifyAuditLog } from "../audit/service.js";
import { createUser } from "../auth/service.js";
import type { Db } from "../db/db.js";
import { openTestDb, testEngine } from "../db/test-db.js";
import { TEST_SECRET } from "../web/test-app.js";
import { submitComplaint } from "./service.js";
import * as staff from "./staff-service.js";
import { staffCaseView, OFFICE_READER } from "./staff-view.js";
import * as repo from "./repo.js";

describe(`the office's workflow, board and publication (${testEngine})`, () => {
  let db: Db;
  let members: string[];
  let officerPerson: string;
  before(async () => {
    db = await openTestDb();
    members = [];
    for (let i = 0; i < 3; i += 1) members.push(await createUser(db, { email: `board${i}@example.org`, displayName: `Board ${i}`, password: "board member password", role: "board_member" }, "test"));
    const [person] = await db.query<{ id: string }>("INSERT INTO people (first_name, last_name, full_name) VALUES ('Pat', 'Officer', 'Pat Officer') RETURNING id");
    officerPerson = person.id;
  });
  after(() => db.close());

  const move = (id: string, to: string) => staff.transition(db, "user:staff", id, { to: to as never });

  it("refuses to log an excessive-force complaint as a contact, and requires full investigation", async () => {
    const filed = await submitComplaint(db, TEST_SECRET, { narrative: "An officer struck me with a baton.", categories: ["excessive_force"], anonymous: true }, null);
    await move(filed.caseId, "triage");
    await assert.rejects(move(filed.caseId, "contact_log"), /excessive force must go to full investigation/);
    await assert.rejects(move(filed.caseId, "mediation"), /excessive force/);
    await assert.rejects(move(filed.caseId, "closed"), /cannot move to "closed"/);
    const result = await move(filed.caseId, "investigation");
    assert.equal(result.to, "investigation");
  });

  it("accepts a criminal complaint and holds it in triage until the prosecutor referral is recorded", async () => {
    const filed = await submitComplaint(db, TEST_SECRET, { narrative: "The officer took money from my wallet.", categories: ["criminal_conduct"], anonymous: true }, null);
    await move(filed.caseId, "triage");
    await assert.rejects(move(filed.caseId, "investigation"), /prosecutor/);
    await staff.referToProsecutor(db, "user:staff", filed.caseId, "theft by an on-duty officer");
    assert.equal((await move(filed.caseId, "investigation")).to, "investigation");
    const view = await staffCaseView(db, OFFICE_READER, filed.caseId);
    assert.ok(view.events.some((e) => e.kind === "referral" && e.visible_to_complainant));
  });

  it("goes through every state to a board majority, the department's decision with its deviation, and a published record", async () => {
    const filed = await submitComplaint(db, TEST_SECRET, { narrative: "Pushed to the ground during a stop.", categories: ["excessive_force", "discourtesy"], officers: [{ badge: "1234" }], name: "Canary Complainant", anonymous: false }, null);
    const id = filed.caseId;
    const [caseOfficer] = await repo.officersOf(db, id);
    await staff.identifyOfficer(db, "user:staff", id, caseOfficer.id, officerPerson);
    for (const to of ["triage", "investigation", "review", "board_review"]) await move(id, to);
    await staff.assignBoardPanel(db, "user:admin", id, members);
    const allegations = await repo.allegationsOf(db, id);
    const force = allegations.find((a) => a.category === "excessive_force")!;
    const rude = allegations.find((a) => a.category === "discourtesy")!;
    await assert.rejects(move(id, "discipline_recommended"), /board has not decided/);
    await staff.castVote(db, members[0], id, { allegation_id: force.id, vote: "substantiated" });
    await staff.castVote(db, members[1], id, { allegation_id: force.id, vote: "substantiated" });
    await staff.castVote(db, members[2], id, { allegation_id: force.id, vote: null, recused: true, reason: "knows the officer" });
    await staff.castVote(db, members[0], id, { allegation_id: rude.id, vote: "unfounded" });
    await staff.castVote(db, members[1], id, { allegation_id: rude.id, vote: "unfounded" });
    await assert.rejects(staff.castVote(db, "00000000-0000-0000-0000-000000000000", id, { allegation_id: rude.id, vote: "unfounded" }), /error.notFound/, "off the panel the case is not found");
    const decided = await repo.allegationsOf(db, id);
    assert.equal(decided.find((a) => a.id === force.id)!.board_finding, "sustained");
    assert.equal(decided.find((a) => a.id === force.id)!.recommended_penalty, "030 - 30 DAY SUSPENSION");
    assert.equal(decided.find((a) => a.id === rude.id)!.board_finding, "unfounded");
    await move(id, "discipline_recommended");
    await move(id, "final_disposition");
    await assert.rejects(move(id, "closed"), /final decision must be recorded/);
    const weaker = await staff.recordFinalDecision(db, "user:admin", id, { allegation_id: force.id, final_finding: "sustained", final_penalty: "100 - REPRIMAND" });
    assert.equal(weaker.deviated, true);
    await staff.recordFinalDecision(db, "user:admin", id, { allegation_id: rude.id, final_finding: "unfounded" });
    const closed = await move(id, "closed");
    assert.ok(closed.published);
    const published = await db.query<{ category: string; board_finding: string; final_finding: string; recommended_penalty: string; final_penalty: string; person_id: string }>(
      "SELECT category, board_finding, final_finding, recommended_penalty, final_penalty, person_id FROM allegations WHERE complaint_id = $1 ORDER BY category", [closed.published],
    );
    assert.deepEqual(published.map((a) => [a.category, a.board_finding, a.final_finding]), [["discourtesy", "unfounded", "unfounded"], ["excessive force", "sustained", "sustained"]]);
    assert.equal(published[1].person_id, officerPerson);
    assert.equal(published[1].final_penalty, "100 - REPRIMAND");
    const [discipline] = await db.query<{ kind: string }>("SELECT kind FROM discipline WHERE person_id = $1", [officerPerson]);
    assert.equal(discipline.kind, "100 - REPRIMAND");
    assert.equal((await verifyAuditLog(db)).ok, true);
  });

  it("flags an officer the department reinstates while a force case against them is open", async () => {
    const filed = await submitComplaint(db, TEST_SECRET, { narrative: "Choked during an arrest.", categories: ["excessive_force"], anonymous: true }, null);
    const [caseOfficer] = await repo.officersOf(db, filed.caseId).then(async (rows) => rows.length ? rows : [{ id: await staff.addOfficer(db, "user:staff", filed.caseId, { personId: officerPerson }) }]);
    void caseOfficer;
    const flags = await staff.reportReinstatement(db, "user:admin", officerPerson, "2026-11-01");
    assert.equal(flags.length, 1);
    const listed = await staff.listReinstatementFlags(db);
    assert.equal(listed[0].case_id, filed.caseId);
    assert.match(listed[0].reasons, /excessive_force/);
  });

  it("pauses the discipline clock while a criminal case runs, and shows it", async () => {
    const filed = await submitComplaint(db, TEST_SECRET, { narrative: "Officer fired a taser at me while handcuffed.", categories: ["excessive_force"], incident_date: "2026-01-05", anonymous: true }, null);
    await staff.setDisciplineWindow(db, "user:admin", "180d");
    await staff.addTolling(db, "user:staff", filed.caseId, { kind: "criminal_case", starts_on: "2026-02-01", ends_on: "2026-02-10" });
    await assert.rejects(staff.addTolling(db, "user:staff", filed.caseId, { kind: "waiver", starts_on: "2026-03-10", ends_on: "2026-03-01" }), /ends before it starts/);
    const view = await staffCaseView(db, OFFICE_READER, filed.caseId, new Date("2026-03-01T00:00:00Z"));
    const discipline = view.deadlines.find((d) => d.kind === "discipline")!;
    assert.equal(discipline.tolledDays, 10);
    assert.equal(discipline.dueAt, "2026-07-14T00:00:00.000Z");
  });
});
