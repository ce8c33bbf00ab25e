import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Db } from "../db/db.js";
import { openTestDb, testEngine } from "../db/test-db.js";
import { createSmtpTransport, deliverBatch } from "../outbox/index.js";
import { startTestSmtp, type TestSmtp } from "../outbox/test-smtp.js";
import { TEST_SECRET } from "../web/test-app.js";
import { createUser } from "../auth/service.js";
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

  it("reminds the assigned staff member too, in their language, and no one whose account is disabled", async () => {
    const rosa = await createUser(db, { email: "rosa.investiga@example.org", displayName: "Rosa Investigadora", password: "investigator password", role: "investigator", language: "es" }, "test");
    const [one, two] = await db.query<{ id: string }>("SELECT id FROM cases ORDER BY case_number LIMIT 2");
    await db.query("UPDATE cases SET assigned_to = $2 WHERE id = $1", [one.id, rosa]);
    const tomorrow = new Date(Date.now() + 86_400_000);
    const reminders = async () =>
      db.query<{ to_address: string; subject: string; body_text: string }>(
        "SELECT to_address, subject, body_text FROM email_outbox WHERE template = 'case.deadline_reminder' AND dedupe_key LIKE $1",
        [`%:${tomorrow.toISOString().slice(0, 10)}%`],
      );
    assert.ok((await enqueueDeadlineReminders(db, "office@example.org", "https://oversight.example.org", tomorrow)) > 0);
    const queued = await reminders();
    const toRosa = queued.filter((mail) => mail.to_address === "rosa.investiga@example.org");
    assert.ok(toRosa.length > 0, "the assignee is reminded");
    for (const mail of toRosa) {
      assert.match(mail.subject, /el plazo de .+ (está vencido|vence pronto)/);
      assert.ok(mail.body_text.includes(`Ábralo en https://oversight.example.org/staff/cases/${one.id}`), mail.body_text);
      assert.doesNotMatch(mail.body_text, /the .+ clock/, "in Spanish only");
    }
    const toOffice = queued.filter((mail) => mail.to_address === "office@example.org");
    assert.ok(toOffice.some((mail) => mail.body_text.includes(two.id)), "the office hears of every case");
    for (const mail of toOffice) assert.match(mail.subject, /clock (is overdue|is due soon) \/ .+ el plazo de/, "the office's reminder is in English and Spanish");
    assert.equal(await enqueueDeadlineReminders(db, "office@example.org", "https://oversight.example.org", tomorrow), 0, "once a day");

    await db.query("UPDATE users SET disabled_at = now() WHERE id = $1", [rosa]);
    const later = new Date(tomorrow.getTime() + 86_400_000);
    await enqueueDeadlineReminders(db, "office@example.org", "https://oversight.example.org", later);
    const [{ n }] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM email_outbox WHERE to_address = 'rosa.investiga@example.org' AND dedupe_key LIKE $1", [`%:${later.toISOString().slice(0, 10)}%`]);
    assert.equal(n, 0, "a disabled account is not reminded");
  });
});
