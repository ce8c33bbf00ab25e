import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { verifyAuditLog } from "../audit/service.js";
import { createUser } from "../auth/service.js";
import { testEngine } from "../db/test-db.js";
import { createTestApp, TEST_SECRET } from "../web/test-app.js";
import { assignCase } from "./assignment-service.js";
import { submitComplaint } from "./service.js";
import * as staff from "./staff-service.js";
import { staffClient, textOf, type StaffClient } from "./test-staff.js";

/** What identifies the complainant: none of it may reach the assignee's email. */
const CANARY = { name: "Olga Canarybird", email: "olga.canary@example.org", phone: "816-555-0177", narrative: "CANARY-ACCOUNT-5521 the officer kicked my door", location: "CANARY-STREET 12" };

type Site = Awaited<ReturnType<typeof createTestApp>>;
const count = async (site: Site, sql: string, params: unknown[] = []) => (await site.db.query<{ n: number }>(sql, params))[0].n;
const mailTo = (site: Site, to: string) => site.db.query<{ subject: string; body_text: string; template: string }>("SELECT subject, body_text, template FROM email_outbox WHERE to_address = $1 ORDER BY created_at", [to]);
const assigneeOf = async (site: Site, caseId: string) => (await site.db.query<{ assigned_to: string | null }>("SELECT assigned_to FROM cases WHERE id = $1", [caseId]))[0].assigned_to;

describe(`case assignment to an investigator (${testEngine})`, () => {
  let site: Site;
  let admin: StaffClient;
  let intake: StaffClient;
  let ivan: StaffClient;
  let rosa: StaffClient;
  let board: StaffClient;
  const newCase = async (extra: Record<string, unknown> = {}) =>
    submitComplaint(site.db, TEST_SECRET, { narrative: "Stopped and searched for no reason.", categories: ["illegal_search"], anonymous: true, ...extra }, null);

  before(async () => {
    site = await createTestApp();
    admin = await staffClient(site, { email: "ada@example.org", displayName: "Ada Admin", role: "admin" });
    intake = await staffClient(site, { email: "irene@example.org", displayName: "Irene Intake", role: "intake" });
    ivan = await staffClient(site, { email: "ivan@example.org", displayName: "Iván Investigator", role: "investigator" });
    rosa = await staffClient(site, { email: "rosa@example.org", displayName: "Rosa Investigadora", role: "investigator" });
    board = await staffClient(site, { email: "bea@example.org", displayName: "Bea Board", role: "board_member" });
    await site.db.query("UPDATE users SET language = 'es' WHERE id = $1", [rosa.id]);
  });
  after(() => site.close());

  it("assigns in one audited step and emails the assignee in English, with nothing that identifies the complainant", async () => {
    const filed = await newCase({ narrative: CANARY.narrative, location: CANARY.location, name: CANARY.name, email: CANARY.email, phone: CANARY.phone, contact_ok: true, anonymous: false });
    const audit = await count(site, "SELECT count(*)::int AS n FROM audit_log");
    const result = await assignCase(site.db, { id: intake.id, scope: "any" }, filed.caseId, ivan.id);
    assert.deepEqual(result, { changed: true, assignedTo: { id: ivan.id, name: "Iván Investigator" }, emailed: true });
    assert.equal(await assigneeOf(site, filed.caseId), ivan.id);
    const [entry] = await site.db.query<{ action: string; actor: string; entry: string }>("SELECT action, actor, entry FROM audit_log WHERE action = 'case.assign' ORDER BY seq DESC LIMIT 1");
    assert.equal(entry.actor, `user:${intake.id}`);
    // The entry vouches for the case row and the history event it wrote, by digest.
    assert.match(entry.entry, new RegExp(`"data":\\{"from":null,"to":"${ivan.id}","rowHashes":\\[\\{"table":"cases","id":"${filed.caseId}","sha256":"[0-9a-f]{64}"\\},\\{"table":"case_events","id":"[0-9a-f-]{36}","sha256":"[0-9a-f]{64}"\\}\\]\\}`));
    // The assignment, its history event and the email's enqueue entry: all or nothing.
    assert.equal(await count(site, "SELECT count(*)::int AS n FROM audit_log"), audit + 2);
    const [event] = await site.db.query<{ kind: string; subject_user: string; visible_to_complainant: boolean }>("SELECT kind, subject_user, visible_to_complainant FROM case_events WHERE case_id = $1 AND kind = 'assigned'", [filed.caseId]);
    assert.deepEqual(event, { kind: "assigned", subject_user: ivan.id, visible_to_complainant: false });
    const [mail] = await mailTo(site, "ivan@example.org");
    assert.equal(mail.template, "case.assigned");
    assert.equal(mail.subject, `Case ${filed.caseNumber} is assigned to you`);
    assert.match(mail.body_text, /^Irene Intake assigned case OV-\d{4}-\d{6} to you\./);
    assert.match(mail.body_text, new RegExp(`/staff/cases/${filed.caseId}`));
    for (const value of Object.values(CANARY)) assert.ok(!`${mail.subject}\n${mail.body_text}`.toLowerCase().includes(value.toLowerCase()), `${value} is not in the email`);
    for (const value of Object.values(CANARY)) assert.ok(!entry.entry.includes(value), `${value} is not in the audit entry`);
    assert.equal((await verifyAuditLog(site.db)).ok, true);
  });

  it("writes to an assignee who reads Spanish in Spanish; assigning the same person again changes nothing", async () => {
    const filed = await newCase();
    await assignCase(site.db, { id: admin.id, scope: "any" }, filed.caseId, rosa.id);
    const [mail] = await mailTo(site, "rosa@example.org");
    assert.equal(mail.subject, `Se le asignó el caso ${filed.caseNumber}`);
    assert.match(mail.body_text, /^Ada Admin le asignó el caso/);
    const audit = await count(site, "SELECT count(*)::int AS n FROM audit_log");
    assert.deepEqual(await assignCase(site.db, { id: intake.id, scope: "any" }, filed.caseId, rosa.id), { changed: false, assignedTo: { id: rosa.id, name: "Rosa Investigadora" }, emailed: false });
    assert.equal(await count(site, "SELECT count(*)::int AS n FROM audit_log"), audit);
    assert.equal((await mailTo(site, "rosa@example.org")).length, 1);
  });

  it("refuses anyone but an active investigator or administrator, and a closed case, writing nothing", async () => {
    const filed = await newCase();
    const disabled = await createUser(site.db, { email: "gone@example.org", displayName: "Gone Investigator", password: "investigator password", role: "investigator" }, "test");
    await site.db.query("UPDATE users SET disabled_at = now() WHERE id = $1", [disabled]);
    const audit = await count(site, "SELECT count(*)::int AS n FROM audit_log");
    const outbox = await count(site, "SELECT count(*)::int AS n FROM email_outbox");
    for (const who of [intake.id, board.id, disabled, "00000000-0000-4000-8000-000000000000"]) {
      await assert.rejects(assignCase(site.db, { id: admin.id, scope: "any" }, filed.caseId, who), (error: { status: number; detail: string }) => {
        assert.equal(error.status, 409);
        assert.equal(error.detail, "userId: only an active investigator or administrator can be assigned a case");
        return true;
      });
    }
    await assert.rejects(assignCase(site.db, { id: admin.id, scope: "any" }, filed.caseId, "not-a-uuid"), /userId: must be a user id/);
    for (const to of ["triage", "referred_out"]) await staff.transition(site.db, "user:test", filed.caseId, { to: to as never });
    await assert.rejects(assignCase(site.db, { id: admin.id, scope: "any" }, filed.caseId, ivan.id), /closed/);
    assert.equal(await assigneeOf(site, filed.caseId), null);
    assert.equal(await count(site, "SELECT count(*)::int AS n FROM audit_log"), audit + 2, "only the two moves were recorded");
    assert.equal(await count(site, "SELECT count(*)::int AS n FROM email_outbox"), outbox);
  });

  it("rolls the assignment back when its email cannot be queued", async () => {
    const filed = await newCase();
    const broken = await createUser(site.db, { email: "broken@example.org", displayName: "Broken Address", password: "investigator password", role: "investigator" }, "test");
    await site.db.query("UPDATE users SET email = 'no address here' WHERE id = $1", [broken]);
    await assert.rejects(assignCase(site.db, { id: admin.id, scope: "any" }, filed.caseId, broken));
    assert.equal(await assigneeOf(site, filed.caseId), null);
    assert.equal(await count(site, "SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND kind = 'assigned'", [filed.caseId]), 0);
    await site.db.query("UPDATE users SET disabled_at = now() WHERE id = $1", [broken]);
  });

  it("lets an investigator take a free case and give back their own, never anyone else's", async () => {
    const free = await newCase();
    const forbidden = { status: 403 };
    await assert.rejects(assignCase(site.db, { id: ivan.id, scope: "self" }, free.caseId, rosa.id), forbidden);
    assert.equal((await assignCase(site.db, { id: ivan.id, scope: "self" }, free.caseId, ivan.id)).emailed, false, "no email to yourself");
    await assert.rejects(assignCase(site.db, { id: rosa.id, scope: "self" }, free.caseId, rosa.id), forbidden);
    await assert.rejects(assignCase(site.db, { id: rosa.id, scope: "self" }, free.caseId, null), forbidden);
    assert.equal(await assigneeOf(site, free.caseId), ivan.id);
    assert.equal((await assignCase(site.db, { id: ivan.id, scope: "self" }, free.caseId, null)).changed, true);
    assert.equal(await assigneeOf(site, free.caseId), null);
    const [event] = await site.db.query<{ kind: string; subject_user: string }>("SELECT kind, subject_user FROM case_events WHERE case_id = $1 AND kind = 'unassigned'", [free.caseId]);
    assert.equal(event.subject_user, ivan.id);
  });

  it("the case page shows the assignee by name, a select of investigators for intake, and take/give-back for investigators", async () => {
    const filed = await newCase();
    await staff.assignBoardPanel(site.db, `user:${admin.id}`, filed.caseId, [board.id]);
    const page = async (who: StaffClient, lang: "en" | "es" = "en") => (await who.get(`/staff/cases/${filed.caseId}`, lang)).text();
    const first = await page(intake);
    assert.match(first, /data-testid="assignee">Nobody</);
    const options = [...first.matchAll(/<option value="([^"]*)"[^>]*>([^<]+)<\/option>/g)].filter(([, value]) => value === "" || /^[0-9a-f-]{36}$/.test(value)).map(([, , label]) => label);
    // Active investigators and admins only: not intake, the board, or the disabled accounts made above.
    assert.deepEqual(options.filter((label) => /Nobody|\(/.test(label)), ["Nobody", "Ada Admin (administrator)", "Iván Investigator (investigator)", "Rosa Investigadora (investigator)"]);
    assert.match(await page(ivan), />Take this case</);
    assert.doesNotMatch(await page(board), /action="[^"]*\/assignment"/, "the board cannot assign");

    assert.equal((await intake.form(`/staff/cases/${filed.caseId}/assignment`, { user_id: rosa.id })).status, 303);
    const assigned = await page(intake);
    assert.match(assigned, /data-testid="assignee">Rosa Investigadora</);
    assert.match(assigned, new RegExp(`<option value="${rosa.id}" selected="">Rosa Investigadora`));
    assert.match(textOf(assigned, /<section aria-labelledby="history"/), /Irene Intake · Assigned to Rosa Investigadora/);
    assert.match(textOf(await page(intake, "es"), /<section aria-labelledby="history"/), /Irene Intake · Asignado a Rosa Investigadora/);
    assert.match(await page(board), /data-testid="assignee">Rosa Investigadora</);
    const ivanSees = await page(ivan);
    assert.doesNotMatch(ivanSees, /Take this case|Give this case back/, "no button on someone else's case");
    assert.equal((await ivan.form(`/staff/cases/${filed.caseId}/assignment`, { user_id: ivan.id })).status, 403);
    assert.equal((await ivan.form(`/staff/cases/${filed.caseId}/assignment`, { user_id: "" })).status, 403);
    assert.equal(await assigneeOf(site, filed.caseId), rosa.id);
    assert.match(await page(rosa, "es"), />Devolver este caso</);
    const refused = await intake.form(`/staff/cases/${filed.caseId}/assignment`, { user_id: board.id });
    assert.equal(refused.status, 409);
    assert.match(await refused.text(), /only an active investigator or administrator can be assigned a case/);
    assert.equal((await intake.form(`/staff/cases/${filed.caseId}/assignment`, { user_id: "" })).status, 303);
    assert.match(textOf(await page(intake), /<section aria-labelledby="history"/), /Irene Intake · Taken off Rosa Investigadora/);
  });

  it("the dashboard and the API list only the signed-in investigator's cases under \"mine\"", async () => {
    const mine = await newCase();
    const theirs = await newCase();
    await assignCase(site.db, { id: admin.id, scope: "any" }, mine.caseId, ivan.id);
    await assignCase(site.db, { id: admin.id, scope: "any" }, theirs.caseId, rosa.id);
    const all = await (await ivan.get("/staff/cases")).text();
    assert.ok(all.includes(mine.caseNumber) && all.includes(theirs.caseNumber));
    assert.match(all, /<a href="\/staff\/cases" aria-current="page"><strong>All open cases<\/strong><\/a>/);
    const onlyMine = await (await ivan.get("/staff/cases?mine=1")).text();
    assert.ok(onlyMine.includes(mine.caseNumber), "my case is listed");
    assert.ok(!onlyMine.includes(theirs.caseNumber), "someone else's is not");
    assert.match(onlyMine, /aria-current="page"><strong>Assigned to me<\/strong>/);
    const row = onlyMine.slice(onlyMine.indexOf(mine.caseNumber), onlyMine.indexOf("</tr>", onlyMine.indexOf(mine.caseNumber)));
    assert.match(row, /<td class="assignee">Iván Investigator<\/td>/);
    assert.match(await (await ivan.get("/staff/cases?mine=1", "es")).text(), /Asignados a mí/);
    const rosaMine = await (await rosa.get("/staff/cases?mine=1")).text();
    assert.ok(rosaMine.includes(theirs.caseNumber) && !rosaMine.includes(mine.caseNumber));
    assert.doesNotMatch(await (await intake.get("/staff/cases")).text(), /Assigned to me/, "intake cannot be assigned, so has no \"mine\"");
    const api = await (await ivan.get("/api/v1/staff/cases?mine=1")).json();
    assert.deepEqual(api.items.map((item: { caseNumber: string }) => item.caseNumber).filter((n: string) => n === mine.caseNumber || n === theirs.caseNumber), [mine.caseNumber]);
    assert.ok(api.items.every((item: { assignedTo: { id: string } | null }) => item.assignedTo?.id === ivan.id));
    assert.equal((await ivan.get("/api/v1/staff/cases?mine=yes")).status, 400);
  });

  it("the staff API assigns with PUT, names a bad userId, refuses what the role may not do, and is documented", async () => {
    const filed = await newCase();
    await staff.assignBoardPanel(site.db, `user:${admin.id}`, filed.caseId, [board.id]);
    const path = `/api/v1/staff/cases/${filed.caseId}/assignment`;
    const ok = await intake.json("PUT", path, { userId: ivan.id });
    assert.equal(ok.status, 200);
    assert.deepEqual((await ok.json()).result, { changed: true, assignedTo: { id: ivan.id, name: "Iván Investigator" }, emailed: true });
    const detail = await (await board.get(`/api/v1/staff/cases/${filed.caseId}`)).json();
    assert.deepEqual(detail.assignedTo, { id: ivan.id, name: "Iván Investigator" });
    const bad = await intake.json("PUT", path, { userId: "ivan" });
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).error.message, /userId/);
    assert.equal((await intake.json("PUT", path, { userId: board.id })).status, 409);
    assert.equal((await rosa.json("PUT", path, { userId: rosa.id })).status, 403, "an investigator cannot take another's case");
    assert.equal((await rosa.json("PUT", path, { userId: null })).status, 403, "nor take it off them");
    assert.equal((await board.json("PUT", path, { userId: null })).status, 403);
    assert.equal((await ivan.json("PUT", path, { userId: null })).status, 200, "the assignee gives it back");
    assert.equal((await ivan.json("PUT", `/api/v1/staff/cases/00000000-0000-4000-8000-000000000000/assignment`, { userId: ivan.id })).status, 404);
    const openapi = await (await site.app.request("/api/openapi.json")).json();
    assert.ok(openapi.paths["/api/v1/staff/cases/{id}/assignment"].put);
  });
});
