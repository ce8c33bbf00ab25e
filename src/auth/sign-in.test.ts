import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testEngine } from "../db/test-db.js";
import { cookieFrom, createTestApp, TEST_SECRET } from "../web/test-app.js";
import { createUser, signIn } from "./service.js";
import { ACCOUNT_POLICY, afterFailure, createLoginGuards, NO_FAILURES, waitMs } from "./throttle.js";

const PASSWORD = "the right password 123";

describe("sign-in throttle rules", () => {
  it("lets five failures through, then makes each wait twice as long, then locks at ten", () => {
    let state = NO_FAILURES;
    let now = 1_000_000;
    for (let i = 0; i < 5; i += 1) {
      assert.equal(waitMs(state, ACCOUNT_POLICY, now), 0, `attempt ${i + 1} waits`);
      state = afterFailure(state, ACCOUNT_POLICY, now);
    }
    assert.equal(waitMs(state, ACCOUNT_POLICY, now), 30_000);
    now += 30_000;
    state = afterFailure(state, ACCOUNT_POLICY, now);
    assert.equal(waitMs(state, ACCOUNT_POLICY, now), 60_000);
    for (let i = 7; i <= 10; i += 1) {
      now += waitMs(state, ACCOUNT_POLICY, now);
      state = afterFailure(state, ACCOUNT_POLICY, now);
    }
    assert.equal(state.failures, 10);
    assert.equal(state.lockedUntil, now + ACCOUNT_POLICY.lockMs);
    assert.equal(waitMs(state, ACCOUNT_POLICY, now + 60_000), ACCOUNT_POLICY.lockMs - 60_000);
    // Once the lock and the window have passed, the count starts again.
    now += ACCOUNT_POLICY.lockMs;
    assert.equal(waitMs(state, ACCOUNT_POLICY, now), 0);
    assert.equal(afterFailure(state, ACCOUNT_POLICY, now).failures, 1);
  });
});

describe(`sign-in throttling and audit (${testEngine})`, () => {
  let site: Awaited<ReturnType<typeof createTestApp>>;
  let userId: string;

  before(async () => {
    site = await createTestApp();
    userId = await createUser(site.db, { email: "guarded@example.org", displayName: "Guarded", password: PASSWORD, role: "intake" }, "test");
  });
  after(() => site.close());

  async function attempt(email: string, password: string, address?: string) {
    const form = await site.app.request("/login");
    const csrf = cookieFrom(form, "oversight_csrf")!;
    const env = address ? { incoming: { socket: { remoteAddress: address } } } : undefined;
    return site.app.request("/login", {
      method: "POST",
      body: new URLSearchParams({ email, password, _csrf: csrf }),
      headers: { cookie: `oversight_csrf=${csrf}`, "content-type": "application/x-www-form-urlencoded" },
    }, env);
  }

  it("answers the sixth wrong guess with 429 and Retry-After, refuses the right password meanwhile, and audits every failure", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await attempt("guarded@example.org", `wrong guess ${i}`, "10.0.0.1")).status);
    assert.deepEqual(statuses, [400, 400, 400, 400, 400]);
    const sixth = await attempt("guarded@example.org", "wrong guess 6", "10.0.0.1");
    assert.equal(sixth.status, 429);
    assert.ok(Number(sixth.headers.get("retry-after")) > 0);
    assert.match(await sixth.text(), /Too many failed attempts/);
    const right = await attempt("guarded@example.org", PASSWORD, "10.0.0.2");
    assert.equal(right.status, 429, "the right password is refused while the account waits");
    assert.equal(cookieFrom(right, "oversight_session"), undefined);

    const entries = await site.db.query<{ entity_id: string; entry: string }>("SELECT entity_id, entry FROM audit_log WHERE action = 'session.failed' ORDER BY seq");
    assert.equal(entries.length, 7);
    assert.ok(entries.every((e) => e.entity_id === userId));
    assert.ok(entries.every((e) => !/wrong guess|right password/.test(e.entry)), "no password in the audit log");
    assert.match(entries[4].entry, /"failures":5/);
    assert.match(entries[6].entry, /throttled/);
    const [row] = await site.db.query<{ failed_logins: number }>("SELECT failed_logins FROM users WHERE id = $1", [userId]);
    assert.equal(Number(row.failed_logins), 5);
  });

  it("locks the account in the database after ten failures, so a new process refuses the right password too", async () => {
    const id = await createUser(site.db, { email: "locked@example.org", displayName: "Locked", password: PASSWORD, role: "intake" }, "test");
    let now = Date.now();
    for (let i = 0; i < 10; i += 1) {
      // A fresh set of in-memory guards each time: only the database remembers.
      const result = await signIn(site.db, "locked@example.org", `guess ${i}`, { guards: createLoginGuards(), secret: TEST_SECRET, now: new Date(now) });
      assert.equal(result.kind, "refused", `guess ${i + 1}`);
      now += 10 * 60_000;
    }
    const [row] = await site.db.query<{ locked: boolean }>("SELECT locked_until > now() AS locked FROM users WHERE id = $1", [id]);
    assert.equal(row.locked, true);
    const during = await signIn(site.db, "locked@example.org", PASSWORD, { guards: createLoginGuards(), now: new Date(now) });
    assert.equal(during.kind, "throttled");
    const later = await signIn(site.db, "locked@example.org", PASSWORD, { guards: createLoginGuards(), now: new Date(now + 16 * 60_000) });
    assert.equal(later.kind, "signedIn");
    const [cleared] = await site.db.query<{ failed_logins: number; locked_until: string | null }>("SELECT failed_logins, locked_until FROM users WHERE id = $1", [id]);
    assert.equal(Number(cleared.failed_logins), 0);
    assert.equal(cleared.locked_until, null);
  });

  it("treats an unknown email like a known one, and logs only a keyed hash of it", async () => {
    const statuses: number[] = [];
    const texts: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const response = await attempt("nobody-here@example.org", `guess ${i}`, "10.0.0.3");
      statuses.push(response.status);
      texts.push(await response.text());
    }
    assert.deepEqual(statuses, [400, 400, 400, 400, 400, 429]);
    assert.match(texts[0], /do not match an active account/);
    const entries = await site.db.query<{ entity_id: string | null; entry: string }>("SELECT entity_id, entry FROM audit_log WHERE action = 'session.failed' AND entity_id IS NULL");
    assert.equal(entries.length, 6);
    assert.ok(entries.every((e) => !e.entry.includes("nobody-here")), "the typed email is not in the log");
    assert.ok(entries.every((e) => /"emailHash":"[0-9a-f]{32}"/.test(e.entry)));
  });

  it("throttles one address guessing across many accounts", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i += 1) statuses.push((await attempt(`spray${i}@example.org`, "password guess", "10.9.9.9")).status);
    assert.equal(statuses.filter((s) => s === 400).length, 20);
    assert.equal(statuses[20], 429);
    // Another address is not affected.
    assert.equal((await attempt("spray0@example.org", "password guess", "10.9.9.10")).status, 400);
  });
});
