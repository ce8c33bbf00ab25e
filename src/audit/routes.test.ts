import assert from "node:assert/strict";
import { createHash, createPublicKey, verify } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { testEngine } from "../db/test-db.js";
import { createTestApp } from "../web/test-app.js";
import { verifyConsistency, verifyInclusion } from "./merkle.js";
import { readLeafHashes } from "./repo.js";
import { appendAudit } from "./service.js";

// RFC 6962 §2.1, written out recursively exactly as the RFC states it, so the
// endpoints are checked against the definition and not against our own builder.
const sha256 = (...parts: Buffer[]) => createHash("sha256").update(Buffer.concat(parts)).digest();
const largestPowerOfTwoBelow = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
function mth(d: Buffer[]): Buffer {
  if (d.length === 0) return sha256();
  if (d.length === 1) return d[0];
  const k = largestPowerOfTwoBelow(d.length);
  return sha256(Buffer.of(1), mth(d.slice(0, k)), mth(d.slice(k)));
}
function path(m: number, d: Buffer[]): Buffer[] {
  if (d.length === 1) return [];
  const k = largestPowerOfTwoBelow(d.length);
  return m < k ? [...path(m, d.slice(0, k)), mth(d.slice(k))] : [...path(m - k, d.slice(k)), mth(d.slice(0, k))];
}
function subproof(m: number, d: Buffer[], b: boolean): Buffer[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const k = largestPowerOfTwoBelow(d.length);
  return m <= k ? [...subproof(m, d.slice(0, k), b), mth(d.slice(k))] : [...subproof(m - k, d.slice(k), false), mth(d.slice(0, k))];
}
const hex = (list: Buffer[]) => list.map((b) => b.toString("hex"));

describe(`the audit API (${testEngine})`, () => {
  let site: Awaited<ReturnType<typeof createTestApp>>;
  let leaves: Buffer[];
  const SIZE = 13;
  const get = async (url: string) => {
    const response = await site.app.request(url);
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  before(async () => {
    site = await createTestApp();
    for (let i = 0; i < SIZE; i += 1) {
      await site.db.transaction((tx) => appendAudit(tx, { actor: "test", action: "create", entity: "thing", entityId: String(i), data: { i } }));
    }
    leaves = (await readLeafHashes(site.db, SIZE)).map((leaf) => Buffer.from(leaf));
  });
  after(() => site.close());

  it("signs the tree head with the published Ed25519 key, over the documented bytes", async () => {
    const { status, body: head } = await get("/api/v1/audit/tree-head");
    assert.equal(status, 200);
    assert.equal(head.size, SIZE);
    assert.equal(head.root, mth(leaves).toString("hex"));
    const { body: key } = await get("/api/v1/audit/public-key");
    assert.equal(key.algorithm, "Ed25519");
    assert.equal(key.keyId, head.keyId);
    const publicKey = createPublicKey(key.publicKeyPem);
    const message = Buffer.from(`oversight-audit-tree-head/v1\n${head.size}\n${head.root}\n${head.timestamp}\n`);
    assert.equal(verify(null, message, publicKey, Buffer.from(head.signature, "base64")), true);
    // A head with any field changed no longer verifies.
    const forged = Buffer.from(`oversight-audit-tree-head/v1\n${head.size - 1}\n${head.root}\n${head.timestamp}\n`);
    assert.equal(verify(null, forged, publicKey, Buffer.from(head.signature, "base64")), false);
    assert.match(head.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("answers inclusion proofs that match RFC 6962's PATH and verify against the signed root", async () => {
    const { body: head } = await get("/api/v1/audit/tree-head");
    for (const size of [1, 2, 5, 8, SIZE]) {
      for (let seq = 0; seq < size; seq += 1) {
        const { status, body } = await get(`/api/v1/audit/proof/inclusion?seq=${seq}&size=${size}`);
        assert.equal(status, 200);
        assert.deepEqual(body, { leafIndex: seq, treeSize: size, leafHash: leaves[seq].toString("hex"), auditPath: hex(path(seq, leaves.slice(0, size))) });
        const root = mth(leaves.slice(0, size));
        assert.equal(verifyInclusion(leaves[seq], seq, size, body.auditPath.map((h: string) => Buffer.from(h, "hex")), root), true);
      }
    }
    // By leaf hash, against the current (signed) size by default.
    const { body } = await get(`/api/v1/audit/proof/inclusion?hash=${leaves[6].toString("hex")}`);
    assert.equal(body.leafIndex, 6);
    assert.equal(verifyInclusion(leaves[6], 6, SIZE, body.auditPath.map((h: string) => Buffer.from(h, "hex")), Buffer.from(head.root, "hex")), true);
  });

  it("answers consistency proofs that match RFC 6962's PROOF and verify", async () => {
    for (let second = 1; second <= SIZE; second += 1) {
      for (let first = 1; first <= second; first += 1) {
        const { status, body } = await get(`/api/v1/audit/proof/consistency?first=${first}&second=${second}`);
        assert.equal(status, 200);
        assert.deepEqual(body, { first, second, consistency: hex(subproof(first, leaves.slice(0, second), true)) });
        const proof = body.consistency.map((h: string) => Buffer.from(h, "hex"));
        assert.equal(verifyConsistency(first, second, mth(leaves.slice(0, first)), mth(leaves.slice(0, second)), proof), true);
      }
    }
  });

  it("refuses bad parameters with a 400 that names the parameter", async () => {
    const cases: [string, RegExp][] = [
      ["/api/v1/audit/proof/inclusion?seq=abc", /^seq: /],
      ["/api/v1/audit/proof/inclusion?seq=-1", /^seq: /],
      ["/api/v1/audit/proof/inclusion?seq=1.5", /^seq: /],
      ["/api/v1/audit/proof/inclusion?seq=3&size=3", /^seq: /],
      ["/api/v1/audit/proof/inclusion?seq=0&size=99", /^size: /],
      ["/api/v1/audit/proof/inclusion?seq=0&size=0", /^size: /],
      ["/api/v1/audit/proof/inclusion", /^seq: /],
      ["/api/v1/audit/proof/inclusion?hash=xyz", /^hash: /],
      ["/api/v1/audit/proof/consistency?second=3", /^first: /],
      ["/api/v1/audit/proof/consistency?first=3", /^second: /],
      ["/api/v1/audit/proof/consistency?first=5&second=3", /^first: /],
      ["/api/v1/audit/proof/consistency?first=1&second=99", /^second: /],
      ["/api/v1/audit/proof/consistency?first=0&second=3", /^first: /],
    ];
    for (const [url, detail] of cases) {
      const { status, body } = await get(url);
      assert.equal(status, 400, url);
      assert.match(body.error.detail, detail, url);
    }
    const unknown = await get(`/api/v1/audit/proof/inclusion?hash=${"0".repeat(64)}`);
    assert.equal(unknown.status, 404);
  });

  it("describes the audit endpoints in the OpenAPI document", async () => {
    const { body } = await get("/api/openapi.json");
    for (const p of ["/api/v1/audit/tree-head", "/api/v1/audit/public-key", "/api/v1/audit/proof/inclusion", "/api/v1/audit/proof/consistency"]) {
      assert.ok(body.paths[p]?.get, p);
    }
    assert.match(body.paths["/api/v1/audit/tree-head"].get.summary, /signed tree head/);
    assert.deepEqual(body.paths["/api/v1/audit/proof/consistency"].get.parameters.map((p: { name: string }) => p.name), ["first", "second"]);
  });
});
