import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signIn } from "../auth/service.js";
import { loadConfig } from "../config.js";
import { createThrowawayDatabase, openTestDb, testEngine } from "../db/test-db.js";
import { startServer } from "../server.js";
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

  it("is handed over by the start that loads the demo, and by no later start", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "oversight-demo-admin-"));
    const database = process.env.DATABASE_URL ? await createThrowawayDatabase(process.env.DATABASE_URL) : undefined;
    const config = loadConfig({ dataDir, port: 0 }, { DATABASE_URL: database?.url ?? "", LOG_LEVEL: "silent" });
    try {
      const first = await startServer(config, { demo: true });
      const admin = first.demoAdmin;
      await first.close();
      assert.equal(admin?.email, DEMO_ADMIN_EMAIL);
      const second = await startServer(config, { demo: true });
      try {
        assert.equal(second.demoAdmin, undefined, "the password is shown once");
        assert.equal((await signIn(second.db, admin!.email, admin!.password)).kind, "signedIn", "and still opens the account");
      } finally {
        await second.close();
      }
    } finally {
      await database?.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
