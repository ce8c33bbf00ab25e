import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Db } from "../db/db.js";
import { openTestDb, testEngine } from "../db/test-db.js";
import { createSmtpTransport, deliverBatch } from "../outbox/index.js";
import { startTestSmtp, type TestSmtp } from "../outbox/test-smtp.js";
import { TEST_SECRET } from "../web/test-app.js";
import { enqueueDeadlineReminders } from "./reminders.js";
import { submitComplaint } from "./service.js";
import * as staff from "./staff-service.js";

describe(`email to complainants and reminders to the office, over real SMTP (${testEngine})`, () => {
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

  const deliver = () => deliverBatch(db, createSmtpTransport(smtp.url), { limit: 50, from: "Oversight <office@example.org>" });

  it("acknowledges a complaint by email in the complainant's language, without receipt or account of events", async () => {
    const filed = await submitComplaint(db, TEST_SECRET, { narrative: "SECRET-ACCOUNT the officer kicked my door.", name: "Rosa Canary", email: "rosa@example.org", contact_ok: true, language: "es" }, null);
    const result = await deliver();
    assert.equal(result.sent, 1);
    const [mail] = await smtp.waitForMessages(1);
    assert.deepEqual(mail.rcptTo, ["rosa@example.org"]);
    assert.match(mail.raw, new RegExp(filed.caseNumber));
    assert.match(mail.raw, /Recibimos su queja/);
    assert.ok(!mail.raw.includes(filed.receipt), "no receipt in the email");
    assert.ok(!mail.raw.includes("SECRET-ACCOUNT"), "no account of events in the email");
    const [row] = await db.query<{ acknowledged_at: string | null }>("SELECT acknowledged_at FROM cases WHERE id = $1", [filed.caseId]);
    assert.ok(row.acknowledged_at, "the email counts as the acknowledgement");
  });

  it("sends nothing to a complainant who did not agree to be contacted", async () => {
    const before = smtp.received.length;
    await submitComplaint(db, TEST_SECRET, { narrative: "Please do not write to me about this.", email: "quiet@example.org", contact_ok: false }, null);
    await deliver();
    assert.equal(smtp.received.length, before);
  });

  it("tells the complainant a message is waiting, without its text", async () => {
    const filed = await submitComplaint(db, TEST_SECRET, { narrative: "A stop that lasted two hours.", email: "ana@example.org", contact_ok: true }, null);
    await deliver();
    const before = smtp.received.length;
    await staff.addNote(db, "user:staff", filed.caseId, "PRIVATE-DETAIL please send the video", true);
    await deliver();
    const mails = await smtp.waitForMessages(before + 1);
    const last = mails.at(-1)!;
    assert.match(last.raw, /new message about your complaint/);
    assert.ok(!last.raw.includes("PRIVATE-DETAIL"));
  });

  it("queues each overdue clock's reminder once a day, however often the job runs", async () => {
    await db.query("UPDATE cases SET received_at = now() - interval '40 days', acknowledged_at = NULL");
    const now = new Date();
    const first = await enqueueDeadlineReminders(db, "office@example.org", "https://oversight.example.org", now);
    const again = await enqueueDeadlineReminders(db, "office@example.org", "https://oversight.example.org", now);
    assert.ok(first >= 3, `reminders queued (${first})`);
    assert.equal(again, 0);
    const sent = await deliver();
    assert.equal(sent.sent, first);
    const reminder = smtp.received.at(-1)!;
    assert.match(reminder.raw, /OV-\d{4}-\d{6}/);
    assert.ok(!/Rosa|rosa@|SECRET-ACCOUNT/.test(reminder.raw), "reminders carry no complainant data");
  });
});
