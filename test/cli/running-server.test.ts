import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { createThrowawayDatabase, type ThrowawayDatabase } from "../../src/db/test-db.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * A command run while the site serves the same data: on a PGlite directory it is
 * refused with the owner named (two processes in one directory lose writes); on
 * a PostgreSQL server it works and the site sees the result at once.
 */
describe(`a command while the site is running (${process.env.DATABASE_URL ? "postgres" : "pglite"})`, () => {
  let dataDir: string;
  let pg: ThrowawayDatabase | null = null;
  let server: ChildProcess;
  let url: string;
  const env = () => ({ ...process.env, LOG_LEVEL: "silent", NODE_ENV: "test", DATABASE_URL: pg?.url ?? "" });

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "oversight-running-"));
    if (process.env.DATABASE_URL) pg = await createThrowawayDatabase(process.env.DATABASE_URL);
    server = spawn(process.execPath, ["bin/oversight.js", "serve", "--port", "0", "--data-dir", dataDir], { cwd: ROOT, env: env(), stdio: ["ignore", "pipe", "pipe"] });
    url = await new Promise<string>((resolve, reject) => {
      let out = "";
      server.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const found = /serving at (http:\/\/\S+)/.exec(out);
        if (found) resolve(found[1]);
      });
      server.once("exit", (code) => reject(new Error(`the server exited with ${code}`)));
    });
  });
  after(async () => {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    rmSync(dataDir, { recursive: true, force: true });
    await pg?.drop();
  });

  it("user create either makes an account that signs in at once, or exits non-zero saying the directory is in use", async () => {
    const created = spawnSync(process.execPath, ["bin/oversight.js", "user", "create", "--email", "while-running@example.org", "--name", "While Running", "--role", "intake", "--data-dir", dataDir], { cwd: ROOT, env: env(), encoding: "utf8", input: "a long enough password\n", timeout: 60_000 });
    if (pg) {
      assert.equal(created.status, 0, created.stderr);
      assert.equal(await signIn(url, "while-running@example.org", "a long enough password"), 303, "the new account signs in on the running site");
      return;
    }
    assert.equal(created.status, 1);
    assert.match(created.stderr, new RegExp(`^oversight: the data directory ${dataDir} is in use by process \\d+ \\(oversight serve\\)`));
    assert.doesNotMatch(created.stderr, /Created|created/);
    assert.equal(await signIn(url, "while-running@example.org", "a long enough password"), 400, "no account was made behind the site's back");
  });

  it("the site keeps serving after a refused command", async () => {
    const answer = await fetch(`${url}/api/v1/audit/tree-head`);
    assert.equal(answer.status, 200);
  });
});

/** Signs in as a person does: the form's CSRF token and cookie, then the POST. Returns the status. */
async function signIn(url: string, email: string, password: string): Promise<number> {
  const form = await fetch(`${url}/login`);
  const cookie = (form.headers.get("set-cookie") ?? "").split(";")[0];
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? "";
  const answer = await fetch(`${url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: token, email, password }),
  });
  return answer.status;
}
