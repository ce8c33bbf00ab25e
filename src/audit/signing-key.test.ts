import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { AUDIT_KEY_FILE, loadAuditKey } from "./signing-key.js";
import { checkSignedTreeHead, signTreeHead } from "./tree-head.js";

describe("the audit signing key", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "oversight-audit-key-"));
    dirs.push(dir);
    return dir;
  };
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it("is made on first use as an owner-only file in the data directory, and the same key is read back", () => {
    const dir = join(tempDir(), "data");
    const first = loadAuditKey(dir, {});
    assert.equal(statSync(join(dir, AUDIT_KEY_FILE)).mode & 0o777, 0o600);
    const again = loadAuditKey(dir, {});
    assert.equal(again.keyId, first.keyId);
    assert.equal(again.publicKeyBase64, first.publicKeyBase64);
  });

  it("refuses a corrupt key file with a clear error and leaves the file as it was", () => {
    const dir = tempDir();
    const path = join(dir, AUDIT_KEY_FILE);
    writeFileSync(path, "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n", { mode: 0o600 });
    assert.throws(() => loadAuditKey(dir, {}), /audit-signing\.key is not a valid Ed25519 private key.*never replaced/);
    assert.match(readFileSync(path, "utf8"), /not a key/);
  });

  it("takes OVERSIGHT_AUDIT_KEY (a seed or a PEM) instead of the file, and refuses a bad one", () => {
    const dir = tempDir();
    const fromSeed = loadAuditKey(dir, { OVERSIGHT_AUDIT_KEY: "ab".repeat(32) });
    assert.throws(() => statSync(join(dir, AUDIT_KEY_FILE)), /ENOENT/, "no key file is made when the key comes from the environment");
    const pem = fromSeed.privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    assert.equal(loadAuditKey(dir, { OVERSIGHT_AUDIT_KEY: pem }).keyId, fromSeed.keyId);
    assert.throws(() => loadAuditKey(dir, { OVERSIGHT_AUDIT_KEY: "too short" }), /OVERSIGHT_AUDIT_KEY is not an Ed25519 private key/);
  });

  it("signs heads that verify with its public key only, and not once any field or the signature changes", () => {
    const key = loadAuditKey("/nonexistent", { OVERSIGHT_AUDIT_KEY: "01".repeat(32) });
    const other = loadAuditKey("/nonexistent", { OVERSIGHT_AUDIT_KEY: "02".repeat(32) });
    const head = signTreeHead(key, { size: 5, root: "ab".repeat(32), timestamp: "2026-01-02T03:04:05.000Z" });
    assert.deepEqual(checkSignedTreeHead(head, key.publicKey), { ok: true, head: { size: 5, root: "ab".repeat(32), timestamp: "2026-01-02T03:04:05.000Z" } });
    const flipped = Buffer.from(head.signature, "base64");
    flipped[3] ^= 1;
    const tampered = [
      { ...head, size: 6 },
      { ...head, root: "cd".repeat(32) },
      { ...head, timestamp: "2026-01-02T03:04:06.000Z" },
      { ...head, signature: flipped.toString("base64") },
    ];
    for (const forged of tampered) assert.equal(checkSignedTreeHead(forged, key.publicKey).ok, false);
    const wrongKey = checkSignedTreeHead(head, other.publicKey);
    assert.match(wrongKey.ok ? "" : wrongKey.reason, /signed by key/);
    const noKeyId = checkSignedTreeHead({ ...head, keyId: undefined }, other.publicKey);
    assert.match(noKeyId.ok ? "" : noKeyId.reason, /signature does not verify/);
    const garbage = checkSignedTreeHead({ size: "x" }, key.publicKey);
    assert.match(garbage.ok ? "" : garbage.reason, /^the saved head is not a signed tree head: size/);
  });
});
