import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testEngine } from "../db/test-db.js";
import { cookieFrom, createTestApp } from "../web/test-app.js";
import { resetPassword } from "./reset-service.js";
import { createUser } from "./service.js";
import { signInThroughForm } from "./test-sign-in.js";

describe(`password reset by emailed link (${testEngine})`, () => {
  let site: Awaited<ReturnType<typeof createTestApp>>;
  let userId: string;

  before(async () => {
    site = await createTestApp({ env: { OVERSIGHT_PUBLIC_URL: "https://oversight.example.org" } });
    userId = await createUser(site.db, { email: "forgetful@example.org", displayName: "Forgetful", password: "the forgotten password", role: "investigator", language: "es" }, "test");
  });
  after(() => site.close());

  async function anonymousForm(path: string, fields: Record<string, string>) {
    const page = await site.app.request(path.startsWith("/password/reset") ? path : "/password/forgot");
    const csrf = cookieFrom(page, "oversight_csrf")!;
    return site.app.request(path, { method: "POST", body: new URLSearchParams({ ...fields, _csrf: csrf }), headers: { cookie: `oversight_csrf=${csrf}`, "content-type": "application/x-www-form-urlencoded" } });
  }
  const outbox = () => site.db.query<{ to_address: string; subject: string; body_text: string; template: string }>("SELECT to_address, subject, body_text, template FROM email_outbox ORDER BY created_at");

  it("answers the same for a known and an unknown email, and mails a link only to the account", async () => {
    const unknown = await anonymousForm("/password/forgot", { email: "stranger@example.org" });
    const known = await anonymousForm("/password/forgot", { email: "Forgetful@example.org" });
    assert.equal(unknown.status, 200);
    assert.equal(known.status, 200);
    const strip = (html: string) => html.replace(/name="_csrf" value="[^"]+"/g, "");
    assert.equal(strip(await unknown.text()), strip(await known.text()));
    const mails = await outbox();
    assert.equal(mails.length, 1);
    assert.equal(mails[0].to_address, "forgetful@example.org");
    assert.equal(mails[0].template, "user.password_reset");
    assert.match(mails[0].subject, /Restablezca/, "in the account's language");
    assert.match(mails[0].body_text, /https:\/\/oversight\.example\.org\/password\/reset\/[A-Za-z0-9_-]{43}\n/, "a whole address from the configured public URL");
    const token = /reset\/([A-Za-z0-9_-]+)/.exec(mails[0].body_text)![1];
    const [stored] = await site.db.query<{ token_hash: string }>("SELECT token_hash FROM password_resets WHERE user_id = $1", [userId]);
    assert.notEqual(stored.token_hash, token, "only the token's hash is stored");
    assert.equal((await site.db.query("SELECT 1 FROM audit_log WHERE action = 'user.reset_requested' AND entity_id = $1", [userId])).length, 1);
  });

  it("sets a new password once, ends every session, and refuses the link afterwards", async () => {
    const session = await signInThroughForm(site, "forgetful@example.org", "the forgotten password");
    await site.db.query("DELETE FROM email_outbox");
    await anonymousForm("/password/forgot", { email: "forgetful@example.org" });
    const [mail] = await outbox();
    const path = new URL(/https:\S+/.exec(mail.body_text)![0]).pathname;

    assert.match(await (await site.app.request(path)).text(), /Choose a new password/);
    const short = await anonymousForm(path, { password: "short", confirm: "short" });
    assert.equal(short.status, 400);
    assert.match(await short.text(), /at least 12 characters/);

    const done = await anonymousForm(path, { password: "a remembered password", confirm: "a remembered password" });
    assert.equal(done.status, 303);
    assert.equal(done.headers.get("location"), "/login?reset=1");
    assert.doesNotMatch(await (await session.get("/")).text(), /Signed in as/, "every session ended");
    await signInThroughForm(site, "forgetful@example.org", "a remembered password");

    const again = await anonymousForm(path, { password: "yet another password", confirm: "yet another password" });
    assert.equal(again.status, 400);
    assert.match(await again.text(), /This link does not work/);
    assert.equal((await site.app.request(path)).status, 400);
    const [entry] = await site.db.query<{ entry: string }>("SELECT entry FROM audit_log WHERE action = 'user.password_reset'");
    assert.doesNotMatch(entry.entry, /remembered/);
  });

  it("refuses a link after 30 minutes, and an older link once a newer one is sent", async () => {
    await site.db.query("DELETE FROM email_outbox");
    await anonymousForm("/password/forgot", { email: "forgetful@example.org" });
    await anonymousForm("/password/forgot", { email: "forgetful@example.org" });
    const [first, second] = (await outbox()).map((m) => /reset\/([A-Za-z0-9_-]+)/.exec(m.body_text)![1]);
    assert.equal((await resetPassword(site.db, first, { password: "first link password", confirm: "first link password" })).kind, "unusable");
    const later = new Date(Date.now() + 31 * 60_000);
    assert.equal((await resetPassword(site.db, second, { password: "second link password", confirm: "second link password" }, later)).kind, "unusable");
    assert.equal((await resetPassword(site.db, second, { password: "second link password", confirm: "second link password" })).kind, "reset");
  });

  it("limits requests per address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) statuses.push((await anonymousForm("/password/forgot", { email: `nobody${i}@example.org` })).status);
    assert.ok(statuses.includes(429));
  });
});
