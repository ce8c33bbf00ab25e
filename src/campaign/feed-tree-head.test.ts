import assert from "node:assert/strict";
import { createPublicKey, verify } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { appendAudit } from "../audit/service.js";
import { testEngine } from "../db/test-db.js";
import { AUDIT_HEAD_NAMESPACE } from "./page-routes.js";
import { campaignTestSite, child, parseXml } from "./test-support.js";

describe(`the campaign feed carries the audit log's signed tree head (${testEngine})`, () => {
  let site: Awaited<ReturnType<typeof campaignTestSite>>;
  before(async () => {
    site = await campaignTestSite({ seed: false });
  });
  after(() => site.close());

  const headInFeed = async () => {
    const feed = parseXml(await (await site.get("/campaign/feed.atom?lang=es")).text());
    const element = child(feed, "audit:treeHead");
    assert.ok(element, "the feed has an audit:treeHead element");
    assert.equal(element.attributes["xmlns:audit"], AUDIT_HEAD_NAMESPACE);
    return element.attributes;
  };

  it("publishes the current head, signed by the published key, and a new head once the log grows", async () => {
    const first = await headInFeed();
    const api = await (await site.get("/api/v1/audit/tree-head")).json();
    assert.deepEqual({ ...first, "xmlns:audit": undefined }, { ...Object.fromEntries(Object.entries(api).map(([k, v]) => [k, String(v)])), "xmlns:audit": undefined });
    const key = await (await site.get("/api/v1/audit/public-key")).json();
    const message = Buffer.from(`oversight-audit-tree-head/v1\n${first.size}\n${first.root}\n${first.timestamp}\n`);
    assert.equal(verify(null, message, createPublicKey(key.publicKeyPem), Buffer.from(first.signature, "base64")), true);

    await site.db.transaction((tx) => appendAudit(tx, { actor: "test", action: "create", entity: "thing" }));
    const next = await headInFeed();
    assert.equal(Number(next.size), Number(first.size) + 1);
    assert.notEqual(next.root, first.root);
  });
});
