import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signIn } from "../auth/service.js";
import { openTestDb, testEngine } from "../db/test-db.js";
import { DEMO_ADMIN_EMAIL, loadDemo } from "./demo.js";

describe(`demo administrator (${testEngine})`, () => {
  it("gets a new random password per database, returned once and stored only as a hash", async () => {
    const [first, second] = await Promise.all([openTestDb(), openTestDb()]);
    try {
      const a = await loadDemo(first);
      const b = await loadDemo(second);
      assert.equal(a.email, DEMO_ADMIN_EMAIL);
      assert.notEqual(a.password, b.password);
      assert.ok(a.password.length >= 20);
      assert.equal((await signIn(first, a.email, a.password)).kind, "signedIn");
      assert.equal((await signIn(first, a.email, "demo-admin-password")).kind, "refused", "the old fixed password no longer opens it");
      assert.equal((await signIn(first, a.email, b.password)).kind, "refused");
      const [row] = await first.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE email = $1", [a.email]);
      assert.ok(!row.password_hash.includes(a.password));
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});
