import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testEngine } from "../db/test-db.js";
import { createTestApp, TEST_SECRET } from "../web/test-app.js";
import { TOLLING_KINDS } from "./deadlines.js";
import { submitComplaint } from "./service.js";
import { staffClient, type StaffClient } from "./test-staff.js";

describe(`the staff case page's choices are in the reader's language (${testEngine})`, () => {
  let site: Awaited<ReturnType<typeof createTestApp>>;
  let investigator: StaffClient;
  let caseId: string;

  before(async () => {
    site = await createTestApp();
    investigator = await staffClient(site, { email: "ivan@example.org", displayName: "Iván Investigator", role: "investigator" });
    caseId = (await submitComplaint(site.db, TEST_SECRET, { narrative: "Held for hours without a charge.", anonymous: true }, null)).caseId;
  });
  after(() => site.close());

  async function tollingReasons(lang: "en" | "es"): Promise<[string, string][]> {
    const page = await (await investigator.get(`/staff/cases/${caseId}`, lang)).text();
    const select = page.match(/<select name="kind">(.*?)<\/select>/s)?.[1];
    assert.ok(select, `${lang}: the tolling form has a reason select`);
    return [...select.matchAll(/<option value="([^"]+)">([^<]+)<\/option>/g)].map(([, value, label]) => [value, label]);
  }

  it("offers every tolling reason, labelled in English and in Spanish", async () => {
    const en = await tollingReasons("en");
    const es = await tollingReasons("es");
    assert.deepEqual(en.map(([value]) => value), [...TOLLING_KINDS]);
    assert.deepEqual(es.map(([value]) => value), [...TOLLING_KINDS]);
    assert.deepEqual(en.map(([, label]) => label), ["Criminal case against the officer", "Written waiver", "Litigation"]);
    assert.deepEqual(es.map(([, label]) => label), ["Causa penal contra el agente", "Renuncia por escrito", "Litigio"]);
  });

  it("accepts a reason from the form and refuses one that is not on it, naming the field", async () => {
    const added = await investigator.form(`/staff/cases/${caseId}/tolling`, { kind: TOLLING_KINDS[1], starts_on: "2026-01-05" });
    assert.equal(added.status, 303);
    const refused = await investigator.form(`/staff/cases/${caseId}/tolling`, { kind: "vacation", starts_on: "2026-01-05" });
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /kind/);
  });
});
