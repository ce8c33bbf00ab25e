import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { staffClient } from "../cases/test-staff.js";
import { testEngine } from "../db/test-db.js";
import { createTestApp } from "../web/test-app.js";
import { actorForToken, signIn } from "./service.js";

const signedInAs = /Signed in as/;

describe(`session idle timeout and re-authentication (${testEngine})`, () => {
  let site: Awaited<ReturnType<typeof createTestApp>>;

  before(async () => {
    site = await createTestApp();
  });
  after(() => site.close());

  const sessionRow = async (userId: string) =>
    (await site.db.query<{ idle_s: number; life_h: number }>(
      "SELECT extract(epoch FROM now() - last_seen_at)::float8 AS idle_s, extract(epoch FROM expires_at - created_at)::float8 / 3600 AS life_h FROM sessions WHERE user_id = $1",
      [userId],
    ))[0];

  it("ends a session unused for 30 minutes, and keeps one that is used", async () => {
    const user = await staffClient(site, { email: "idle@example.org", displayName: "Idle Person", role: "intake" });
    assert.match(await (await user.get("/")).text(), signedInAs);
    assert.equal((await sessionRow(user.id)).life_h, 12, "a session lasts at most 12 hours");

    await site.db.query("UPDATE sessions SET last_seen_at = now() - interval '29 minutes' WHERE user_id = $1", [user.id]);
    assert.match(await (await user.get("/")).text(), signedInAs, "29 minutes idle: still signed in");
    assert.ok((await sessionRow(user.id)).idle_s < 60, "the use was recorded");

    await site.db.query("UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = $1", [user.id]);
    assert.doesNotMatch(await (await user.get("/")).text(), signedInAs, "31 minutes idle: signed out");
  });

  it("records use at most once a minute, follows the given clock, and honours the configured idle time", async () => {
    await staffClient(site, { email: "clock@example.org", displayName: "Clock Person", role: "intake", password: "clock person password" });
    const start = new Date();
    const opened = await signIn(site.db, "clock@example.org", "clock person password", { now: start });
    assert.equal(opened.kind, "signedIn");
    const token = opened.kind === "signedIn" ? opened.token : "";
    const lastSeen = async () => (await site.db.query<{ ms: number }>("SELECT (extract(epoch FROM last_seen_at) * 1000)::float8 AS ms FROM sessions WHERE created_at = $1", [start.toISOString()]))[0].ms;

    const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
    assert.equal((await actorForToken(site.db, token, { now: at(0.5) })).actor.kind, "user");
    assert.equal(Math.round(await lastSeen()), start.getTime(), "within the first minute nothing is written");
    assert.equal((await actorForToken(site.db, token, { now: at(20) })).actor.kind, "user");
    assert.equal(Math.round(await lastSeen()), at(20).getTime());
    assert.equal((await actorForToken(site.db, token, { now: at(45) })).actor.kind, "user", "25 minutes after the last use");
    assert.equal((await actorForToken(site.db, token, { now: at(50), idleMinutes: 4 })).actor.kind, "public", "a shorter configured idle time ends it");
    assert.equal((await actorForToken(site.db, token, { now: at(12 * 60 + 1) })).actor.kind, "public", "past 12 hours it has ended whatever its use");
  });

  it("asks for the password again after ten minutes, and goes back to the page once it is given", async () => {
    const user = await staffClient(site, { email: "reauth@example.org", displayName: "Re Auth", role: "intake", password: "reauth person password" });
    await site.db.query("UPDATE sessions SET authenticated_at = now() - interval '11 minutes' WHERE user_id = $1", [user.id]);
    const page = await user.get("/account/confirm?next=/account/password");
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Enter your password again/);
    assert.match(html, /name="next" value="\/account\/password"/);

    const wrong = await user.form("/account/confirm", { next: "/account/password", password: "not my password at all" });
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /That password is not right/);
    const [failure] = await site.db.query<{ entry: string }>("SELECT entry FROM audit_log WHERE action = 'session.failed' AND entity_id = $1", [user.id]);
    assert.match(failure.entry, /"purpose":"reauth"/);

    const right = await user.form("/account/confirm", { next: "/account/password", password: "reauth person password" });
    assert.equal(right.status, 303);
    assert.equal(right.headers.get("location"), "/account/password");
    const [row] = await site.db.query<{ fresh: boolean }>("SELECT authenticated_at > now() - interval '1 minute' AS fresh FROM sessions WHERE user_id = $1", [user.id]);
    assert.equal(row.fresh, true);

    const elsewhere = await user.form("/account/confirm", { next: "//evil.example/steal", password: "reauth person password" });
    assert.equal(elsewhere.headers.get("location"), "/account", "never sends the browser to another site");
    assert.equal((await site.app.request("/account/confirm")).status, 403, "the public has nothing to confirm");
  });
});
