import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import { createApp } from "../src/app.js";
import { createUser } from "../src/auth/service.js";
import { submitComplaint } from "../src/cases/service.js";
import * as staff from "../src/cases/staff-service.js";
import * as caseRepo from "../src/cases/repo.js";
import { loadConfig } from "../src/config.js";
import type { Db } from "../src/db/db.js";
import { openTestDb, testEngine } from "../src/db/test-db.js";
import { exportRecords, EXPORT_TABLES } from "../src/records/export.js";
import { loadDemo } from "../src/records/demo.js";
import { cookieFrom, TEST_AUDIT_KEY_SEED, TEST_SECRET } from "../src/web/test-app.js";
import { loadAuditKey } from "../src/audit/signing-key.js";

/** Values that must never leave the server through any public door. */
const CANARY = {
  name: "Zelda Canarywing",
  email: "zelda.canary@example.org",
  phone: "816-555-0199",
  address: "4417 Canary Lane",
  narrative: "CANARY-NARRATIVE-7731 the officer grabbed my arm",
  location: "CANARY-CORNER of 39th and Main",
  witness: "Wendell Canarywit",
  witnessContact: "wendell.canary@example.org",
  thirdParty: "Tobias Canaryfriend",
};

describe(`complainant identity never leaves through a public door (${testEngine})`, () => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let receipt = "";
  let published = "";
  let caseId = "";
  const logs: string[] = [];
  const bodies: { where: string; text: string }[] = [];

  before(async () => {
    db = await openTestDb();
    await loadDemo(db);
    const logger = pino({ level: "trace" }, new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); done(); } }));
    app = createApp({ db, config: { ...loadConfig({ dataDir: "/nonexistent" }, {}), apiRateLimit: 100_000 }, logger, demo: true, secret: TEST_SECRET, auditKey: loadAuditKey("/nonexistent", { OVERSIGHT_AUDIT_KEY: TEST_AUDIT_KEY_SEED }) });
    const filed = await submitComplaint(db, TEST_SECRET, {
      narrative: CANARY.narrative, location: CANARY.location, district: "Westport", categories: ["excessive_force"],
      officers: [{ name: "Officer Demoson", badge: "1013" }], witnesses: [{ name: CANARY.witness, contact: CANARY.witnessContact }],
      name: CANARY.name, email: CANARY.email, phone: CANARY.phone, address: CANARY.address, contact_ok: true, third_party: false,
    }, null);
    receipt = filed.receipt;
    caseId = filed.caseId;
    const [officer] = await db.query<{ id: string }>("SELECT id FROM people LIMIT 1");
    const [caseOfficer] = await caseRepo.officersOf(db, caseId);
    await staff.identifyOfficer(db, "user:staff", caseId, caseOfficer.id, officer.id);
    await staff.addNote(db, "user:staff", caseId, `Called ${CANARY.name} at ${CANARY.phone}`, false);
    for (const to of ["triage", "investigation", "review", "board_review"]) await staff.transition(db, "user:staff", caseId, { to: to as never });
    const members = [await createUser(db, { email: "b1@example.org", displayName: "B1", password: "board member pass", role: "board_member" }, "test")];
    await staff.assignBoardPanel(db, "user:admin", caseId, members);
    const [allegation] = await caseRepo.allegationsOf(db, caseId);
    await staff.castVote(db, members[0], caseId, { allegation_id: allegation.id, vote: "substantiated" });
    for (const to of ["discipline_recommended", "final_disposition"]) await staff.transition(db, "user:staff", caseId, { to: to as never });
    await staff.recordFinalDecision(db, "user:admin", caseId, { allegation_id: allegation.id, final_finding: "sustained", final_penalty: "005 - 5 DAY SUSPENSION" });
    published = (await staff.transition(db, "user:staff", caseId, { to: "closed" })).published!;
  });
  after(() => db.close());

  const collect = async (where: string, path: string, init?: RequestInit) => {
    const response = await app.request(path, init);
    bodies.push({ where, text: await response.text() });
    return response;
  };

  it("publishes the closed case as an open record", async () => {
    const response = await collect("published complaint page", `/complaints/${published}`);
    assert.equal(response.status, 200);
    assert.match(bodies.at(-1)!.text, /5 DAY SUSPENSION/);
  });

  it("keeps every canary out of public pages, API answers, exports, the audit log and the logs", async () => {
    const [complaint] = await db.query<{ id: string }>("SELECT id FROM complaints WHERE id = $1", [published]);
    const [officer] = await db.query<{ person_id: string }>("SELECT person_id FROM allegations WHERE complaint_id = $1 AND person_id IS NOT NULL", [complaint.id]);
    const pages = ["/", "/officers", `/officers/${officer.person_id}`, "/complaints", "/complaints?q=canary", "/complaints?q=force", `/complaints/${published}`, "/agencies", "/agencies/kcpd", "/sources", "/data", "/complaints/new", "/complaints/status", "/reports/complaints"];
    for (const lang of ["en", "es"]) for (const page of pages) await collect(`page ${page} ${lang}`, `${page}${page.includes("?") ? "&" : "?"}lang=${lang}`);
    const api = ["/api/v1/stats", "/api/v1/officers?per_page=500", `/api/v1/officers/${officer.person_id}`, "/api/v1/complaints?per_page=500", `/api/v1/complaints/${published}`,
      "/api/v1/allegations?per_page=500", "/api/v1/settlements", "/api/v1/agencies", "/api/v1/agencies/kcpd", "/api/v1/search?q=Canarywing", "/api/openapi.json", "/api/v1/audit/tree-head",
      "/api/v1/audit/public-key", "/api/v1/audit/proof/inclusion?seq=0", "/api/v1/audit/proof/consistency?first=1&second=2",
      "/api/v1/complaints?format=csv&per_page=500", "/api/v1/allegations?format=csv&per_page=500", "/api/v1/reports/complaints", "/api/v1/reports/complaints?format=csv"];
    for (const path of api) await collect(`api ${path}`, path);
    for (const table of EXPORT_TABLES) {
      for (const format of ["csv", "json"] as const) {
        let text = "";
        await exportRecords(db, table, {}, format, (chunk) => (text += chunk));
        bodies.push({ where: `export ${table} ${format}`, text });
      }
    }
    const audit = await db.query<{ entry: string }>("SELECT entry FROM audit_log ORDER BY seq");
    bodies.push({ where: "audit log", text: audit.map((row) => row.entry).join("\n") });
    // A failing request logs: make one, so the log check is not vacuous.
    await app.request(`/complaints/status/message`, { method: "POST", body: new URLSearchParams({ body: CANARY.narrative }) });
    bodies.push({ where: "logs", text: logs.join("") });
    assert.ok(bodies.length > 50);
    const leaks: string[] = [];
    for (const { where, text } of bodies) {
      for (const [field, value] of Object.entries({ ...CANARY, receipt, receiptGrouped: receipt.replace(/(\d{4})(?=\d)/g, "$1-") })) {
        if (text.toLowerCase().includes(value.toLowerCase())) leaks.push(`${field} in ${where}`);
      }
    }
    assert.deepEqual(leaks, []);
  });

  it("shows the complainant's identity to intake staff but not to a board member", async () => {
    await createUser(db, { email: "intake@example.org", displayName: "Intake", password: "intake password!", role: "intake" }, "test");
    const judgeId = await createUser(db, { email: "judge@example.org", displayName: "Judge", password: "board password!!", role: "board_member" }, "test");
    // Board members read only the cases of their panel: the judge joins this one's.
    const [panel] = await db.query<{ members: string[] }>("SELECT members FROM board_panels WHERE case_id = $1", [caseId]);
    await staff.assignBoardPanel(db, "user:admin", caseId, [...panel.members, judgeId]);
    const pageFor = async (email: string, password: string) => {
      const form = await app.request("/login");
      const csrf = cookieFrom(form, "oversight_csrf")!;
      const login = await app.request("/login", { method: "POST", body: new URLSearchParams({ email, password, _csrf: csrf }), headers: { cookie: `oversight_csrf=${csrf}`, "content-type": "application/x-www-form-urlencoded" } });
      const session = cookieFrom(login, "oversight_session")!;
      return (await app.request(`/staff/cases/${caseId}`, { headers: { cookie: `oversight_session=${session}` } })).text();
    };
    const intake = await pageFor("intake@example.org", "intake password!");
    assert.match(intake, new RegExp(CANARY.email.replace(/\./g, "\\.")));
    const judge = await pageFor("judge@example.org", "board password!!");
    assert.match(judge, /Pushed|grabbed/, "the board member sees the account of what happened");
    for (const value of [CANARY.name, CANARY.email, CANARY.phone, CANARY.address, CANARY.witness, CANARY.location]) assert.ok(!judge.includes(value), `${value} hidden from the board`);
  });
});
