import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { testEngine } from "../db/test-db.js";
import { loadConfig } from "../config.js";
import { cookieFrom, createTestApp } from "../web/test-app.js";
import { enqueueDeadlineReminders } from "./reminders.js";
import { staffClient } from "./test-staff.js";

type Site = Awaited<ReturnType<typeof createTestApp>>;

/** Each case email the office sends, by template, with its body as queued. */
async function queuedBodies(site: Site): Promise<Map<string, string>> {
  const rows = await site.db.query<{ template: string; body_text: string }>("SELECT template, body_text FROM email_outbox ORDER BY created_at");
  return new Map(rows.map((row) => [row.template, row.body_text]));
}

/** Files a complaint with contact by email, messages the complainant and assigns the case: one email of each kind. */
async function sendEveryCaseEmail(site: Site): Promise<void> {
  const intake = await staffClient(site, { email: "irene@example.org", displayName: "Irene Intake", role: "intake" });
  const investigator = await staffClient(site, { email: "ivan@example.org", displayName: "Iván Investigator", role: "investigator" });
  const filed = await intake.json("POST", "/api/v1/staff/cases", { narrative: "Searched my car without a warrant.", name: "Canary Person", email: "canary@example.org", contact_ok: true });
  assert.equal(filed.status, 201);
  const { id } = (await filed.json()) as { id: string };
  assert.equal((await investigator.form(`/staff/cases/${id}/notes`, { body: "Please send the photos.", to_complainant: "1" })).status, 303);
  assert.equal((await intake.form(`/staff/cases/${id}/assignment`, { user_id: investigator.id })).status, 303);
}

describe(`links in the office's emails are whole addresses (${testEngine})`, () => {
  const sites: Site[] = [];
  after(() => Promise.all(sites.map((site) => site.close())));

  it("point at OVERSIGHT_PUBLIC_URL when it is set", async () => {
    const site = await createTestApp({ env: { OVERSIGHT_PUBLIC_URL: "https://oversight.example.org/" } });
    sites.push(site);
    await sendEveryCaseEmail(site);
    const bodies = await queuedBodies(site);
    assert.match(bodies.get("case.received")!, /https:\/\/oversight\.example\.org\/complaints\/status /);
    assert.match(bodies.get("case.message")!, /https:\/\/oversight\.example\.org\/complaints\/status /);
    assert.match(bodies.get("case.assigned")!, /https:\/\/oversight\.example\.org\/staff\/cases\/[0-9a-f-]{36} /);
  });

  it("point at where the server listens when it is not set, never at the request's host", async () => {
    const site = await createTestApp({ env: { PORT: "8123" } });
    sites.push(site);
    await sendEveryCaseEmail(site);
    const bodies = await queuedBodies(site);
    for (const template of ["case.received", "case.message", "case.assigned"]) {
      assert.match(bodies.get(template)!, /http:\/\/localhost:8123\/(complaints\/status|staff\/cases\/)/, template);
      assert.doesNotMatch(bodies.get(template)!, /\s\/(complaints|staff)\//, `${template}: no bare path`);
    }
  });

  for (const [setting, env, base] of [
    ["without OVERSIGHT_PUBLIC_URL", { PORT: "8123" }, /http:\/\/localhost:8123\/complaints\/status /],
    ["with OVERSIGHT_PUBLIC_URL", { OVERSIGHT_PUBLIC_URL: "https://oversight.example.org" }, /https:\/\/oversight\.example\.org\/complaints\/status /],
  ] as const) {
    it(`a complaint filed with a forged Host header is acknowledged with the configured address (${setting})`, async () => {
      const site = await createTestApp({ env });
      sites.push(site);
      const page = await site.app.request("http://evil.example/complaints/new", { headers: { host: "evil.example" } });
      const token = cookieFrom(page, "oversight_csrf")!;
      const body = new FormData();
      for (const [key, value] of Object.entries({ _csrf: token, narrative: "Searched my car without a warrant.", name: "Canary Person", email: "canary@example.org", contact_ok: "1" })) body.set(key, value);
      const filed = await site.app.request("http://evil.example/complaints/new", { method: "POST", body, headers: { host: "evil.example", cookie: `oversight_csrf=${token}` } });
      assert.equal(filed.status, 200);
      const received = (await queuedBodies(site)).get("case.received")!;
      assert.match(received, base);
      assert.doesNotMatch(received, /evil\.example/);
    });
  }

  it("reminders carry the base the server gives them", async () => {
    const site = await createTestApp();
    sites.push(site);
    await sendEveryCaseEmail(site);
    await site.db.query("UPDATE cases SET received_at = now() - interval '40 days', acknowledged_at = NULL");
    assert.ok((await enqueueDeadlineReminders(site.db, "office@example.org", "https://oversight.example.org")) > 0);
    const reminders = await site.db.query<{ body_text: string }>("SELECT body_text FROM email_outbox WHERE template = 'case.deadline_reminder'");
    assert.ok(reminders.length >= 2, "to the office and to the assignee");
    for (const { body_text } of reminders) {
      assert.match(body_text, /(Open|Ábralo en) https:\/\/oversight\.example\.org\/staff\/cases\/[0-9a-f-]{36}$/);
      assert.doesNotMatch(body_text, /\s\/staff\//, "no bare path");
    }
  });

  it("refuses to run in production without a public address, naming the setting", async () => {
    await assert.rejects(createTestApp({ env: { NODE_ENV: "production" } }), /Invalid setting "publicUrl": OVERSIGHT_PUBLIC_URL is required when NODE_ENV=production/);
    assert.equal(loadConfig({ dataDir: "/nonexistent" }, { NODE_ENV: "production", OVERSIGHT_PUBLIC_URL: "https://oversight.example.org" }).publicUrl, "https://oversight.example.org");
    assert.equal(loadConfig({ dataDir: "/nonexistent" }, {}).publicUrl, undefined, "a demo runs without it");
  });

  it("refuses a public address that is not a web address, naming the setting", async () => {
    await assert.rejects(createTestApp({ env: { OVERSIGHT_PUBLIC_URL: "oversight.example.org" } }), /Invalid setting "publicUrl"/);
  });
});
