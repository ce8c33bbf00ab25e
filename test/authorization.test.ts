import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ROLES, type Role } from "../src/auth/roles.js";
import { createUser } from "../src/auth/service.js";
import { submitComplaint } from "../src/cases/service.js";
import * as caseRepo from "../src/cases/repo.js";
import { assignBoardPanel } from "../src/cases/staff-service.js";
import { storeEvidence } from "../src/cases/evidence/store.js";
import { jpegWithMetadata, pdf } from "../src/cases/evidence/fixtures.js";
import { testEngine } from "../src/db/test-db.js";
import { loadDemo } from "../src/records/demo.js";
import { cookieFrom, createTestApp, TEST_SECRET } from "../src/web/test-app.js";

type Who = Role | "anonymous" | "complainant";
const STAFF: Who[] = ["admin", "intake", "investigator", "board_member"];
const EVERYONE: Who[] = ["anonymous", "complainant", ...ROLES];

interface RouteRule {
  method: "GET" | "POST" | "PUT" | "PATCH";
  path: string;
  allowed: Who[];
  body?: Record<string, string>;
  /** Sent as JSON with the CSRF header, as an API script would. */
  json?: unknown;
  /** Puts the data back before each role's attempt, for rules whose allowed attempts change it. */
  reset?: () => Promise<void>;
}

/**
 * Every route × every role. "Allowed" means the server did not refuse (no 403,
 * no redirect to sign-in); a refusal must be a 403, or for an anonymous visitor
 * on a staff page, a redirect to sign in.
 */
describe(`authorization: every route for every role (${testEngine})`, () => {
  let site: Awaited<ReturnType<typeof createTestApp>>;
  const sessions = new Map<Who, { cookie: string; csrf: string }>();
  let ids: { case: string; otherCase: string; allegation: string; officer: string; person: string; complaint: string; caseOfficer: string; photo: string; document: string };
  const userIds = new Map<Role, string>();
  /** Cases for the assignment rows: another investigator's, the signed-in investigator's own, and a free one. */
  let assignment: { othersCase: string; ownCase: string; freeCase: string; otherInvestigator: string };

  before(async () => {
    site = await createTestApp();
    await loadDemo(site.db);
    for (const role of ROLES) {
      userIds.set(role, await createUser(site.db, { email: `${role}@example.org`, displayName: role, password: `${role} password 123`, role }, "test"));
    }
    assignment = {
      othersCase: (await submitComplaint(site.db, TEST_SECRET, { narrative: "A case another investigator works.", anonymous: true }, null)).caseId,
      ownCase: (await submitComplaint(site.db, TEST_SECRET, { narrative: "A case the investigator works.", anonymous: true }, null)).caseId,
      freeCase: (await submitComplaint(site.db, TEST_SECRET, { narrative: "A case nobody works yet.", anonymous: true }, null)).caseId,
      otherInvestigator: await createUser(site.db, { email: "investigator2@example.org", displayName: "Second investigator", password: "investigator2 password", role: "investigator" }, "test"),
    };
    const mine = await submitComplaint(site.db, TEST_SECRET, { narrative: "My complaint about a stop.", categories: ["discourtesy"], officers: [{ badge: "1" }], anonymous: true }, null);
    const other = await submitComplaint(site.db, TEST_SECRET, { narrative: "Someone else's complaint.", anonymous: true }, null);
    const [allegation] = await caseRepo.allegationsOf(site.db, mine.caseId);
    const [caseOfficer] = await caseRepo.officersOf(site.db, mine.caseId);
    const [person] = await site.db.query<{ id: string }>("SELECT id FROM people LIMIT 1");
    const [complaint] = await site.db.query<{ id: string }>("SELECT id FROM complaints LIMIT 1");
    const [photo, document] = await site.db.transaction(async (tx) => [
      await storeEvidence(tx, mine.caseId, { name: "photo.jpg", type: "image/jpeg", bytes: jpegWithMetadata() }, "complainant"),
      await storeEvidence(tx, mine.caseId, { name: "record.pdf", type: "application/pdf", bytes: pdf() }, "complainant"),
    ]);
    // The board member sits on the panel of this case (board members read only their panel's cases).
    await assignBoardPanel(site.db, "test", mine.caseId, [userIds.get("board_member")!]);
    ids = { case: mine.caseId, otherCase: other.caseId, allegation: allegation.id, officer: caseOfficer.id, person: person.id, complaint: complaint.id, caseOfficer: caseOfficer.id, photo: photo.id, document: document.id };
    for (const role of ROLES) {
      const form = await site.app.request("/login");
      const csrf = cookieFrom(form, "oversight_csrf")!;
      const login = await site.app.request("/login", { method: "POST", body: new URLSearchParams({ email: `${role}@example.org`, password: `${role} password 123`, _csrf: csrf }), headers: { cookie: `oversight_csrf=${csrf}`, "content-type": "application/x-www-form-urlencoded" } });
      const session = cookieFrom(login, "oversight_session")!;
      const page = await (await site.app.request("/", { headers: { cookie: `oversight_session=${session}` } })).text();
      sessions.set(role, { cookie: `oversight_session=${session}`, csrf: /name="_csrf" value="([^"]+)"/.exec(page)![1] });
    }
    const anon = await site.app.request("/login");
    const anonCsrf = cookieFrom(anon, "oversight_csrf")!;
    sessions.set("anonymous", { cookie: `oversight_csrf=${anonCsrf}`, csrf: anonCsrf });
    const opened = await site.app.request("/complaints/status", { method: "POST", body: new URLSearchParams({ case_number: mine.caseNumber, receipt: mine.receipt, _csrf: anonCsrf }), headers: { cookie: `oversight_csrf=${anonCsrf}`, "content-type": "application/x-www-form-urlencoded" } });
    sessions.set("complainant", { cookie: `oversight_csrf=${anonCsrf}; oversight_case=${cookieFrom(opened, "oversight_case")}`, csrf: anonCsrf });
  });
  after(() => site.close());

  const rules = (): RouteRule[] => [
    ...["/", "/officers", `/officers/${ids.person}`, "/complaints", `/complaints/${ids.complaint}`, "/agencies", "/agencies/demo-city-pd", "/sources", "/data", "/login",
      "/complaints/new", "/complaints/status", "/api/v1/stats", "/api/v1/officers", `/api/v1/officers/${ids.person}`, "/api/v1/complaints", "/api/v1/allegations",
      "/api/v1/settlements", "/api/v1/agencies", "/api/v1/search?q=a", "/api/openapi.json", "/api/v1/audit/tree-head", "/reports/complaints", "/api/v1/reports/complaints"].map((path) => ({ method: "GET" as const, path, allowed: EVERYONE })),
    { method: "GET", path: "/staff/cases", allowed: STAFF },
    { method: "GET", path: "/staff/cases/new", allowed: ["admin", "intake"] },
    { method: "GET", path: `/staff/cases/${ids.case}`, allowed: STAFF },
    // Evidence: the board sees stripped images only; PDFs, video and audio keep their metadata.
    { method: "GET", path: `/staff/cases/${ids.case}/evidence/${ids.photo}`, allowed: STAFF },
    { method: "GET", path: `/staff/cases/${ids.case}/evidence/${ids.photo}?download=1`, allowed: STAFF },
    // The original as received (with its metadata): only staff who work cases.
    { method: "GET", path: `/staff/cases/${ids.case}/evidence/${ids.photo}?original=1`, allowed: ["admin", "intake", "investigator"] },
    { method: "GET", path: `/staff/cases/${ids.case}/evidence/${ids.document}`, allowed: ["admin", "intake", "investigator"] },
    { method: "POST", path: `/staff/cases/${ids.otherCase}/evidence`, allowed: ["admin", "intake", "investigator"] },
    { method: "POST", path: "/staff/cases/new", allowed: ["admin", "intake"], body: { narrative: "Taken by phone: stopped without reason.", channel: "phone" } },
    { method: "POST", path: `/staff/cases/${ids.otherCase}/notes`, allowed: ["admin", "intake", "investigator"], body: { body: "called back" } },
    { method: "POST", path: `/staff/cases/${ids.otherCase}/refer`, allowed: ["admin", "intake", "investigator"], body: { reason: "possible crime" } },
    { method: "POST", path: `/staff/cases/${ids.otherCase}/tolling`, allowed: ["admin", "intake", "investigator"], body: { kind: "waiver", starts_on: "2026-01-01" } },
    { method: "POST", path: `/staff/cases/${ids.otherCase}/allegations/${ids.allegation}`, allowed: ["admin", "intake", "investigator"], body: { is_force: "" } },
    { method: "POST", path: `/staff/cases/${ids.case}/officers/${ids.caseOfficer}`, allowed: ["admin", "intake", "investigator"], body: { person_id: "" } },
    { method: "POST", path: `/staff/cases/${ids.otherCase}/panel`, allowed: ["admin"], body: { members: "" } },
    { method: "POST", path: `/staff/cases/${ids.otherCase}/vote`, allowed: ["board_member"], body: { allegation_id: ids.allegation, vote: "unfounded" } },
    { method: "POST", path: `/staff/cases/${ids.otherCase}/final`, allowed: ["admin"], body: { allegation_id: ids.allegation, final_finding: "unfounded" } },
    { method: "POST", path: `/officers/${ids.person}/merge`, allowed: ["admin"], body: { into: "not-a-uuid", reason: "x" } },
    { method: "POST", path: `/officers/${ids.person}/split`, allowed: ["admin"], body: { reason: "x" } },
    { method: "POST", path: "/complaints/status/message", allowed: EVERYONE, body: { body: "more information" } },
    { method: "GET", path: "/api/v1/staff/cases", allowed: STAFF },
    { method: "GET", path: `/api/v1/staff/cases/${ids.case}`, allowed: STAFF },
    { method: "POST", path: "/api/v1/staff/cases", allowed: ["admin", "intake"] },
    ...["transitions", "notes", "referrals", "tolling"].map((action) => ({ method: "POST" as const, path: `/api/v1/staff/cases/${ids.otherCase}/${action}`, allowed: ["admin", "intake", "investigator"] as Who[] })),
    { method: "POST", path: `/api/v1/staff/cases/${ids.otherCase}/panel`, allowed: ["admin"] },
    { method: "POST", path: `/api/v1/staff/cases/${ids.otherCase}/votes`, allowed: ["board_member"] },
    { method: "POST", path: `/api/v1/staff/cases/${ids.otherCase}/final-decisions`, allowed: ["admin"] },
    { method: "POST", path: "/api/v1/staff/reinstatements", allowed: ["admin"] },
    // Office settings: admins only. The bodies are refused by validation, so nothing changes.
    { method: "GET", path: "/staff/settings", allowed: ["admin"] },
    { method: "POST", path: "/staff/settings", allowed: ["admin"], body: { discipline_window: "2y" } },
    { method: "GET", path: "/api/v1/staff/settings", allowed: ["admin"] },
    { method: "PATCH", path: "/api/v1/staff/settings", allowed: ["admin"], json: { discipline_window: "2y" } },
    // Assignment: intake and admins assign anyone; an investigator only takes a free case or gives back their own,
    // so on another investigator's case number they are refused. Each attempt starts from the same assignments.
    { method: "GET", path: "/staff/cases?mine=1", allowed: STAFF },
    { method: "GET", path: "/api/v1/staff/cases?mine=1", allowed: STAFF },
    ...assignmentRules(),
  ];

  function assignmentRules(): RouteRule[] {
    const investigator = userIds.get("investigator")!;
    const reset = async () => {
      await site.db.query("UPDATE cases SET assigned_to = $2 WHERE id = $1", [assignment.othersCase, assignment.otherInvestigator]);
      await site.db.query("UPDATE cases SET assigned_to = $2 WHERE id = $1", [assignment.ownCase, investigator]);
      await site.db.query("UPDATE cases SET assigned_to = NULL WHERE id = $1", [assignment.freeCase]);
    };
    const attempts: { caseId: string; to: string | null; allowed: Who[] }[] = [
      { caseId: assignment.othersCase, to: investigator, allowed: ["admin", "intake"] },
      { caseId: assignment.othersCase, to: null, allowed: ["admin", "intake"] },
      { caseId: assignment.ownCase, to: null, allowed: ["admin", "intake", "investigator"] },
      { caseId: assignment.freeCase, to: investigator, allowed: ["admin", "intake", "investigator"] },
    ];
    return attempts.flatMap(({ caseId, to, allowed }) => [
      { method: "POST" as const, path: `/staff/cases/${caseId}/assignment`, allowed, body: { user_id: to ?? "" }, reset },
      { method: "PUT" as const, path: `/api/v1/staff/cases/${caseId}/assignment`, allowed, json: { userId: to }, reset },
    ]);
  }

  it("allows exactly the roles in the table, for every route", async () => {
    const wrong: string[] = [];
    for (const rule of rules()) {
      for (const who of EVERYONE) {
        const session = sessions.get(who)!;
        await rule.reset?.();
        const init: RequestInit = { method: rule.method, headers: { cookie: session.cookie } };
        if (rule.json !== undefined) {
          init.body = JSON.stringify(rule.json);
          Object.assign(init.headers as Record<string, string>, { "content-type": "application/json", "x-csrf-token": session.csrf });
        } else if (rule.method !== "GET") {
          init.body = new URLSearchParams({ ...rule.body, _csrf: session.csrf });
          (init.headers as Record<string, string>)["content-type"] = "application/x-www-form-urlencoded";
        }
        const response = await site.app.request(rule.path, init);
        const toLogin = response.status === 303 && (response.headers.get("location") ?? "").startsWith("/login");
        const refused = response.status === 403 || toLogin;
        const expected = rule.allowed.includes(who);
        if (expected === refused) wrong.push(`${rule.method} ${rule.path} as ${who}: ${response.status}${toLogin ? " → login" : ""}, expected ${expected ? "allowed" : "refused"}`);
        if (response.status >= 500) wrong.push(`${rule.method} ${rule.path} as ${who}: server error ${response.status}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it("never shows a complainant another case, whatever number they try", async () => {
    const complainant = sessions.get("complainant")!;
    const page = await (await site.app.request("/complaints/status", { headers: { cookie: complainant.cookie } })).text();
    const [mine] = await site.db.query<{ case_number: string }>("SELECT case_number FROM cases WHERE id = $1", [ids.case]);
    const [other] = await site.db.query<{ case_number: string }>("SELECT case_number FROM cases WHERE id = $1", [ids.otherCase]);
    assert.match(page, new RegExp(mine.case_number));
    assert.doesNotMatch(page, new RegExp(other.case_number));
    for (const path of [`/complaints/status?case=${ids.otherCase}`, `/complaints/status?case_number=${other.case_number}`, `/staff/cases/${ids.otherCase}`]) {
      const text = await (await site.app.request(path, { headers: { cookie: complainant.cookie } })).text();
      assert.doesNotMatch(text, /Someone else's complaint/, path);
    }
    const forged = complainant.cookie.replace(ids.case, ids.otherCase);
    const text = await (await site.app.request("/complaints/status", { headers: { cookie: forged } })).text();
    assert.doesNotMatch(text, new RegExp(other.case_number));
  });
});
