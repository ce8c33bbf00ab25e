import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createUser } from "../auth/service.js";
import { testEngine } from "../db/test-db.js";
import { cookieFrom, createTestApp } from "../web/test-app.js";

describe(`the staff JSON API (${testEngine})`, () => {
  let site: Awaited<ReturnType<typeof createTestApp>>;
  let auth: { cookie: string; csrf: string };
  before(async () => {
    site = await createTestApp();
    await createUser(site.db, { email: "intake@example.org", displayName: "Intake", password: "intake password 1", role: "intake" }, "test");
    const form = await site.app.request("/login");
    const csrf = cookieFrom(form, "oversight_csrf")!;
    const login = await site.app.request("/login", { method: "POST", body: new URLSearchParams({ email: "intake@example.org", password: "intake password 1", _csrf: csrf }), headers: { cookie: `oversight_csrf=${csrf}`, "content-type": "application/x-www-form-urlencoded" } });
    const session = cookieFrom(login, "oversight_session")!;
    const page = await (await site.app.request("/", { headers: { cookie: `oversight_session=${session}` } })).text();
    auth = { cookie: `oversight_session=${session}`, csrf: /name="_csrf" value="([^"]+)"/.exec(page)![1] };
  });
  after(() => site.close());

  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    site.app.request(path, { method, headers: { cookie: auth.cookie, "x-csrf-token": auth.csrf, "content-type": "application/json", ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });

  it("enters a phone complaint, lists it with clocks, and moves it, refusing illegal moves with the reason", async () => {
    const created = await call("POST", "/api/v1/staff/cases", { narrative: "Caller says an officer slapped her son.", categories: ["excessive_force"], channel: "phone", anonymous: true });
    assert.equal(created.status, 201);
    const { id, receipt } = await created.json();
    assert.match(receipt, /^\d{20}$/);
    const list = await (await call("GET", "/api/v1/staff/cases")).json();
    assert.ok(list.items.some((item: { id: string; deadlines: unknown[] }) => item.id === id && item.deadlines.length === 4));
    assert.equal((await call("POST", `/api/v1/staff/cases/${id}/transitions`, { to: "triage" })).status, 200);
    const refused = await call("POST", `/api/v1/staff/cases/${id}/transitions`, { to: "contact_log" });
    assert.equal(refused.status, 409);
    assert.match((await refused.json()).error.detail, /excessive force/);
    const detail = await (await call("GET", `/api/v1/staff/cases/${id}`)).json();
    assert.equal(detail.state, "triage");
    assert.equal(detail.channel, "phone");
  });

  it("names the bad field, refuses without the CSRF header, and refuses a role that may not act", async () => {
    const bad = await call("POST", "/api/v1/staff/cases", { narrative: "x" });
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).error.message, /narrative/);
    const noCsrf = await site.app.request("/api/v1/staff/cases", { method: "POST", headers: { cookie: auth.cookie, "content-type": "application/json" }, body: "{}" });
    assert.equal(noCsrf.status, 403);
    const panel = await call("POST", `/api/v1/staff/cases/00000000-0000-0000-0000-000000000000/panel`, { members: [] });
    assert.equal(panel.status, 403);
    const anonymous = await site.app.request("/api/v1/staff/cases");
    assert.equal(anonymous.status, 403);
    const openapi = await (await site.app.request("/api/openapi.json")).json();
    assert.ok(openapi.paths["/api/v1/staff/cases/{id}/transitions"]);
  });
});
