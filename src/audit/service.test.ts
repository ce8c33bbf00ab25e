import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Db } from "../db/db.js";
import { openTestDb, testEngine } from "../db/test-db.js";
import { CompactRange, rootFromLeafHashes } from "./merkle.js";
import { readLeafHashes } from "./repo.js";
import { appendAudit, appendAuditMany, currentTreeHead, signedTreeHead, verifyAgainstHead, verifyAuditLog } from "./service.js";
import { loadAuditKey } from "./signing-key.js";

const KEY = loadAuditKey("/nonexistent", { OVERSIGHT_AUDIT_KEY: "42".repeat(32) });

/** What someone with write access to the database would do: cut the log back to `size` entries and make the state agree. */
async function truncateLog(db: Db, size: number): Promise<void> {
  const tree = new CompactRange();
  for (const leaf of await readLeafHashes(db, size)) tree.append(leaf);
  await db.exec("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change");
  await db.query("DELETE FROM audit_log WHERE seq >= $1", [size]);
  await db.query("UPDATE audit_state SET size = $1, frontier = $2 WHERE id", [size, JSON.stringify(tree.frontier.map((h) => h.toString("hex")))]);
}

describe(`audit log (${testEngine})`, () => {
  let db: Db;
  before(async () => {
    db = await openTestDb();
    for (let i = 0; i < 37; i += 1) {
      await db.transaction((tx) => appendAudit(tx, { actor: "test", action: "create", entity: "thing", entityId: String(i), data: { i } }));
    }
  });
  after(() => db.close());

  it("keeps a running root equal to the RFC 6962 root of all leaves", async () => {
    const head = await currentTreeHead(db);
    assert.equal(head.size, 37);
    const leaves = await readLeafHashes(db, 37);
    assert.equal(head.root, rootFromLeafHashes(leaves).toString("hex"));
  });

  it("verifies an untouched log", async () => {
    const result = await verifyAuditLog(db);
    assert.deepEqual(result.ok, true);
    assert.equal(result.size, 37);
  });

  it("drops the entry when its transaction rolls back", async () => {
    await assert.rejects(
      db.transaction(async (tx) => {
        await appendAudit(tx, { actor: "test", action: "create", entity: "thing", entityId: "rolled-back" });
        throw new Error("abort");
      }),
    );
    assert.equal((await currentTreeHead(db)).size, 37);
    assert.equal((await verifyAuditLog(db)).ok, true);
  });

  it("names the first altered entry after a row is changed directly in the database", async () => {
    await db.exec("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change");
    await db.query(`UPDATE audit_log SET entry = replace(entry, '"i":12', '"i":99') WHERE seq = 12`);
    await db.query(`UPDATE audit_log SET entry = replace(entry, '"i":20', '"i":98') WHERE seq = 20`);
    const result = await verifyAuditLog(db);
    assert.equal(result.ok, false);
    assert.equal(result.ok === false && result.badSeq, 12);
    assert.match(result.ok === false ? result.reason : "", /entry 12/);
  });

  it("names a deleted entry", async () => {
    const fresh = await openTestDb();
    try {
      for (let i = 0; i < 5; i += 1) await fresh.transaction((tx) => appendAudit(tx, { actor: "t", action: "a", entity: "e", data: i }));
      await fresh.exec("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change");
      await fresh.query("DELETE FROM audit_log WHERE seq = 3");
      const result = await verifyAuditLog(fresh);
      assert.equal(result.ok === false && result.badSeq, 3);
    } finally {
      await fresh.close();
    }
  });

  it("names an entry when any column that repeats a hashed field is edited, the time included", async () => {
    const edits = [
      "at = at + interval '1 microsecond'",
      "at = at - interval '1 day'",
      "actor = 'someone-else'",
      "action = 'delete'",
      "entity = 'other'",
      "entity_id = 'forged'",
    ];
    for (const edit of edits) {
      const fresh = await openTestDb();
      try {
        for (let i = 0; i < 4; i += 1) await fresh.transaction((tx) => appendAudit(tx, { actor: "t", action: "a", entity: "e", entityId: String(i) }));
        assert.equal((await verifyAuditLog(fresh)).ok, true);
        await fresh.exec("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change");
        await fresh.query(`UPDATE audit_log SET ${edit} WHERE seq = 2`);
        const result = await verifyAuditLog(fresh);
        assert.equal(result.ok === false && result.badSeq, 2, edit);
        assert.match(result.ok === false ? result.reason : "", /columns differ/, edit);
      } finally {
        await fresh.close();
      }
    }
  });

  it("writes a group exactly as one append per event would", async () => {
    const events = Array.from({ length: 7 }, (_, i) => ({ actor: "test", action: "group", entity: "thing", entityId: i % 2 ? String(i) : null, data: { i } }));
    const at = new Date("2026-01-02T03:04:05.000Z");
    const [one, many] = [await openTestDb(), await openTestDb()];
    try {
      await one.transaction(async (tx) => {
        for (const event of events) await appendAudit(tx, event, at);
      });
      await many.transaction((tx) => appendAuditMany(tx, events, at));
      const entries = (db: Db) => db.query("SELECT seq, at::text, actor, action, entity, entity_id, entry, encode(leaf_hash, 'hex') AS leaf, encode(tree_root, 'hex') AS root FROM audit_log ORDER BY seq");
      assert.deepEqual(await entries(many), await entries(one));
      assert.deepEqual(await currentTreeHead(many), await currentTreeHead(one));
      assert.equal((await verifyAuditLog(many)).ok, true);
    } finally {
      await Promise.all([one.close(), many.close()]);
    }
  });

  describe("against a saved signed head", () => {
    let log: Db;
    let saved: Awaited<ReturnType<typeof signedTreeHead>>;
    const add = (n: number, tag: string) =>
      log.transaction(async (tx) => {
        for (let i = 0; i < n; i += 1) await appendAudit(tx, { actor: "test", action: tag, entity: "thing", entityId: String(i) });
      });
    before(async () => {
      log = await openTestDb();
      await add(10, "create");
      saved = await signedTreeHead(log, KEY);
    });
    after(() => log.close());

    it("passes while the log only grows", async () => {
      assert.deepEqual(await verifyAgainstHead(log, saved, KEY.publicKey), { ok: true, savedSize: 10, size: 10, root: saved.root });
      await add(3, "later");
      const grown = await verifyAgainstHead(log, JSON.parse(JSON.stringify(saved)), KEY.publicKey);
      assert.equal(grown.ok && grown.size, 13);
    });

    it("refuses a head whose signature does not hold", async () => {
      const other = loadAuditKey("/nonexistent", { OVERSIGHT_AUDIT_KEY: "43".repeat(32) });
      for (const forged of [{ ...saved, size: 9 }, { ...saved, root: "00".repeat(32) }, { ...saved, timestamp: "2020-01-01T00:00:00.000Z" }]) {
        const result = await verifyAgainstHead(log, forged, KEY.publicKey);
        assert.match(result.ok ? "" : result.reason, /signature does not verify/);
      }
      const wrongKey = await verifyAgainstHead(log, saved, other.publicKey);
      assert.equal(wrongKey.ok, false);
    });

    it("catches a log cut back below the saved size, though the cut log verifies on its own", async () => {
      await truncateLog(log, 8);
      assert.equal((await verifyAuditLog(log)).ok, true, "the cut log is self-consistent");
      const result = await verifyAgainstHead(log, saved, KEY.publicKey);
      assert.match(result.ok ? "" : result.reason, /holds 8 entries but the saved head vouched for 10: entries were removed/);
    });

    it("catches a rewritten tail with every hash recomputed, though it verifies on its own", async () => {
      await add(5, "rewritten");
      assert.equal((await verifyAuditLog(log)).ok, true, "the rewritten log is self-consistent");
      assert.equal((await currentTreeHead(log)).size, 13);
      const result = await verifyAgainstHead(log, saved, KEY.publicKey);
      assert.match(result.ok ? "" : result.reason, /does not extend the saved head of 10 entries/);
    });
  });
});
