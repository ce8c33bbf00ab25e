import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testEngine } from "../db/test-db.js";
import { cookieFrom, createTestApp } from "../web/test-app.js";
import { createUser } from "./service.js";
import { signInThroughForm, type SignedIn } from "./test-sign-in.js";
import { base32, openSecret, totp } from "./totp.js";

describe(`two-factor sign-in (${testEngine})`, () => {
  let site: Awaited<ReturnType<typeof createTestApp>>;
  let adminId: string;
  let admin: SignedIn;
  let secret: Buffer;
  /** When the enrolment code was typed: its step is the one already used. */
  let enrolledAt = 0;

  before(async () => {
    site = await createTestApp({ env: { OVERSIGHT_ADMIN_TWO_FACTOR: "required" } });
    adminId = await createUser(site.db, { email: "admin2fa@example.org", displayName: "Ada Twofactor", password: "admin two factor password", role: "admin" }, "test");
    admin = await signInThroughForm(site, "admin2fa@example.org", "admin two factor password");
  });
  after(() => site.close());

  async function passwordStep(email: string, password: string) {
    const form = await site.app.request("/login");
    const csrf = cookieFrom(form, "oversight_csrf")!;
    const login = await site.app.request("/login", { method: "POST", body: new URLSearchParams({ email, password, _csrf: csrf }), headers: { cookie: `oversight_csrf=${csrf}`, "content-type": "application/x-www-form-urlencoded" } });
    const cookie = `oversight_csrf=${csrf}; oversight_session=${cookieFrom(login, "oversight_session")}`;
    const code = (value: string) => site.app.request("/login/code", { method: "POST", body: new URLSearchParams({ code: value, _csrf: csrf }), headers: { cookie, "content-type": "application/x-www-form-urlencoded" } });
    return { login, cookie, code };
  }

  it("sends an administrator without two-factor to enrolment before anything else", async () => {
    const page = await admin.get("/admin/users");
    assert.equal(page.status, 303);
    assert.equal(page.headers.get("location"), "/account/two-factor");
    assert.equal((await admin.get("/staff/cases")).headers.get("location"), "/account/two-factor");
    const post = await admin.form("/admin/users", { email: "x@example.org", displayName: "X", role: "intake", password: "a long enough password" });
    assert.equal(post.status, 403);
    assert.match(await post.text(), /must turn on two-factor sign-in first/);
    assert.equal((await site.db.query("SELECT 1 FROM users WHERE email = 'x@example.org'")).length, 0);

    const intakeId = await createUser(site.db, { email: "intake2fa@example.org", displayName: "Intake", password: "intake two factor password", role: "intake" }, "test");
    const intake = await signInThroughForm(site, "intake2fa@example.org", "intake two factor password");
    assert.equal((await intake.get("/staff/cases")).status, 200, "other staff may choose");
    assert.ok(intakeId);
  });

  it("enrols with the otpauth address and one right code, keeping the secret sealed and out of the audit log", async () => {
    const html = await (await admin.get("/account/two-factor")).text();
    const uri = /otpauth:\/\/totp\/Oversight:admin2fa%40example\.org\?[^"<]*secret=([A-Z2-7]+)/.exec(html);
    assert.ok(uri, "the page shows the otpauth address");
    const [row] = await site.db.query<{ totp_secret: string; totp_enabled_at: string | null }>("SELECT totp_secret, totp_enabled_at FROM users WHERE id = $1", [adminId]);
    assert.equal(row.totp_enabled_at, null, "not on until confirmed");
    secret = openSecret(row.totp_secret);
    assert.equal(base32(secret), uri[1]);
    assert.ok(!row.totp_secret.includes(uri[1]), "stored sealed");
    assert.equal((await site.db.query<{ n: number }>("SELECT 1 FROM audit_log WHERE entry LIKE $1", [`%${uri[1]}%`])).length, 0);
    assert.match(await (await admin.get("/account/two-factor")).text(), new RegExp(uri[1]), "reloading shows the same key");

    const wrong = await admin.form("/account/two-factor", { code: "000000" === totp(secret, Date.now()) ? "111111" : "000000" });
    assert.equal(wrong.status, 400);
    enrolledAt = Date.now();
    const right = await admin.form("/account/two-factor", { code: totp(secret, enrolledAt) });
    assert.equal(right.status, 303);
    assert.equal(right.headers.get("location"), "/account?done=two-factor");
    assert.equal((await site.db.query("SELECT 1 FROM audit_log WHERE action = 'user.two_factor_enable' AND entity_id = $1", [adminId])).length, 1);
    assert.equal((await admin.get("/admin/users")).status, 200, "enrolled: admin pages open");
    assert.match(await (await admin.get("/account/two-factor")).text(), /Two-factor sign-in is on/);
  });

  it("asks for the code after the password, accepts each code once, and throttles wrong codes", async () => {
    const first = await passwordStep("admin2fa@example.org", "admin two factor password");
    assert.equal(first.login.headers.get("location"), "/login/code");
    assert.doesNotMatch(await (await site.app.request("/", { headers: { cookie: first.cookie } })).text(), /Signed in as/, "the password alone signs nobody in");
    assert.equal((await site.app.request("/admin/users", { headers: { cookie: first.cookie } })).status, 403);
    // The step of enrolment, not of now: a 30 s boundary may have passed since.
    const used = await first.code(totp(secret, enrolledAt));
    assert.equal(used.status, 400, "the code used at enrolment is not accepted again");
    const next = await first.code(totp(secret, enrolledAt + 30_000));
    assert.equal(next.status, 303);
    assert.match(await (await site.app.request("/", { headers: { cookie: first.cookie } })).text(), /Signed in as Ada Twofactor/);

    const second = await passwordStep("admin2fa@example.org", "admin two factor password");
    const statuses: number[] = [];
    for (let i = 0; i < 6 && !statuses.includes(429); i += 1) statuses.push((await second.code(String(100000 + i))).status);
    assert.equal(statuses.at(-1), 429, `wrong codes are throttled: ${statuses.join(",")}`);
    assert.ok(statuses.length <= 6);
    assert.equal((await second.code(totp(secret, Date.now() + 60_000))).status, 429, "even the right code waits");
    const failures = await site.db.query<{ entry: string }>("SELECT entry FROM audit_log WHERE action = 'session.failed' AND entity_id = $1", [adminId]);
    assert.ok(failures.some((f) => /"reason":"code"/.test(f.entry)));
  });
});
