import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testEngine } from "../db/test-db.js";
import { createTestApp } from "../web/test-app.js";
import { createUser } from "./service.js";
import { signInThroughForm } from "./test-sign-in.js";

const CHROME_ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36";
const signedIn = /Signed in as/;

describe(`own account: password change and sessions (${testEngine})`, () => {
  let site: Awaited<ReturnType<typeof createTestApp>>;

  before(async () => {
    site = await createTestApp();
  });
  after(() => site.close());

  it("changes the password with the current one, names what is wrong, and ends the other sessions", async () => {
    const id = await createUser(site.db, { email: "changer@example.org", displayName: "Changer", password: "old password for changer", role: "investigator" }, "test");
    const here = await signInThroughForm(site, "changer@example.org", "old password for changer");
    const phone = await signInThroughForm(site, "changer@example.org", "old password for changer", CHROME_ANDROID);

    const page = await here.get("/account/password?lang=es");
    assert.match(await page.text(), /Cambiar su contraseña/);

    const wrong = await here.form("/account/password", { current: "not the old password", password: "a brand new password", confirm: "a brand new password" });
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /That password is not right/);
    const short = await here.form("/account/password", { current: "old password for changer", password: "short", confirm: "short" });
    assert.equal(short.status, 400);
    assert.match(await short.text(), /New password: it must be at least 12 characters/);
    const mismatch = await here.form("/account/password", { current: "old password for changer", password: "a brand new password", confirm: "a brand new passwort" });
    assert.equal(mismatch.status, 400);
    assert.match(await mismatch.text(), /New password again: it must repeat/);

    const done = await here.form("/account/password", { current: "old password for changer", password: "a brand new password", confirm: "a brand new password" });
    assert.equal(done.status, 303);
    assert.equal(done.headers.get("location"), "/account?done=password");
    assert.match(await (await here.get("/account?done=password")).text(), /Your password was changed/);
    assert.doesNotMatch(await (await phone.get("/")).text(), signedIn, "the other session ended");

    await assert.rejects(signInThroughForm(site, "changer@example.org", "old password for changer"), /answered 400/);
    await signInThroughForm(site, "changer@example.org", "a brand new password");
    const [audit] = await site.db.query<{ entry: string }>("SELECT entry FROM audit_log WHERE action = 'user.password' AND entity_id = $1", [id]);
    assert.match(audit.entry, /"sessionsEnded":1/);
    assert.doesNotMatch(audit.entry, /brand new/);
    assert.equal((await site.app.request("/account/password")).status, 403, "the public has no password to change");
  });

  it("lists one's sessions by browser and ends one or all the others, never someone else's", async () => {
    await createUser(site.db, { email: "many@example.org", displayName: "Many Sessions", password: "many sessions password", role: "intake" }, "test");
    await createUser(site.db, { email: "other@example.org", displayName: "Other Person", password: "other person password", role: "intake" }, "test");
    const desk = await signInThroughForm(site, "many@example.org", "many sessions password");
    const phone = await signInThroughForm(site, "many@example.org", "many sessions password", CHROME_ANDROID);
    const third = await signInThroughForm(site, "many@example.org", "many sessions password");
    const stranger = await signInThroughForm(site, "other@example.org", "other person password");

    const list = await (await desk.get("/account/sessions")).text();
    assert.match(list, /Firefox on Linux<strong> \(this one\)/);
    assert.match(list, /Chrome on Android/);
    assert.equal((list.match(/name="session" value=/g) ?? []).length, 2, "every session but this one can be ended");
    assert.doesNotMatch(list, /oversight_session|token/);
    const ids = [...list.matchAll(/name="session" value="([^"]+)"/g)].map((m) => m[1]);

    // Someone else's session id ends nothing.
    const foreign = await stranger.form("/account/sessions/revoke", { session: ids[0] });
    assert.equal(foreign.headers.get("location"), "/account/sessions?ended=0");
    assert.match(await (await phone.get("/")).text(), signedIn);
    assert.match(await (await third.get("/")).text(), signedIn);

    const phoneId = /Chrome on Android[\s\S]*?name="session" value="([^"]+)"/.exec(list)![1];
    const one = await desk.form("/account/sessions/revoke", { session: phoneId });
    assert.equal(one.headers.get("location"), "/account/sessions?ended=1");
    assert.doesNotMatch(await (await phone.get("/")).text(), signedIn, "that session ended");
    assert.match(await (await third.get("/")).text(), signedIn, "the others did not");

    const all = await desk.form("/account/sessions/revoke-others", {});
    assert.equal(all.headers.get("location"), "/account/sessions?ended=1");
    assert.doesNotMatch(await (await third.get("/")).text(), signedIn);
    assert.match(await (await desk.get("/")).text(), signedIn, "this session stays");
    assert.match(await (await stranger.get("/")).text(), signedIn, "another account's session stays");
    const revokes = await site.db.query("SELECT 1 FROM audit_log WHERE action = 'session.revoke'");
    assert.equal(revokes.length, 2);
  });
});
