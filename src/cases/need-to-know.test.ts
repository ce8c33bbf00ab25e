import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testEngine } from "../db/test-db.js";
import { createTestApp, TEST_SECRET } from "../web/test-app.js";
import { jpegWithMetadata } from "./evidence/fixtures.js";
import { storeEvidence } from "./evidence/store.js";
import { submitComplaint } from "./service.js";
import * as staff from "./staff-service.js";
import { staffClient, type StaffClient } from "./test-staff.js";

type Site = Awaited<ReturnType<typeof createTestApp>>;

/**
 * Board members read only the cases on whose panel they sit, and not after
 * recusing: every other case is "not found" (404, the same as a case that does
 * not exist) on the page, in the API, for evidence and for votes, and missing
 * from every list.
 */
describe(`board members read only their panel's cases (${testEngine})`, () => {
  let site: Site;
  let admin: StaffClient;
  let bea: StaffClient;
  let bob: StaffClient;
  const cases: Record<"a" | "b", { id: string; number: string; photo: string }> = {} as never;
  const NOWHERE = "00000000-0000-4000-8000-000000000000";

  before(async () => {
    site = await createTestApp();
    admin = await staffClient(site, { email: "ada@example.org", displayName: "Ada Admin", role: "admin" });
    bea = await staffClient(site, { email: "bea@example.org", displayName: "Bea Board", role: "board_member" });
    bob = await staffClient(site, { email: "bob@example.org", displayName: "Bob Board", role: "board_member" });
    for (const [key, member] of [["a", bea], ["b", bob]] as const) {
      const filed = await submitComplaint(site.db, TEST_SECRET, { narrative: `Case ${key}: stopped and searched for no reason.`, categories: ["illegal_search"], anonymous: true }, null);
      const photo = await site.db.transaction((tx) => storeEvidence(tx, filed.caseId, { name: "photo.jpg", type: "image/jpeg", bytes: jpegWithMetadata() }, "complainant"));
      await staff.assignBoardPanel(site.db, `user:${admin.id}`, filed.caseId, [member.id]);
      cases[key] = { id: filed.caseId, number: filed.caseNumber, photo: photo.id };
    }
  });
  after(() => site.close());

  const listed = async (client: StaffClient) => {
    const html = await (await client.get("/staff/cases")).text();
    const api = (await (await client.get("/api/v1/staff/cases")).json()) as { items: { id: string }[] };
    return { page: (["a", "b"] as const).filter((k) => html.includes(cases[k].number)), api: (["a", "b"] as const).filter((k) => api.items.some((item) => item.id === cases[k].id)) };
  };
  const viewsBy = (who: string) => site.db.query<{ n: number }>("SELECT count(*)::int AS n FROM evidence_custody WHERE actor = $1 AND action IN ('viewed', 'exported')", [who]);

  it("lists only the member's panel cases, on the page and in the API; staff who read every case see both", async () => {
    assert.deepEqual(await listed(bea), { page: ["a"], api: ["a"] });
    assert.deepEqual(await listed(bob), { page: ["b"], api: ["b"] });
    assert.deepEqual(await listed(admin), { page: ["a", "b"], api: ["a", "b"] });
  });

  it("opens the panel's case, and answers 404 for another case on the page, in the API and for its evidence, as for no case at all", async () => {
    assert.equal((await bea.get(`/staff/cases/${cases.a.id}`)).status, 200);
    assert.equal((await bea.get(`/api/v1/staff/cases/${cases.a.id}`)).status, 200);
    assert.equal((await bea.get(`/staff/cases/${cases.a.id}/evidence/${cases.a.photo}`)).status, 200);
    for (const path of [`/staff/cases/${cases.b.id}`, `/api/v1/staff/cases/${cases.b.id}`, `/staff/cases/${cases.b.id}/evidence/${cases.b.photo}`, `/staff/cases/${cases.b.id}/evidence/${cases.b.photo}?download=1`]) {
      const response = await bea.get(path);
      assert.equal(response.status, 404, path);
      assert.doesNotMatch(await response.text(), new RegExp(`${cases.b.number}|Case b`), path);
    }
    const other = await (await bea.get(`/api/v1/staff/cases/${cases.b.id}`)).json();
    const none = await (await bea.get(`/api/v1/staff/cases/${NOWHERE}`)).json();
    assert.deepEqual(other, none, "another panel's case answers exactly like a case that does not exist");
    const [{ n }] = await viewsBy(`user:${bea.id}`);
    assert.equal(n, 1, "only the permitted view reached the custody log");
    assert.equal((await admin.get(`/staff/cases/${cases.b.id}`)).status, 200);
  });

  it("answers 404 to a vote on another panel's case, and after a recusal the member no longer reads the case", async () => {
    await site.db.query("UPDATE cases SET state = 'board_review' WHERE id = ANY($1::uuid[])", [[cases.a.id, cases.b.id]]);
    const [allegationB] = await site.db.query<{ id: string }>("SELECT id FROM case_allegations WHERE case_id = $1", [cases.b.id]);
    assert.equal((await bea.json("POST", `/api/v1/staff/cases/${cases.b.id}/votes`, { allegation_id: allegationB.id, vote: "unfounded" })).status, 404);
    assert.equal((await bea.form(`/staff/cases/${cases.b.id}/vote`, { allegation_id: allegationB.id, vote: "unfounded" })).status, 404);
    assert.equal((await site.db.query("SELECT 1 FROM board_votes WHERE member_id = $1", [bea.id])).length, 0);

    const [allegationA] = await site.db.query<{ id: string }>("SELECT id FROM case_allegations WHERE case_id = $1", [cases.a.id]);
    assert.equal((await bea.form(`/staff/cases/${cases.a.id}/vote`, { allegation_id: allegationA.id, recused: "1", reason: "I know the officer" })).status, 303);
    assert.equal((await bea.get(`/staff/cases/${cases.a.id}`)).status, 404);
    assert.equal((await bea.get(`/api/v1/staff/cases/${cases.a.id}`)).status, 404);
    assert.equal((await bea.get(`/staff/cases/${cases.a.id}/evidence/${cases.a.photo}`)).status, 404);
    assert.deepEqual(await listed(bea), { page: [], api: [] });
    // A recused member cannot take it back by voting: the case is not found to them any more.
    assert.equal((await bea.json("POST", `/api/v1/staff/cases/${cases.a.id}/votes`, { allegation_id: allegationA.id, vote: "unfounded" })).status, 404);
    const recusals = await site.db.query<{ recused: boolean }>("SELECT recused FROM board_votes WHERE member_id = $1 AND case_id = $2", [bea.id, cases.a.id]);
    assert.ok(recusals.length > 0 && recusals.every((row) => row.recused));
  });
});
