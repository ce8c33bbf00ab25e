import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { currentTreeHead } from "../audit/service.js";
import type { Db } from "../db/db.js";
import { openTestDb, testEngine } from "../db/test-db.js";
import * as repo from "./repo.js";
import { EmailMessageError } from "./schema.js";
import { DEFAULT_BACKOFF_MS, DEFAULT_MAX_ATTEMPTS, deliverBatch, describeSendError, enqueueEmail } from "./service.js";
import { MemoryLogger, freePort, startTestSmtp, type TestSmtp } from "./test-smtp.js";
import { createSmtpTransport } from "./transport.js";

// Canary values: none of them may reach the audit log, the logs or last_error.
const TO = "canary.complainant@example.org";
const SUBJECT = "Canary subject about case OV-2024-0042";
const TEXT = "Dear canary complainant,\nwe received your complaint.\nThe office";
const HTML = "<p>Dear canary complainant,</p><p>we received your complaint.</p>";
const FROM = "Oversight <no-reply@oversight.example>";
const T0 = new Date("2030-01-01T12:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

const message = (overrides: Record<string, unknown> = {}) => ({ to: TO, subject: SUBJECT, text: TEXT, template: "case.acknowledgement", ...overrides });

describe(`email outbox (${testEngine})`, () => {
  let db: Db;
  let smtp: TestSmtp;
  let transport: ReturnType<typeof createSmtpTransport>;

  // One database for the suite (migrating one per test is slow); each test starts with an empty outbox.
  // The audit log is append-only, so tests look only at entries from after they began.
  let auditFrom = 0;
  before(async () => {
    db = await openTestDb();
    smtp = await startTestSmtp();
    transport = createSmtpTransport(smtp.url);
  });
  after(async () => {
    transport.close();
    await smtp.close();
    await db.close();
  });
  beforeEach(async () => {
    await db.query("DELETE FROM email_outbox");
    auditFrom = (await currentTreeHead(db)).size;
    smtp.received.length = 0;
    smtp.rejectRecipients = null;
    smtp.hold = null;
  });

  const auditEntries = () => db.query<{ action: string; entity: string; entity_id: string | null; entry: string }>(
    "SELECT action, entity, entity_id, entry FROM audit_log WHERE seq >= $1 ORDER BY seq",
    [auditFrom],
  );

  it("delivers a message enqueued in a committed transaction, with the exact subject and text", async () => {
    const id = await db.transaction((tx) => enqueueEmail(tx, message({ html: HTML, dedupeKey: "ack:1" }), { actor: "user:test", now: T0 }));
    assert.ok(id);
    const queued = await repo.findMessage(db, id);
    assert.equal(queued?.status, "queued");

    const result = await deliverBatch(db, transport, { from: FROM, limit: 10, now: T0 });
    assert.deepEqual(result, { sent: 1, failed: 0, retried: 0 });

    const [mail] = await smtp.waitForMessages(1);
    assert.deepEqual(mail.rcptTo, [TO]);
    assert.equal(mail.mailFrom, "no-reply@oversight.example");
    assert.equal(mail.headers.get("subject"), SUBJECT);
    assert.equal(mail.headers.get("message-id"), `<${id}@oversight.example>`);
    assert.equal(mail.headers.get("auto-submitted"), "auto-generated");
    assert.equal(mail.headers.get("x-oversight-template"), "case.acknowledgement");
    assert.ok(mail.body.includes(TEXT), "the text part is in the message as written");
    assert.ok(mail.body.includes(HTML), "the HTML alternative is in the message");
    assert.match(mail.headers.get("content-type") ?? "", /multipart\/alternative/);

    const sent = await repo.findMessage(db, id);
    assert.equal(sent?.status, "sent");
    assert.equal(sent?.attempts, 1);
    assert.equal(new Date(sent?.sent_at ?? "").toISOString(), T0.toISOString());
    assert.equal(sent?.locked_until, null);
    // The bodies are deleted once sent; what the audit log and a resend decision need stays.
    assert.deepEqual([sent?.body_text, sent?.body_html, sent?.subject, sent?.template], [null, null, SUBJECT, "case.acknowledgement"]);

    // Nothing left: a second pass sends nothing.
    assert.deepEqual(await deliverBatch(db, transport, { from: FROM, limit: 10, now: at(3_600_000) }), { sent: 0, failed: 0, retried: 0 });
    assert.equal(smtp.received.length, 1);

    const audit = await auditEntries();
    assert.deepEqual(audit.map((a) => [a.action, a.entity_id]), [["email.enqueue", id], ["email.sent", id]]);
    for (const entry of audit) {
      assert.deepEqual(JSON.parse(entry.entry).data, { template: "case.acknowledgement" });
      for (const canary of [TO, "canary", SUBJECT, "ack:1"]) assert.ok(!entry.entry.includes(canary), `audit entry must not hold ${canary}`);
    }
    assert.equal(JSON.parse(audit[0].entry).actor, "user:test");
  });

  it("sends nothing when the enqueuing transaction rolls back", async () => {
    await assert.rejects(
      db.transaction(async (tx) => {
        await enqueueEmail(tx, message({ dedupeKey: "rolled-back" }), { now: T0 });
        throw new Error("the caller's write failed");
      }),
      /the caller's write failed/,
    );
    assert.equal((await db.query("SELECT 1 FROM email_outbox")).length, 0);
    assert.equal((await auditEntries()).length, 0);
    assert.deepEqual(await deliverBatch(db, transport, { from: FROM, limit: 10, now: at(60_000) }), { sent: 0, failed: 0, retried: 0 });
    assert.equal(smtp.received.length, 0);
    // The key was never taken: the same reminder can be enqueued again.
    assert.ok(await db.transaction((tx) => enqueueEmail(tx, message({ dedupeKey: "rolled-back" }), { now: T0 })));
  });

  it("never enqueues the same dedupe key twice, before or after it was sent", async () => {
    const first = await db.transaction((tx) => enqueueEmail(tx, message({ dedupeKey: "deadline:case-7:day-5" }), { now: T0 }));
    assert.ok(first);
    const second = await db.transaction((tx) => enqueueEmail(tx, message({ dedupeKey: "deadline:case-7:day-5", subject: "other" }), { now: T0 }));
    assert.equal(second, null);
    assert.deepEqual(await deliverBatch(db, transport, { from: FROM, limit: 10, now: T0 }), { sent: 1, failed: 0, retried: 0 });
    const third = await db.transaction((tx) => enqueueEmail(tx, message({ dedupeKey: "deadline:case-7:day-5" }), { now: at(86_400_000) }));
    assert.equal(third, null);
    // Messages without a key never clash.
    assert.ok(await db.transaction((tx) => enqueueEmail(tx, message(), { now: T0 })));
    assert.ok(await db.transaction((tx) => enqueueEmail(tx, message(), { now: T0 })));
    assert.equal((await db.query("SELECT 1 FROM email_outbox")).length, 3);
    // Only real inserts are audited.
    assert.equal((await auditEntries()).filter((a) => a.action === "email.enqueue").length, 3);
    assert.equal(smtp.received.length, 1);
  });

  it("rejects an invalid message with an error naming the field, and writes nothing", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [message({ to: "not-an-address" }), "to"],
      [message({ to: "Name <someone@example.org>" }), "to"],
      [message({ to: undefined }), "to"],
      [message({ subject: "two\r\nBcc: victim@example.org" }), "subject"],
      [message({ subject: "" }), "subject"],
      [message({ text: "" }), "text"],
      [message({ template: "Reminder for canary.complainant@example.org" }), "template"],
      [message({ dedupeKey: "" }), "dedupeKey"],
    ];
    for (const [input, field] of cases) {
      await assert.rejects(
        db.transaction((tx) => enqueueEmail(tx, input as never, { now: T0 })),
        (error: unknown) => {
          assert.ok(error instanceof EmailMessageError, `${field}: ${String(error)}`);
          assert.equal(error.field, field);
          assert.ok(error.message.includes(`"${field}"`), error.message);
          assert.ok(!error.message.includes("not-an-address") && !error.message.includes("canary"), "the error does not repeat the value");
          return true;
        },
      );
    }
    assert.equal((await db.query("SELECT 1 FROM email_outbox")).length, 0);
  });

  it("holds a message until notBefore", async () => {
    const id = await db.transaction((tx) => enqueueEmail(tx, message(), { now: T0, notBefore: at(3_600_000) }));
    assert.deepEqual(await deliverBatch(db, transport, { from: FROM, limit: 10, now: at(3_599_999) }), { sent: 0, failed: 0, retried: 0 });
    assert.deepEqual(await deliverBatch(db, transport, { from: FROM, limit: 10, now: at(3_600_000) }), { sent: 1, failed: 0, retried: 0 });
    assert.equal((await repo.findMessage(db, id!))?.status, "sent");
  });

  it("retries a message the server refuses with backoff, then marks it failed after the last attempt", async () => {
    smtp.rejectRecipients = { code: 550, text: "5.1.1 mailbox unavailable" };
    const logger = new MemoryLogger();
    const id = (await db.transaction((tx) => enqueueEmail(tx, message({ html: HTML }), { now: T0 })))!;

    let now = T0;
    for (let attempt = 1; attempt < DEFAULT_MAX_ATTEMPTS; attempt += 1) {
      assert.deepEqual(await deliverBatch(db, transport, { from: FROM, limit: 10, now, logger }), { sent: 0, failed: 0, retried: 1 }, `attempt ${attempt}`);
      const row = (await repo.findMessage(db, id))!;
      assert.equal(row.status, "queued");
      assert.equal(row.attempts, attempt);
      const delay = DEFAULT_BACKOFF_MS[attempt - 1];
      assert.equal(new Date(row.next_attempt_at).getTime() - now.getTime(), delay, `backoff after attempt ${attempt}`);
      assert.match(row.last_error ?? "", /550/);
      assert.match(row.last_error ?? "", /EENVELOPE/);
      // Not due a moment before the backoff ends.
      assert.deepEqual(await deliverBatch(db, transport, { from: FROM, limit: 10, now: new Date(now.getTime() + delay - 1), logger }), { sent: 0, failed: 0, retried: 0 });
      now = new Date(now.getTime() + delay);
    }
    assert.deepEqual(DEFAULT_BACKOFF_MS, [60_000, 300_000, 1_800_000, 7_200_000, 43_200_000]);

    assert.deepEqual(await deliverBatch(db, transport, { from: FROM, limit: 10, now, logger }), { sent: 0, failed: 1, retried: 0 });
    const failed = (await repo.findMessage(db, id))!;
    assert.equal(failed.status, "failed");
    assert.equal(failed.attempts, DEFAULT_MAX_ATTEMPTS);
    assert.equal(failed.locked_until, null);
    // Failed messages are never picked up again.
    assert.deepEqual(await deliverBatch(db, transport, { from: FROM, limit: 10, now: at(30 * 86_400_000), logger }), { sent: 0, failed: 0, retried: 0 });
    assert.equal(smtp.received.length, 0);

    // The server echoed the address; neither last_error nor the logs keep it, nor the subject or body.
    for (const text of [failed.last_error ?? "", logger.text()]) {
      for (const canary of [TO, "canary", SUBJECT, "received your complaint"]) assert.ok(!text.includes(canary), `${canary} leaked into ${text}`);
    }
    assert.match(failed.last_error ?? "", /\[address\]|\[redacted\]/);
    assert.ok(logger.entries.some((e) => e.level === "error" && (e.obj as { outboxId?: string }).outboxId === id));
    assert.deepEqual((await auditEntries()).map((a) => a.action), ["email.enqueue", "email.failed"]);
  });

  it("retries when the SMTP server is down, and delivers once it is reachable", async () => {
    const downPort = await freePort();
    const down = createSmtpTransport(`smtp://outbox:x@127.0.0.1:${downPort}`);
    const logger = new MemoryLogger();
    const id = (await db.transaction((tx) => enqueueEmail(tx, message(), { now: T0 })))!;

    assert.deepEqual(await deliverBatch(db, down, { from: FROM, limit: 10, now: T0, logger }), { sent: 0, failed: 0, retried: 1 });
    const row = (await repo.findMessage(db, id))!;
    assert.equal(row.status, "queued");
    assert.match(row.last_error ?? "", /ECONNECTION|ESOCKET|ECONNREFUSED/);
    assert.equal(new Date(row.next_attempt_at).getTime(), at(60_000).getTime());
    assert.ok(!logger.text().includes(TO));

    assert.deepEqual(await deliverBatch(db, transport, { from: FROM, limit: 10, now: at(60_000), logger }), { sent: 1, failed: 0, retried: 0 });
    const sent = (await repo.findMessage(db, id))!;
    assert.equal(sent.status, "sent");
    assert.equal(sent.attempts, 2);
    assert.equal(sent.last_error, null);
    assert.equal(smtp.received.length, 1);
  });

  it("picks up a message whose worker crashed holding it, once the lease has run out", async () => {
    const id = (await db.transaction((tx) => enqueueEmail(tx, message(), { now: T0 })))!;
    // A worker claims it and dies before sending.
    const claimed = await repo.claimDue(db, T0.toISOString(), at(600_000).toISOString(), 10);
    assert.deepEqual(claimed.map((m) => m.id), [id]);
    const leased = (await repo.findMessage(db, id))!;
    assert.equal(leased.status, "sending");
    assert.equal(new Date(leased.locked_until!).getTime(), at(600_000).getTime());

    assert.deepEqual(await deliverBatch(db, transport, { from: FROM, limit: 10, now: at(599_999), leaseMs: 600_000 }), { sent: 0, failed: 0, retried: 0 });
    assert.equal(smtp.received.length, 0);
    assert.deepEqual(await deliverBatch(db, transport, { from: FROM, limit: 10, now: at(600_000), leaseMs: 600_000 }), { sent: 1, failed: 0, retried: 0 });
    const sent = (await repo.findMessage(db, id))!;
    assert.equal(sent.status, "sent");
    assert.equal(sent.attempts, 2);
    assert.equal(smtp.received.length, 1);
  });

  it("fails, without sending, a message whose worker crashed during its last attempt", async () => {
    const id = (await db.transaction((tx) => enqueueEmail(tx, message(), { now: T0 })))!;
    await repo.claimDue(db, T0.toISOString(), at(60_000).toISOString(), 10);
    assert.deepEqual(await deliverBatch(db, transport, { from: FROM, limit: 10, now: at(60_000), maxAttempts: 1 }), { sent: 0, failed: 1, retried: 0 });
    const row = (await repo.findMessage(db, id))!;
    assert.equal(row.status, "failed");
    assert.match(row.last_error ?? "", /stopped before recording/);
    assert.equal(smtp.received.length, 0);
  });

  it("a late success from a worker whose lease ran out still counts, and the stale worker cannot requeue it", async () => {
    const id = (await db.transaction((tx) => enqueueEmail(tx, message(), { now: T0 })))!;
    const [first] = await repo.claimDue(db, T0.toISOString(), at(1_000).toISOString(), 10);
    const [second] = await repo.claimDue(db, at(1_000).toISOString(), at(601_000).toISOString(), 10);
    assert.equal(second.attempts, 2);
    // The first (stale) worker's failure report is ignored…
    assert.equal(await repo.markRetry(db, id, first.attempts, at(61_000).toISOString(), "stale"), false);
    assert.equal((await repo.findMessage(db, id))?.status, "sending");
    // …and the current holder's delivery is recorded once.
    assert.equal(await db.transaction((tx) => repo.markSent(tx, id, at(2_000).toISOString())), true);
    assert.equal(await db.transaction((tx) => repo.markSent(tx, id, at(3_000).toISOString())), false);
  });

  it(`two workers claiming at once never send the same message twice (${testEngine === "postgres" ? "concurrently" : "one after the other: PGlite has one connection"})`, async () => {
    const total = 40;
    await db.transaction(async (tx) => {
      for (let i = 0; i < total; i += 1) await enqueueEmail(tx, message({ subject: `Message ${i}`, dedupeKey: `bulk:${i}` }), { now: T0 });
    });
    const second = createSmtpTransport(smtp.url);
    try {
      const run = (t: typeof transport) => deliverBatch(db, t, { from: FROM, limit: 25, now: at(1_000) });
      const results = db.kind === "postgres" ? await Promise.all([run(transport), run(second)]) : [await run(transport), await run(second)];
      assert.equal(results[0].sent + results[1].sent, total);
      assert.ok(results.every((r) => r.sent <= 25 && r.failed === 0 && r.retried === 0));
    } finally {
      second.close();
    }
    const mails = await smtp.waitForMessages(total);
    assert.equal(mails.length, total);
    const ids = mails.map((m) => m.headers.get("message-id"));
    assert.equal(new Set(ids).size, total, "each message was delivered exactly once");
    const rows = await db.query<{ status: string; attempts: number }>("SELECT status, attempts FROM email_outbox");
    assert.ok(rows.every((r) => r.status === "sent" && Number(r.attempts) === 1));
    assert.deepEqual(await repo.countByStatus(db), { queued: 0, sending: 0, sent: total, failed: 0 });
  });

  it(`concurrent claims take disjoint messages (${testEngine === "postgres" ? "six at once on separate connections" : "sequential on PGlite"})`, async () => {
    const total = 60;
    await db.transaction(async (tx) => {
      for (let i = 0; i < total; i += 1) await enqueueEmail(tx, message({ dedupeKey: `claim:${i}` }), { now: T0 });
    });
    const claim = () => repo.claimDue(db, at(1_000).toISOString(), at(601_000).toISOString(), 15);
    const batches = db.kind === "postgres" ? await Promise.all(Array.from({ length: 6 }, claim)) : await [0, 1, 2, 3, 4, 5].reduce(async (acc) => [...(await acc), await claim()], Promise.resolve([] as repo.ClaimedMessage[][]));
    const ids = batches.flat().map((m) => m.id);
    assert.equal(ids.length, total, "every message was claimed");
    assert.equal(new Set(ids).size, total, "no message was claimed twice");
    assert.ok(batches.flat().every((m) => m.attempts === 1));
  });
});

describe("describeSendError", () => {
  it("keeps codes and drops addresses, subject and body", () => {
    const error = Object.assign(new Error(`Can't send mail - all recipients were rejected: 550 <${TO}>: no such user (other@x.org) ${SUBJECT}`), {
      code: "EENVELOPE",
      command: "RCPT TO",
      responseCode: 550,
    });
    const described = describeSendError(error, { to_address: TO, subject: SUBJECT, body_text: TEXT, body_html: null });
    assert.equal(described.text.startsWith("EENVELOPE RCPT TO 550: "), true, described.text);
    assert.ok(!described.text.includes("@"), described.text);
    assert.ok(!described.text.includes(SUBJECT), described.text);
    assert.deepEqual(described.fields, { code: "EENVELOPE", command: "RCPT TO", responseCode: 550 });
  });
});

describe("createSmtpTransport", () => {
  it("refuses a URL that is not smtp:// or smtps:// without repeating it", () => {
    assert.throws(() => createSmtpTransport("http://user:topsecret@host:25"), (error: Error) => /scheme/.test(error.message) && !error.message.includes("topsecret"));
    assert.throws(() => createSmtpTransport("not a url topsecret"), (error: Error) => /Invalid SMTP URL/.test(error.message) && !error.message.includes("topsecret"));
  });
});
