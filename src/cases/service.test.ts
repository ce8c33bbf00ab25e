import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Db } from "../db/db.js";
import { testEngine } from "../db/test-db.js";
import { cookieFrom, createTestApp, TEST_SECRET } from "../web/test-app.js";
import { caseForAccess, openByReceipt, openCaseAccess, submitComplaint } from "./service.js";
import { eventsOf, findCase } from "./repo.js";

const form = (fields: Record<string, string | string[]>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) for (const v of ([] as string[]).concat(value)) data.append(key, v);
  return data;
};

describe(`complaint intake and the complainant's page (${testEngine})`, () => {
  let site: Awaited<ReturnType<typeof createTestApp>>;
  let db: Db;
  before(async () => {
    site = await createTestApp();
    db = site.db;
  });
  after(() => site.close());

  async function csrf() {
    const page = await site.app.request("/complaints/new?lang=es");
    const token = cookieFrom(page, "oversight_csrf")!;
    return { token, html: await page.text(), headers: page.headers };
  }

  it("serves the form in Spanish, privately, with a field per part of the complaint", async () => {
    const { html, headers } = await csrf();
    assert.match(html, /<html lang="es">/);
    assert.match(html, /Presente una queja/);
    for (const field of ["narrative", "incident_date", "categories", "officer_badge_0", "anonymous", "evidence", "_csrf"]) assert.match(html, new RegExp(`name="${field}"`));
    assert.equal(headers.get("cache-control"), "no-store");
  });

  it("files a complaint from the form: case number and a receipt of at least 16 digits, all in one transaction", async () => {
    const { token } = await csrf();
    const response = await site.app.request("/complaints/new?lang=es", {
      method: "POST",
      headers: { cookie: `oversight_csrf=${token}` },
      body: form({ _csrf: token, narrative: "Un agente me empujó contra el auto sin motivo.", categories: ["excessive_force", "discourtesy"], officer_badge_0: "4411", name: "Canary Person", email: "canary@example.org", contact_ok: "1", language: "es" }),
    });
    assert.equal(response.status, 200);
    const html = await response.text();
    const caseNumber = /data-testid="case-number">([^<]+)</.exec(html)![1];
    const receipt = /data-testid="receipt">([^<]+)</.exec(html)![1];
    assert.match(caseNumber, /^OV-\d{4}-\d{6}$/);
    assert.ok(receipt.replace(/-/g, "").length >= 16);
    const [row] = await db.query<{ n: number; people: number; allegations: number; force: boolean; receipt_hash: string }>(
      `SELECT count(*)::int AS n, (SELECT count(*)::int FROM case_people) AS people, (SELECT count(*)::int FROM case_allegations) AS allegations,
              bool_or(c.language = 'es') AS force, min(c.receipt_hash) AS receipt_hash FROM cases c`,
    );
    assert.deepEqual([row.n, row.people, row.allegations], [1, 1, 2]);
    assert.ok(!row.receipt_hash.includes(receipt.replace(/-/g, "")), "the receipt is not stored in the clear");
    assert.equal(await openByReceipt(db, TEST_SECRET, { case_number: caseNumber, receipt }).then(() => "ok"), "ok");
  });

  it("refuses a bad form naming the field, and writes nothing", async () => {
    const [before] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM cases");
    const { token } = await csrf();
    const response = await site.app.request("/complaints/new", {
      method: "POST", headers: { cookie: `oversight_csrf=${token}` },
      body: form({ _csrf: token, narrative: "short", email: "not-an-email" }),
    });
    assert.equal(response.status, 400);
    const html = await response.text();
    assert.match(html, /narrative/);
    assert.match(html, /email/);
    const [afterRow] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM cases");
    assert.equal(afterRow.n, before.n);
  });

  it("stores a script typed into a text field as text, and shows it escaped to staff and complainant", async () => {
    const filed = await submitComplaint(db, TEST_SECRET, { narrative: "<script>alert('x')</script> the officer shouted", anonymous: true }, null);
    const row = await findCase(db, filed.caseId);
    assert.equal(row?.narrative, "<script>alert('x')</script> the officer shouted");
  });

  it("lets the complainant open the case with number and receipt, add information, and see only their case", async () => {
    const filed = await submitComplaint(db, TEST_SECRET, { narrative: "I was searched without reason at the bus stop.", categories: ["illegal_search"], anonymous: true }, null);
    const { token } = await csrf();
    const open = await site.app.request("/complaints/status", {
      method: "POST", headers: { cookie: `oversight_csrf=${token}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: token, case_number: filed.caseNumber.toLowerCase(), receipt: filed.receipt.replace(/(\d{4})/g, "$1 ") }),
    });
    assert.equal(open.status, 303);
    const access = cookieFrom(open, "oversight_case")!;
    assert.ok(access);
    const page = await site.app.request("/complaints/status", { headers: { cookie: `oversight_case=${access}; oversight_csrf=${token}` } });
    const html = await page.text();
    assert.match(html, new RegExp(filed.caseNumber));
    assert.equal(page.headers.get("cache-control"), "no-store");
    const sent = await site.app.request("/complaints/status/message", {
      method: "POST", headers: { cookie: `oversight_case=${access}; oversight_csrf=${token}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: token, body: "I also have a video from my phone." }),
    });
    assert.equal(sent.status, 303);
    const event = (await eventsOf(db, filed.caseId)).find((e) => e.kind === "complainant_message");
    assert.equal(event?.body, "I also have a video from my phone.");
    const forged = await site.app.request("/complaints/status", { headers: { cookie: `oversight_case=${access.slice(0, -1)}${access.endsWith("A") ? "B" : "A"}` } });
    assert.doesNotMatch(await forged.text(), new RegExp(filed.caseNumber), "a forged access cookie opens nothing");
    assert.doesNotMatch(access, new RegExp(filed.caseId), "the cookie names no case");
  });

  it("\"close on this device\" ends the access on the server: the old cookie, replayed, opens nothing", async () => {
    const filed = await submitComplaint(db, TEST_SECRET, { narrative: "Followed home by a patrol car.", anonymous: true }, null);
    const { token } = await csrf();
    const open = await site.app.request("/complaints/status", {
      method: "POST", headers: { cookie: `oversight_csrf=${token}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: token, case_number: filed.caseNumber, receipt: filed.receipt }),
    });
    const access = cookieFrom(open, "oversight_case")!;
    const cookie = `oversight_case=${access}; oversight_csrf=${token}`;
    assert.match(await (await site.app.request("/complaints/status", { headers: { cookie } })).text(), new RegExp(filed.caseNumber));
    const stored = await db.query<{ token_hash: string }>("SELECT token_hash FROM case_access_sessions WHERE case_id = $1", [filed.caseId]);
    assert.equal(stored.length, 1);
    assert.notEqual(stored[0].token_hash, access, "only a hash of the token is stored");

    const closed = await site.app.request("/complaints/status/close", { method: "POST", headers: { cookie, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ _csrf: token }) });
    assert.equal(closed.status, 303);
    assert.equal((await db.query("SELECT 1 FROM case_access_sessions WHERE case_id = $1", [filed.caseId])).length, 0, "the access row is gone");
    // A copy of the cookie taken before closing (another tab, a shared computer's history) opens nothing.
    const replayed = await (await site.app.request("/complaints/status", { headers: { cookie } })).text();
    assert.doesNotMatch(replayed, new RegExp(filed.caseNumber));
    assert.match(replayed, /name="receipt"/, "the lookup form is shown instead");
    const message = await site.app.request("/complaints/status/message", {
      method: "POST", headers: { cookie, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ _csrf: token, body: "Written after closing." }),
    });
    assert.equal(message.status, 303);
    assert.equal((await db.query("SELECT 1 FROM case_events WHERE case_id = $1 AND kind = 'complainant_message'", [filed.caseId])).length, 0, "nothing is added through a closed access");
  });

  it("ends the access after 30 minutes unused, and keeps it while it is used", async () => {
    const filed = await submitComplaint(db, TEST_SECRET, { narrative: "Stopped twice in one week.", anonymous: true }, null);
    const t0 = new Date("2031-05-01T10:00:00Z");
    const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
    const token = await openCaseAccess(db, filed.caseId, t0);
    assert.equal(await caseForAccess(db, token, minutes(29)), filed.caseId);
    assert.equal(await caseForAccess(db, token, minutes(58)), filed.caseId, "using it at 29 minutes kept it alive");
    assert.equal(await caseForAccess(db, token, minutes(89)), null, "31 minutes unused: it lapsed");
    const other = await openCaseAccess(db, filed.caseId, t0);
    assert.equal(await caseForAccess(db, other, minutes(31)), null);
    assert.equal(await caseForAccess(db, "not a token", t0), null);
    assert.equal(await caseForAccess(db, undefined, t0), null);
  });

  it("answers a wrong receipt and an unknown case number the same way", async () => {
    const filed = await submitComplaint(db, TEST_SECRET, { narrative: "Stopped and questioned for an hour.", anonymous: true }, null);
    const { token } = await csrf();
    const attempt = (case_number: string, receipt: string) =>
      site.app.request("/complaints/status", {
        method: "POST", headers: { cookie: `oversight_csrf=${token}`, "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": "1" },
        body: new URLSearchParams({ _csrf: token, case_number, receipt }),
      });
    const wrongReceipt = await attempt(filed.caseNumber, "1111-2222-3333-4444-5555");
    const unknownCase = await attempt("OV-1999-000001", "1111-2222-3333-4444-5555");
    assert.equal(wrongReceipt.status, 404);
    assert.equal(unknownCase.status, 404);
    const strip = (html: string) => html.replace(/value="[^"]*"/g, "");
    assert.equal(strip(await wrongReceipt.text()), strip(await unknownCase.text()));
  });
});
