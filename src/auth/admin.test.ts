import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testEngine } from "../db/test-db.js";
import { createTestApp } from "../web/test-app.js";
import { changeAccount } from "./admin-service.js";
import { createUser } from "./service.js";
import { signInThroughForm, type SignedIn } from "./test-sign-in.js";

describe(`account administration (${testEngine})`, () => {
  let site: Awaited<ReturnType<typeof createTestApp>>;
  let admin: SignedIn;
  let adminId: string;

  before(async () => {
    site = await createTestApp();
    adminId = await createUser(site.db, { email: "boss@example.org", displayName: "Boss Admin", password: "boss admin password", role: "admin" }, "test");
    admin = await signInThroughForm(site, "boss@example.org", "boss admin password");
  });
  after(() => site.close());

  const audit = async (action: string) => site.db.query<{ actor: string; entity_id: string; entry: string }>("SELECT actor, entity_id, entry FROM audit_log WHERE action = $1 ORDER BY seq", [action]);

  it("is for administrators only", async () => {
    await createUser(site.db, { email: "intake@example.org", displayName: "Intake Person", password: "intake person password", role: "intake" }, "test");
    const intake = await signInThroughForm(site, "intake@example.org", "intake person password");
    assert.equal((await intake.get("/admin/users")).status, 403);
    assert.equal((await intake.form("/admin/users", { email: "x@example.org", displayName: "X", role: "admin", password: "some long password" })).status, 403);
    assert.equal((await site.app.request("/admin/users")).status, 403);
  });

  it("lists, creates, changes role and language, disables and enables accounts, auditing each change", async () => {
    const list = await (await admin.get("/admin/users?lang=es")).text();
    assert.match(list, /Boss Admin \(usted\)/);
    assert.match(list, /Crear una cuenta/);

    const bad = await admin.form("/admin/users", { email: "not-an-email", displayName: "New Person", role: "investigator", language: "es", password: "short" });
    assert.equal(bad.status, 400);
    const badText = await bad.text();
    assert.match(badText, /email: /);
    assert.match(badText, /password: must be at least 12 characters/);
    assert.match(badText, /value="New Person"/, "what was typed is kept");

    const created = await admin.form("/admin/users", { email: "new@example.org", displayName: "New Person", role: "investigator", language: "es", password: "new person password" });
    assert.equal(created.status, 303);
    const [row] = await site.db.query<{ id: string; role: string; language: string }>("SELECT id, role, language FROM users WHERE email = 'new@example.org'");
    assert.deepEqual([row.role, row.language], ["investigator", "es"]);
    const [createdEntry] = (await audit("user.create")).filter((e) => e.entity_id === row.id);
    assert.equal(createdEntry.actor, `user:${adminId}`);
    assert.doesNotMatch(createdEntry.entry, /new person password/);
    assert.equal((await admin.form("/admin/users", { email: "NEW@example.org", displayName: "Again", role: "intake", password: "another long password" })).status, 409);

    const person = await signInThroughForm(site, "new@example.org", "new person password");
    assert.equal((await admin.form(`/admin/users/${row.id}`, { role: "board_member", language: "" })).status, 303);
    const [changed] = await site.db.query<{ role: string; language: string | null }>("SELECT role, language FROM users WHERE id = $1", [row.id]);
    assert.deepEqual([changed.role, changed.language], ["board_member", null]);
    const [update] = await audit("user.update");
    assert.match(update.entry, /"role":\{"from":"investigator","to":"board_member"\}/);
    assert.match(update.entry, /"language":\{"from":"es","to":null\}/);

    assert.equal((await admin.form(`/admin/users/${row.id}`, { status: "disabled" })).status, 303);
    assert.doesNotMatch(await (await person.get("/")).text(), /Signed in as/, "disabling ends the account's sessions");
    await assert.rejects(signInThroughForm(site, "new@example.org", "new person password"), /answered 400/);
    assert.match(await (await admin.get("/admin/users")).text(), /New Person<\/h2><p>new@example.org · Disabled/);
    assert.equal((await admin.form(`/admin/users/${row.id}`, { status: "active" })).status, 303);
    await signInThroughForm(site, "new@example.org", "new person password");
    assert.equal((await audit("user.disable")).length, 1);
    assert.equal((await audit("user.enable")).length, 1);
  });

  it("never demotes or disables the last active administrator", async () => {
    const demote = await admin.form(`/admin/users/${adminId}`, { role: "intake", language: "" });
    assert.equal(demote.status, 409);
    assert.match(await demote.text(), /last active administrator/);
    assert.equal((await admin.form(`/admin/users/${adminId}`, { status: "disabled" })).status, 409);
    const [still] = await site.db.query<{ role: string; disabled_at: string | null }>("SELECT role, disabled_at FROM users WHERE id = $1", [adminId]);
    assert.deepEqual([still.role, still.disabled_at], ["admin", null]);

    // With a second admin, one may step down; then the other is the last.
    const second = await createUser(site.db, { email: "second@example.org", displayName: "Second Admin", password: "second admin password", role: "admin" }, "test");
    const results = await Promise.allSettled([
      changeAccount(site.db, adminId, adminId, { role: "intake", language: "", disabled: false }),
      changeAccount(site.db, second, second, { role: "intake", language: "", disabled: false }),
    ]);
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1, "two admins stepping down at once: only one may");
    const admins = await site.db.query("SELECT 1 FROM users WHERE role = 'admin' AND disabled_at IS NULL");
    assert.equal(admins.length, 1);
  });

  it("lifts a sign-in lock and turns off another person's two-factor, auditing both", async () => {
    await site.db.query("UPDATE users SET role = 'admin' WHERE id = $1", [adminId]);
    const id = await createUser(site.db, { email: "lost@example.org", displayName: "Lost Phone", password: "lost phone password", role: "investigator" }, "test");
    await site.db.query("UPDATE users SET failed_logins = 10, last_failed_at = now(), locked_until = now() + interval '15 minutes', totp_secret = 'v1.a.b.c', totp_enabled_at = now() WHERE id = $1", [id]);
    const page = await (await admin.get("/admin/users")).text();
    assert.match(page, /Lost Phone<\/h2><p>lost@example.org · Active · Since \S+ · <strong>Locked after failed sign-ins<\/strong> · Two-factor on/);
    assert.match(page, /Lift the sign-in lock of Lost Phone/);
    assert.match(page, /Turn off two-factor sign-in for Lost Phone/);

    assert.equal((await admin.form(`/admin/users/${id}/unlock`, {})).status, 303);
    assert.equal((await admin.form(`/admin/users/${id}/two-factor-off`, {})).status, 303);
    const [row] = await site.db.query<{ failed_logins: number; locked_until: string | null; totp_secret: string | null; totp_enabled_at: string | null }>("SELECT failed_logins, locked_until, totp_secret, totp_enabled_at FROM users WHERE id = $1", [id]);
    assert.deepEqual([Number(row.failed_logins), row.locked_until, row.totp_secret, row.totp_enabled_at], [0, null, null, null]);
    await signInThroughForm(site, "lost@example.org", "lost phone password");
    assert.equal((await audit("user.unlock")).length, 1);
    assert.equal((await audit("user.two_factor_clear")).length, 1);
    assert.equal((await admin.form(`/admin/users/${adminId}/two-factor-off`, {})).status, 409, "not one's own");
    assert.equal((await admin.form("/admin/users/00000000-0000-0000-0000-000000000000/unlock", {})).status, 404);
  });

  it("asks for the password again when it was entered more than ten minutes ago", async () => {
    await site.db.query("UPDATE users SET role = 'admin' WHERE id = $1", [adminId]);
    await site.db.query("UPDATE sessions SET authenticated_at = now() - interval '11 minutes' WHERE user_id = $1", [adminId]);
    const page = await admin.get("/admin/users");
    assert.equal(page.status, 303);
    assert.equal(page.headers.get("location"), "/account/confirm?next=%2Fadmin%2Fusers");
    const post = await admin.form("/admin/users", { email: "late@example.org", displayName: "Late", role: "intake", password: "late person password" });
    assert.equal(post.status, 303);
    assert.match(post.headers.get("location")!, /^\/account\/confirm/);
    assert.equal((await site.db.query("SELECT 1 FROM users WHERE email = 'late@example.org'")).length, 0, "nothing was created");
    assert.equal((await admin.form("/account/confirm", { next: "/admin/users", password: "boss admin password" })).headers.get("location"), "/admin/users");
    assert.equal((await admin.get("/admin/users")).status, 200);
  });
});
