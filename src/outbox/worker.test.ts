import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { Db } from "../db/db.js";
import { openTestDb, testEngine } from "../db/test-db.js";
import * as repo from "./repo.js";
import { enqueueEmail } from "./service.js";
import { MemoryLogger, startTestSmtp, type TestSmtp } from "./test-smtp.js";
import { startOutboxWorker } from "./worker.js";

const FROM = "Oversight <no-reply@oversight.example>";
const TO = "canary.worker@example.org";
const message = (n: number) => ({ to: TO, subject: `Worker test ${n}`, text: `Body of message ${n}`, template: "test.worker" });

/** Waits for a condition the worker brings about; the test runner's timeout bounds it. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe(`outbox worker (${testEngine})`, { timeout: 60_000 }, () => {
  let db: Db;
  let smtp: TestSmtp;

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
    smtp.received.length = 0;
    smtp.rejectRecipients = null;
    smtp.hold = null;
  });

  it("delivers a message enqueued after it started, and stop() resolves", async () => {
    const logger = new MemoryLogger();
    const worker = startOutboxWorker(db, { smtpUrl: smtp.url, from: FROM, intervalMs: 25, logger });
    try {
      const id = (await db.transaction((tx) => enqueueEmail(tx, message(1))))!;
      const [mail] = await smtp.waitForMessages(1);
      assert.equal(mail.headers.get("subject"), "Worker test 1");
      assert.ok(mail.body.includes("Body of message 1"));
      await eventually(async () => (await repo.findMessage(db, id))?.status === "sent");
    } finally {
      await worker.stop();
    }
    assert.ok(!logger.text().includes(TO));
    // Stopping twice is harmless.
    await worker.stop();
  });

  it("drains more than one batch in a pass", async () => {
    await db.transaction(async (tx) => {
      for (let i = 0; i < 7; i += 1) await enqueueEmail(tx, message(i));
    });
    const worker = startOutboxWorker(db, { smtpUrl: smtp.url, from: FROM, intervalMs: 60_000, batchSize: 3, logger: new MemoryLogger() });
    try {
      // One pass at start-up (the next would be a minute away) sends all seven.
      const mails = await smtp.waitForMessages(7);
      assert.equal(new Set(mails.map((m) => m.headers.get("message-id"))).size, 7);
    } finally {
      await worker.stop();
    }
  });

  it("keeps going after the SMTP server refuses a message, and delivers it on retry", async () => {
    smtp.rejectRecipients = { code: 451, text: "4.3.0 try again later" };
    const logger = new MemoryLogger();
    const id = (await db.transaction((tx) => enqueueEmail(tx, message(2))))!;
    const worker = startOutboxWorker(db, { smtpUrl: smtp.url, from: FROM, intervalMs: 10, backoffMs: [10], logger });
    try {
      await eventually(async () => ((await repo.findMessage(db, id))?.attempts ?? 0) >= 1 && logger.entries.some((e) => e.level === "warn"));
      smtp.rejectRecipients = null;
      await smtp.waitForMessages(1);
      await eventually(async () => (await repo.findMessage(db, id))?.status === "sent");
    } finally {
      await worker.stop();
    }
    const row = (await repo.findMessage(db, id))!;
    assert.ok(row.attempts >= 2);
    assert.ok(!logger.text().includes(TO));
  });

  it("keeps polling after a database error", async () => {
    const logger = new MemoryLogger();
    let failures = 1;
    // The same database, except that the first claim fails as if the connection dropped.
    const flaky: Db = Object.assign(Object.create(db) as Db, {
      query: (text: string, params?: readonly unknown[]) => {
        if (failures > 0 && text.includes("FOR UPDATE SKIP LOCKED")) {
          failures -= 1;
          return Promise.reject(new Error("connection terminated unexpectedly"));
        }
        return db.query(text, params);
      },
    });
    const id = (await db.transaction((tx) => enqueueEmail(tx, message(3))))!;
    const worker = startOutboxWorker(flaky, { smtpUrl: smtp.url, from: FROM, intervalMs: 10, logger });
    try {
      await smtp.waitForMessages(1);
      await eventually(async () => (await repo.findMessage(db, id))?.status === "sent");
    } finally {
      await worker.stop();
    }
    assert.ok(logger.entries.some((e) => e.level === "error" && e.msg === "email outbox pass failed"));
  });

  it("stop() waits for the message being sent, which is then recorded as sent", async () => {
    let release!: () => void;
    smtp.hold = new Promise<void>((resolve) => (release = resolve));
    const id = (await db.transaction((tx) => enqueueEmail(tx, message(4))))!;
    const dataArrived = smtp.waitForData();
    const worker = startOutboxWorker(db, { smtpUrl: smtp.url, from: FROM, intervalMs: 10, logger: new MemoryLogger() });
    await dataArrived;
    let stopped = false;
    const stopping = worker.stop().then(() => {
      stopped = true;
    });
    // The server has not answered DATA yet, so the pass, and stop(), cannot have finished.
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(stopped, false);
    assert.equal((await repo.findMessage(db, id))?.status, "sending");
    release();
    await stopping;
    assert.equal((await repo.findMessage(db, id))?.status, "sent");
    assert.equal(smtp.received.length, 1);
  });

  it("leaves the queue in the database: a new worker after a stop delivers what the old one never saw", async () => {
    const first = startOutboxWorker(db, { smtpUrl: smtp.url, from: FROM, intervalMs: 60_000, logger: new MemoryLogger() });
    await first.stop();
    const id = (await db.transaction((tx) => enqueueEmail(tx, message(5))))!;
    assert.equal((await repo.findMessage(db, id))?.status, "queued");
    const second = startOutboxWorker(db, { smtpUrl: smtp.url, from: FROM, intervalMs: 25, logger: new MemoryLogger() });
    try {
      await smtp.waitForMessages(1);
      await eventually(async () => (await repo.findMessage(db, id))?.status === "sent");
    } finally {
      await second.stop();
    }
  });

  it("polls again soon while messages keep coming, and waits intervalMs once a pass finds nothing", async () => {
    // The same database, noting how many messages each claim returned.
    const claims: number[] = [];
    const watched: Db = Object.assign(Object.create(db) as Db, {
      query: async (text: string, params?: readonly unknown[]) => {
        const rows = await db.query(text, params);
        if (text.includes("FOR UPDATE SKIP LOCKED")) claims.push(rows.length);
        return rows;
      },
    });
    await db.transaction((tx) => enqueueEmail(tx, message(6)));
    const worker = startOutboxWorker(watched, { smtpUrl: smtp.url, from: FROM, intervalMs: 60_000, busyIntervalMs: 50, logger: new MemoryLogger() });
    try {
      await smtp.waitForMessages(1);
      // Arrives after the pass that sent the first: a minute's interval would keep it waiting.
      await db.transaction((tx) => enqueueEmail(tx, message(7)));
      await smtp.waitForMessages(2);
      await eventually(async () => claims.at(-1) === 0);
      const claimsWhenIdle = claims.length;
      await db.transaction((tx) => enqueueEmail(tx, message(8)));
      await new Promise((resolve) => setTimeout(resolve, 400));
      assert.equal(smtp.received.length, 2, "after an empty pass the worker waits intervalMs");
      assert.equal(claims.length, claimsWhenIdle);
    } finally {
      await worker.stop();
    }
  });

  it("refuses to start without a sender address", () => {
    assert.throws(() => startOutboxWorker(db, { smtpUrl: smtp.url, from: "Oversight", logger: new MemoryLogger() }), /"from"/);
  });
});
