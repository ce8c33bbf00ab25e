import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { verifyRows } from "../audit/service.js";
import { testEngine } from "../db/test-db.js";
import { createTestApp, TEST_SECRET } from "../web/test-app.js";
import * as repo from "./repo.js";
import { deleteExpiredContactDetails, setLegalHold } from "./retention.js";
import { submitComplaint } from "./service.js";
import * as staff from "./staff-service.js";
import { CASE_ROW_TABLES } from "./vouched-rows.js";
import { staffClient, textOf, type StaffClient } from "./test-staff.js";

const DAY = 86_400_000;
const now = new Date("2026-06-01T12:00:00Z");

describe(`contact details are deleted after retention unless under a legal hold (${testEngine})`, () => {
  let site: Awaited<ReturnType<typeof createTestApp>>;
  let admin: StaffClient;
  let investigator: StaffClient;
  const ids: Record<"old" | "held" | "recent" | "open", string> = { old: "", held: "", recent: "", open: "" };

  /** Files a complaint with full contact details and, unless `open`, closes it (no finding) at `closedAt`. */
  const file = async (closedAt: Date | null) => {
    const { caseId } = await submitComplaint(site.db, TEST_SECRET, {
      narrative: "The officer was rude to me at the bus stop.", categories: ["discourtesy"],
      name: "Rita Retain", email: "rita.retain@example.org", phone: "816-555-0100", address: "1 Keep Street", contact_ok: true,
      witnesses: [{ name: "Walt Witness", contact: "walt@example.org" }],
    }, null, { now: new Date(now.getTime() - 800 * DAY) });
    if (closedAt) {
      await staff.transition(site.db, "user:staff", caseId, { to: "triage" }, closedAt);
      await staff.transition(site.db, "user:staff", caseId, { to: "closed_no_finding" }, closedAt);
    }
    return caseId;
  };

  before(async () => {
    site = await createTestApp();
    admin = await staffClient(site, { email: "admin@example.org", displayName: "Ada Admin", role: "admin" });
    investigator = await staffClient(site, { email: "inv@example.org", displayName: "Ivan Investigator", role: "investigator" });
    ids.old = await file(new Date(now.getTime() - 400 * DAY));
    ids.held = await file(new Date(now.getTime() - 400 * DAY));
    ids.recent = await file(new Date(now.getTime() - 30 * DAY));
    ids.open = await file(null);
  });
  after(() => site.close());

  it("lets an administrator place a legal hold on the case page, audited; an investigator may not", async () => {
    const refused = await investigator.form(`/staff/cases/${ids.held}/legal-hold`, { hold: "1" });
    assert.equal(refused.status, 403);
    assert.equal((await repo.findCase(site.db, ids.held))?.legal_hold, false);
    const placed = await admin.form(`/staff/cases/${ids.held}/legal-hold`, { hold: "1" });
    assert.equal(placed.status, 303);
    assert.equal((await repo.findCase(site.db, ids.held))?.legal_hold, true);
    const page = await (await admin.get(`/staff/cases/${ids.held}`)).text();
    assert.match(textOf(page, /<section aria-labelledby="retention"/), /Under a legal hold/);
    assert.match(page, /Lift the legal hold/);
    const es = await (await admin.get(`/staff/cases/${ids.held}`, "es")).text();
    assert.match(textOf(es, /<section aria-labelledby="retention"/), /Bajo retención legal/);
    const [entry] = await site.db.query<{ action: string; actor: string }>("SELECT action, actor FROM audit_log WHERE entity_id = $1 AND action LIKE 'case.legal_hold%'", [ids.held]);
    assert.deepEqual(entry, { action: "case.legal_hold", actor: `user:${admin.id}` });
  });

  it("deletes the contact details of a case closed longer ago than the retention period, keeps the held, recent and open ones, and is idempotent", async () => {
    assert.equal(await deleteExpiredContactDetails(site.db, 365, now), 1);
    const old = await repo.peopleOf(site.db, ids.old);
    assert.deepEqual(old.map((p) => [p.role, p.name, p.email, p.phone, p.address, p.notes, p.contact_ok]), [
      ["complainant", "Rita Retain", null, null, null, null, false],
      ["witness", "Walt Witness", null, null, null, null, false],
    ]);
    assert.ok((await repo.findCase(site.db, ids.old))?.contact_deleted_at);
    for (const id of [ids.held, ids.recent, ids.open]) {
      const [complainant] = (await repo.peopleOf(site.db, id)).filter((p) => p.role === "complainant");
      assert.deepEqual([complainant.email, complainant.phone, complainant.address], ["rita.retain@example.org", "816-555-0100", "1 Keep Street"], id);
    }
    assert.equal(await deleteExpiredContactDetails(site.db, 365, now), 0, "a second sweep finds nothing to do");
    // The changed case and people rows are vouched for by the sweep's audit entries.
    const rows = await verifyRows(site.db, CASE_ROW_TABLES);
    assert.equal(rows.ok, true, JSON.stringify(rows));
    const page = await (await admin.get(`/staff/cases/${ids.old}`)).text();
    assert.match(textOf(page, /<section aria-labelledby="retention"/), /Contact details were deleted on/);
  });

  it("takes a legal hold through the staff API too, naming a bad field", async () => {
    const bad = await admin.json("POST", `/api/v1/staff/cases/${ids.recent}/legal-hold`, { hold: "yes" });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /hold/);
    assert.equal((await admin.json("POST", `/api/v1/staff/cases/${ids.recent}/legal-hold`, { hold: true })).status, 200);
    assert.equal((await repo.findCase(site.db, ids.recent))?.legal_hold, true);
    assert.equal((await investigator.json("POST", `/api/v1/staff/cases/${ids.recent}/legal-hold`, { hold: false })).status, 403);
    const staffCase = await (await admin.get(`/api/v1/staff/cases/${ids.recent}`)).json() as { legalHold: boolean };
    assert.equal(staffCase.legalHold, true);
  });

  it("deletes a held case's contact details once the hold is lifted", async () => {
    await setLegalHold(site.db, `user:${admin.id}`, ids.held, false);
    assert.equal(await deleteExpiredContactDetails(site.db, 365, now), 1);
    const [complainant] = (await repo.peopleOf(site.db, ids.held)).filter((p) => p.role === "complainant");
    assert.equal(complainant.email, null);
  });
});
