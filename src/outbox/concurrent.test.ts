import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { currentTreeHead, verifyAuditLog } from "../audit/service.js";
import type { Db } from "../db/db.js";
import { openTestDb, testEngine } from "../db/test-db.js";
import * as repo from "./repo.js";
import { deliverBatch, enqueueEmail } from "./service.js";
import { MemoryLogger, startTestSmtp, type TestSmtp } from "./test-smtp.js";
import { createSmtpTransport } from "./transport.js";
import { startOutboxWorker } from "./worker.js";

// Canary values: none of them may reach the audit log, the logs or last_error.
const FROM = "Oversight <no-reply@oversight.example>";
const address = (n: number) => `canary.signer.${n}@example.org`;
const message = (n: number) => ({ to: address(n), subject: `Confirm your signature ${n}`, text: `Canary body ${n}`, template: "petition.confirm" });
const T0 = new Date("2030-01-01T12:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

/** Fails with `what` unless the promise settles within `ms`. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(what)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const messageIds = (smtp: TestSmtp) => smtp.received.map((mail) => mail.headers.get("message-id"));

describe(`concurrent delivery (${testEngine})`, { timeout: 60_000 }, () => {
  let db: Db;
  let smtp: TestSmtp;
  let auditFrom = 0;

  before(async () => {
    db = await openTestDb();
    smtp = await startTestSmtp();
  });
  after(async () => {
    await smtp.close();
    await db.close();
  });
  beforeEach(async () => {
    await db.query("DELETE FROM email_outbox");
    auditFrom = (await currentTreeHead(db)).size;
    smtp.received.length = 0;
    smtp.rejectRecipients = null;
    smtp.rejectAddress = null;
    smtp.hold = null;
    smtp.sessions.max = smtp.sessions.open;
    smtp.inData.max = 0;
  });

  const enqueue = async (count: number, now = T0) =>
    db.transaction(async (tx) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i += 1) ids.push((await enqueueEmail(tx, message(i), { now }))!);
      return ids;
    });

  it("sends a batch with several messages in flight over pooled connections, each exactly once", async () => {
    const total = 40;
    const ids = await enqueue(total);
    const transport = createSmtpTransport(smtp.url, { pool: { maxConnections: 8 } });
    let release!: () => void;
    smtp.hold = new Promise<void>((resolve) => (release = resolve));
    try {
      const delivering = deliverBatch(db, transport, { from: FROM, limit: 100, now: T0, concurrency: 8 });
      // One at a time, the server would never hold a second message: this fails if sending goes back to sequential.
      await within(smtp.waitForDataAtOnce(4), 10_000, "the SMTP server never had 4 messages in flight at once");
      release();
      assert.deepEqual(await delivering, { sent: total, failed: 0, retried: 0 });
    } finally {
      release();
      transport.close();
    }
    assert.ok(smtp.sessions.max > 1 && smtp.sessions.max <= 8, `sessions at once: ${smtp.sessions.max}`);
    assert.ok(smtp.inData.max >= 4);
    // Exactly once: every id arrived, none twice.
    assert.equal(smtp.received.length, total);
    assert.deepEqual(new Set(messageIds(smtp)), new Set(ids.map((id) => `<${id}@oversight.example>`)));
    const rows = await db.query<{ status: string; attempts: number; locked_until: string | null }>("SELECT status, attempts, locked_until FROM email_outbox");
    assert.ok(rows.every((row) => row.status === "sent" && Number(row.attempts) === 1 && row.locked_until === null));
    // One email.sent entry per message, with the template only, and the log still verifies.
    const sent = await db.query<{ entity_id: string; entry: string }>("SELECT entity_id, entry FROM audit_log WHERE seq >= $1 AND action = 'email.sent'", [auditFrom]);
    assert.deepEqual(new Set(sent.map((row) => row.entity_id)), new Set(ids));
    assert.equal(sent.length, total);
    for (const row of sent) {
      assert.deepEqual(JSON.parse(row.entry).data, { template: "petition.confirm" });
      assert.ok(!row.entry.includes("canary"), row.entry);
    }
    assert.equal((await verifyAuditLog(db)).ok, true);
  });

  it("retries only the message the server refused in a concurrent batch", async () => {
    const ids = await enqueue(20);
    smtp.rejectAddress = address(7);
    const logger = new MemoryLogger();
    const transport = createSmtpTransport(smtp.url, { pool: { maxConnections: 8 } });
    try {
      assert.deepEqual(await deliverBatch(db, transport, { from: FROM, limit: 100, now: T0, concurrency: 8, logger }), { sent: 19, failed: 0, retried: 1 });
      const refused = (await repo.findMessage(db, ids[7]))!;
      assert.equal(refused.status, "queued");
      assert.equal(refused.attempts, 1);
      assert.equal(new Date(refused.next_attempt_at).getTime(), at(60_000).getTime());
      assert.match(refused.last_error ?? "", /451/);
      for (const text of [refused.last_error ?? "", logger.text()]) assert.ok(!text.includes("canary"), text);
      const others = await db.query<{ status: string; attempts: number }>("SELECT status, attempts FROM email_outbox WHERE id <> $1", [ids[7]]);
      assert.ok(others.every((row) => row.status === "sent" && Number(row.attempts) === 1));
      assert.equal(smtp.received.length, 19);

      smtp.rejectAddress = null;
      // Only the refused one is due again, after its backoff.
      assert.deepEqual(await deliverBatch(db, transport, { from: FROM, limit: 100, now: at(59_999), concurrency: 8 }), { sent: 0, failed: 0, retried: 0 });
      assert.deepEqual(await deliverBatch(db, transport, { from: FROM, limit: 100, now: at(60_000), concurrency: 8 }), { sent: 1, failed: 0, retried: 0 });
    } finally {
      transport.close();
    }
    assert.equal(smtp.received.length, 20);
    assert.equal(new Set(messageIds(smtp)).size, 20);
    assert.equal(smtp.received.at(-1)?.headers.get("message-id"), `<${ids[7]}@oversight.example>`);
    assert.equal((await repo.findMessage(db, ids[7]))?.attempts, 2);
    const audit = await db.query<{ action: string }>("SELECT action FROM audit_log WHERE seq >= $1 AND action LIKE 'email.%' AND action <> 'email.enqueue'", [auditFrom]);
    assert.deepEqual(audit.map((a) => a.action), Array(20).fill("email.sent"));
  });

  it("starts no message once its lease has run out (renewals failing); those in flight still count, the rest go to the next worker", async () => {
    const ids = await enqueue(6, new Date());
    const logger = new MemoryLogger();
    const transport = createSmtpTransport(smtp.url, { pool: { maxConnections: 2 } });
    // The same database, except that every lease renewal fails, as if the worker had lost it.
    const noRenewals: Db = Object.assign(Object.create(db) as Db, {
      query: (sql: string, params?: unknown[]) => (/SET locked_until = \$3/.test(sql) ? Promise.reject(new Error("connection terminated unexpectedly")) : db.query(sql, params as never)),
    });
    let release!: () => void;
    smtp.hold = new Promise<void>((resolve) => (release = resolve));
    try {
      // Real time here: the lease runs out while two messages wait for the server's answer.
      const delivering = deliverBatch(noRenewals, transport, { from: FROM, limit: 100, concurrency: 2, leaseMs: 400, logger });
      await within(smtp.waitForDataAtOnce(2), 10_000, "two messages were never in flight at once");
      await new Promise((resolve) => setTimeout(resolve, 500));
      release();
      assert.deepEqual(await delivering, { sent: 2, failed: 0, retried: 0 });
      assert.equal(smtp.received.length, 2);
      assert.equal(logger.entries.filter((e) => e.msg === "email left for another pass: lease ran out").length, 4);
      const left = await db.query<{ id: string; status: string }>("SELECT id, status FROM email_outbox WHERE status <> 'sent'");
      assert.equal(left.length, 4);
      assert.ok(left.every((row) => row.status === "sending"), "left leased, not requeued: another worker may hold them");

      // The next worker takes them once the lease has passed (it has), as a new attempt.
      assert.deepEqual(await deliverBatch(db, transport, { from: FROM, limit: 100, concurrency: 2 }), { sent: 4, failed: 0, retried: 0 });
    } finally {
      release();
      transport.close();
    }
    assert.equal(smtp.received.length, 6);
    assert.deepEqual(new Set(messageIds(smtp)), new Set(ids.map((id) => `<${id}@oversight.example>`)));
    const attempts = (await db.query<{ attempts: number }>("SELECT attempts FROM email_outbox ORDER BY attempts")).map((row) => Number(row.attempts));
    assert.deepEqual(attempts, [1, 1, 2, 2, 2, 2]);
  });

  it("renews the lease while a slow send is in flight: another worker claims nothing, each message is sent once", async () => {
    const ids = await enqueue(3, new Date());
    const logger = new MemoryLogger();
    const transport = createSmtpTransport(smtp.url, { pool: { maxConnections: 3 } });
    let release!: () => void;
    smtp.hold = new Promise<void>((resolve) => (release = resolve));
    try {
      // The server holds its answers for five leases; the heartbeat keeps the claim alive meanwhile.
      const delivering = deliverBatch(db, transport, { from: FROM, limit: 100, concurrency: 3, leaseMs: 300, logger });
      await within(smtp.waitForDataAtOnce(3), 10_000, "three messages were never in flight at once");
      for (let i = 0; i < 5; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        const rows = await db.query<{ status: string; locked_until: string }>("SELECT status, locked_until FROM email_outbox");
        assert.ok(rows.every((row) => row.status === "sending" && new Date(row.locked_until).getTime() > Date.now()), "the lease is ahead of the clock while the send is in flight");
        assert.deepEqual(await deliverBatch(db, transport, { from: FROM, limit: 100, concurrency: 3, leaseMs: 300 }), { sent: 0, failed: 0, retried: 0 }, "a second worker finds nothing to claim");
      }
      release();
      assert.deepEqual(await delivering, { sent: 3, failed: 0, retried: 0 });
    } finally {
      release();
      transport.close();
    }
    assert.deepEqual(messageIds(smtp).sort(), ids.map((id) => `<${id}@oversight.example>`).sort(), "each message sent exactly once");
    assert.equal(logger.entries.filter((e) => e.msg === "email left for another pass: lease ran out").length, 0);
    const attempts = (await db.query<{ attempts: number }>("SELECT attempts FROM email_outbox")).map((row) => Number(row.attempts));
    assert.deepEqual(attempts, [1, 1, 1]);
  });

  it("stops after a database error while recording; what was accepted but not recorded goes again with the same Message-ID", async () => {
    const ids = await enqueue(8);
    let failures = 1;
    // The same database, except that the first recording transaction fails as if the connection dropped.
    const flaky: Db = Object.assign(Object.create(db) as Db, {
      transaction: <T>(fn: Parameters<Db["transaction"]>[0]) => {
        if (failures > 0) {
          failures -= 1;
          return Promise.reject(new Error("connection terminated unexpectedly"));
        }
        return db.transaction(fn) as Promise<T>;
      },
    });
    const transport = createSmtpTransport(smtp.url, { pool: { maxConnections: 4 } });
    try {
      await assert.rejects(deliverBatch(flaky, transport, { from: FROM, limit: 100, now: T0, concurrency: 4, leaseMs: 60_000 }), /connection terminated/);
      const accepted = smtp.received.length;
      assert.ok(accepted >= 1 && accepted <= 8);
      const rows = await db.query<{ status: string }>("SELECT status FROM email_outbox");
      assert.ok(rows.every((row) => row.status === "sending"), "nothing recorded, everything still leased");
      // After the lease every message is sent (again, for those the server already had).
      assert.deepEqual(await deliverBatch(db, transport, { from: FROM, limit: 100, now: at(60_000), concurrency: 4 }), { sent: 8, failed: 0, retried: 0 });
      assert.equal(smtp.received.length, accepted + 8);
    } finally {
      transport.close();
    }
    const counts = new Map<string, number>();
    for (const id of messageIds(smtp)) counts.set(id!, (counts.get(id!) ?? 0) + 1);
    assert.deepEqual(new Set(counts.keys()), new Set(ids.map((id) => `<${id}@oversight.example>`)), "duplicates carry the same Message-ID");
    assert.ok([...counts.values()].every((n) => n === 1 || n === 2));
  });

  it(`two workers recording the same messages as sent count each once (${testEngine === "postgres" ? "at once, in opposite orders" : "one after the other on PGlite"})`, async () => {
    const ids = await enqueue(30);
    await repo.claimDue(db, T0.toISOString(), at(600_000).toISOString(), 100);
    // One group in id order, one reversed, overlapping in the middle: without ordered locks these could deadlock.
    const first = ids.slice(0, 20).map((id) => ({ id, sentAt: T0.toISOString() }));
    const second = ids.slice(10).reverse().map((id) => ({ id, sentAt: at(1).toISOString() }));
    const record = (group: typeof first) => db.transaction((tx) => repo.markSentMany(tx, group));
    const [a, b] = db.kind === "postgres" ? await Promise.all([record(first), record(second)]) : [await record(first), await record(second)];
    assert.equal(a.size + b.size, 30);
    assert.equal(new Set([...a, ...b]).size, 30);
    assert.deepEqual(await repo.countByStatus(db), { queued: 0, sending: 0, sent: 30, failed: 0 });
    // Recording again changes nothing.
    assert.equal((await record(first)).size, 0);
  });

  it("the worker sends concurrently over as many pooled connections as its concurrency, and closes them on stop", async () => {
    const total = 24;
    const ids = await enqueue(total, new Date());
    let release!: () => void;
    smtp.hold = new Promise<void>((resolve) => (release = resolve));
    const worker = startOutboxWorker(db, { smtpUrl: smtp.url, from: FROM, intervalMs: 60_000, concurrency: 4, logger: new MemoryLogger() });
    try {
      await within(smtp.waitForDataAtOnce(4), 10_000, "the worker never had 4 messages in flight at once");
      release();
      await smtp.waitForMessages(total);
    } finally {
      release();
      await worker.stop();
    }
    assert.equal(smtp.sessions.max, 4, "one pooled connection per message in flight, reused");
    assert.equal(new Set(messageIds(smtp)).size, total);
    const rows = await db.query<{ id: string; status: string }>("SELECT id, status FROM email_outbox");
    assert.deepEqual(new Set(rows.filter((row) => row.status === "sent").map((row) => row.id)), new Set(ids));
    // stop() closed the pool.
    for (let i = 0; i < 100 && smtp.sessions.open > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(smtp.sessions.open, 0);
  });
});
