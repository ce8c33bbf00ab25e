import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { loadSecret } from "./secret.js";

describe("the server's secret key", () => {
  const dir = mkdtempSync(join(tmpdir(), "oversight-secret-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const noEnv = {};

  it("is made once, owner-only, and read back the same", () => {
    const made = loadSecret(dir, noEnv);
    assert.equal(made.length, 32);
    assert.equal(statSync(join(dir, "secret.key")).mode & 0o777, 0o600);
    assert.deepEqual(loadSecret(dir, noEnv), made);
  });

  for (const [name, text] of [["non-hex text", "this is not a key at all, it is prose"], ["a short key", "abcd"], ["hex with a stray character", "g".repeat(64)], ["an empty file", ""]] as const) {
    it(`refuses ${name} instead of signing with an empty or short key`, () => {
      const bad = mkdtempSync(join(dir, "bad-"));
      writeFileSync(join(bad, "secret.key"), text);
      assert.throws(() => loadSecret(bad, noEnv), /secret key .* is damaged \(expected 64 hexadecimal characters/);
      assert.equal(readFileSync(join(bad, "secret.key"), "utf8"), text, "the damaged key is left for its owner to restore");
    });
  }

  it("takes OVERSIGHT_SECRET when set, and refuses a short one", () => {
    assert.equal(loadSecret(dir, { OVERSIGHT_SECRET: "x".repeat(40) }).toString(), "x".repeat(40));
    assert.throws(() => loadSecret(dir, { OVERSIGHT_SECRET: "short" }), /at least 32/);
  });
});
