import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testEngine } from "../db/test-db.js";
import { createTestApp, TEST_SECRET } from "../web/test-app.js";
import { submitComplaint } from "./service.js";
import { staffClient, textOf, type StaffClient } from "./test-staff.js";

describe(`staff history names people, never account ids (${testEngine})`, () => {
  let site: Awaited<ReturnType<typeof createTestApp>>;
  let intake: StaffClient;
  let investigator: StaffClient;
  let caseId: string;

  before(async () => {
    site = await createTestApp();
    intake = await staffClient(site, { email: "irene@example.org", displayName: "Irene Intake", role: "intake" });
    investigator = await staffClient(site, { email: "ivan.investigates@example.org", displayName: "Iván Investigator", role: "investigator" });
    caseId = (await submitComplaint(site.db, TEST_SECRET, { narrative: "Stopped and searched without a reason.", categories: ["illegal_search"], anonymous: true }, null)).caseId;
    assert.equal((await intake.form(`/staff/cases/${caseId}/notes`, { body: "Called the station." })).status, 303);
    assert.equal((await investigator.form(`/staff/cases/${caseId}/transition`, { to: "triage" })).status, 303);
  });
  after(() => site.close());

  it("shows each staff member's name in the case history, in English and Spanish", async () => {
    for (const lang of ["en", "es"] as const) {
      const history = textOf(await (await intake.get(`/staff/cases/${caseId}`, lang)).text(), /<section aria-labelledby="history"/);
      assert.match(history, /Irene Intake/, lang);
      assert.match(history, /Iván Investigator/, lang);
      for (const id of [intake.id, investigator.id]) assert.ok(!history.includes(id), `${lang}: no account id in the history`);
      assert.doesNotMatch(history, /user:/, lang);
    }
    const en = textOf(await (await intake.get(`/staff/cases/${caseId}`, "en")).text(), /<section aria-labelledby="history"/);
    assert.match(en, /Complainant · Complaint received/);
    assert.match(en, /Iván Investigator · Moved Received → Being reviewed and classified/);
    const es = textOf(await (await intake.get(`/staff/cases/${caseId}`, "es")).text(), /<section aria-labelledby="history"/);
    assert.match(es, /Persona denunciante · Queja recibida/);
    assert.match(es, /Irene Intake · Nota del personal/);
  });

  it("falls back to the email when an account has no display name, and names actors in the staff API", async () => {
    await site.db.query("UPDATE users SET display_name = '  ' WHERE id = $1", [investigator.id]);
    const history = textOf(await (await intake.get(`/staff/cases/${caseId}`)).text(), /<section aria-labelledby="history"/);
    assert.match(history, /ivan\.investigates@example\.org · Moved/);
    const detail = await (await intake.get(`/api/v1/staff/cases/${caseId}`)).json();
    const actors = detail.events.map((event: { actor: unknown }) => event.actor);
    assert.deepEqual(actors[0], { kind: "complainant" });
    assert.ok(actors.some((actor: { name?: string }) => actor.name === "Irene Intake"));
    assert.ok(actors.some((actor: { id?: string; name?: string }) => actor.id === investigator.id && actor.name === "ivan.investigates@example.org"));
    assert.ok(!JSON.stringify(actors).includes("user:"), "no raw actor strings in the API");
  });
});
