import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { verifyAuditLog } from "../../src/audit/service.js";
import { testEngine } from "../../src/db/test-db.js";
import * as repo from "../../src/campaign/petitions/repo.js";
import { confirmLink, createPetitionTestApp, makePetition, sign, TEST_SECRET, visit, type PetitionTestApp } from "../../src/campaign/petitions/test-support.js";
import { formToken } from "../../src/campaign/petitions/tokens.js";
import { createSmtpTransport, deliverBatch } from "../../src/outbox/index.js";
import { startTestSmtp } from "../../src/outbox/test-smtp.js";

interface MailRow { id: string; to_address: string; subject: string; body_text: string; template: string; dedupe_key: string }
const mailTo = (site: PetitionTestApp, to: string) =>
  site.db.query<MailRow>("SELECT id, to_address, subject, body_text, template, dedupe_key FROM email_outbox WHERE to_address = $1 ORDER BY created_at", [to]);

/**
 * Signing end to end through the routes: the form, the emailed link, the
 * confirmation page, the counts, thresholds, the audit log; and everything a
 * signer can get wrong.
 */
describe(`petitions: signing and confirming (${testEngine})`, () => {
  let site: PetitionTestApp;
  let petitionId: string;
  const slug = "test-petition";

  before(async () => {
    site = await createPetitionTestApp();
    petitionId = await makePetition(site.db);
  });
  after(() => site.close());

  it("shows the petition with its count, form and tokens, in both languages", async () => {
    const en = await (await site.app.request(`/petitions/${slug}?lang=en`)).text();
    assert.match(en, /Fund the independent complaints office/);
    assert.match(en, /data-testid="verified-count">0</);
    assert.match(en, /name="_form" value="[^"]+"/);
    assert.match(en, /data-live="\/petitions\/test-petition\/live\?lang=en"/);
    assert.match(en, /Refresh the count/);
    const es = await (await site.app.request(`/petitions/${slug}?lang=es`)).text();
    assert.match(es, /Firme esta petición/);
    assert.match(es, /Financien la oficina independiente de quejas/);
  });

  it("accepts a signature, emails a link, and counts it once confirmed", async () => {
    const visitor = await visit(site.app, slug);
    const response = await sign(site.app, slug, visitor, { name: "Canary Signer-7731", email: "canary.7731@example.org", zip: "64106-1234", show_publicly: "1" });
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.match(html, /data-testid="signed"/);
    assert.match(html, /We sent a link to canary\.7731@example\.org/);

    const [mail] = await mailTo(site, "canary.7731@example.org");
    assert.equal(mail.template, "petition.confirm");
    assert.match(mail.subject, /Confirm your signature: Fund the independent complaints office/);
    assert.match(mail.body_text, /Hello Canary Signer-7731,/);
    const link = confirmLink(mail.body_text);
    assert.match(mail.body_text, /http:\/\/oversight\.test\/petitions\/confirm\//);

    let [tally] = await repo.tallies(site.db, [petitionId]);
    assert.deepEqual({ pending: tally.pending, verified: tally.verified }, { pending: 1, verified: 0 });

    // Opening the link shows a button; only pressing it confirms (link scanners only GET).
    const page = await site.app.request(link, { headers: { cookie: visitor.cookie } });
    assert.equal(page.status, 200);
    const pageHtml = await page.text();
    assert.match(pageHtml, /Confirm my signature/);
    [tally] = await repo.tallies(site.db, [petitionId]);
    assert.equal(tally.verified, 0, "a GET does not confirm");

    const csrf = /name="_csrf" value="([^"]+)"/.exec(pageHtml)![1];
    const confirmed = await site.app.request(link, { method: "POST", body: new URLSearchParams({ _csrf: csrf }), headers: { cookie: visitor.cookie, "content-type": "application/x-www-form-urlencoded" } });
    assert.equal(confirmed.status, 200);
    assert.match(await confirmed.text(), /your signature is confirmed/);
    [tally] = await repo.tallies(site.db, [petitionId]);
    assert.deepEqual({ pending: tally.pending, verified: tally.verified }, { pending: 0, verified: 1 });

    // Again: already confirmed, counted once.
    const again = await site.app.request(link, { method: "POST", body: new URLSearchParams({ _csrf: csrf }), headers: { cookie: visitor.cookie, "content-type": "application/x-www-form-urlencoded" } });
    assert.match(await again.text(), /already confirmed/);
    [tally] = await repo.tallies(site.db, [petitionId]);
    assert.equal(tally.verified, 1);

    // The public list shows the name and ZIP (five digits) of this consenting signer.
    const listed = await (await site.app.request(`/petitions/${slug}`)).text();
    assert.match(listed, /Canary Signer-7731 <span class="zip">\(64106\)<\/span>/);
    assert.match(listed, /data-testid="verified-count">1</);
  });

  it("audits every signature, email and confirmation without personal data", async () => {
    const rows = await site.db.query<{ action: string; entry: string }>("SELECT action, entry FROM audit_log ORDER BY seq");
    const actions = rows.map((r) => r.action);
    assert.ok(actions.includes("petition.sign"));
    assert.ok(actions.includes("petition.confirm"));
    assert.ok(actions.includes("email.enqueue"));
    const all = rows.map((r) => r.entry).join("\n");
    for (const canary of ["Canary", "7731", "example.org", "64106"]) assert.ok(!all.includes(canary), `the audit log does not hold "${canary}"`);
    assert.equal((await verifyAuditLog(site.db)).ok, true);
  });

  it("sends the confirmation through the outbox to a real SMTP server, in the signer's language", async () => {
    const smtp = await startTestSmtp();
    const transport = createSmtpTransport(smtp.url);
    try {
      const visitor = await visit(site.app, slug, "198.51.100.77");
      const signed = await site.app.request(`/petitions/${slug}/sign?lang=es`, {
        method: "POST",
        body: new URLSearchParams({ _csrf: visitor.csrf, _form: visitor.form, name: "Lucía Smtp", email: "lucia.smtp@example.org", zip: "64108" }),
        headers: { cookie: visitor.cookie, "content-type": "application/x-www-form-urlencoded" },
      }, { incoming: { socket: { remoteAddress: "198.51.100.77" } } });
      assert.equal(signed.status, 200);
      assert.match(await signed.text(), /Revise su correo/);
      const result = await deliverBatch(site.db, transport, { from: "Oversight <no-reply@oversight.test>", limit: 50 });
      assert.ok(result.sent >= 1);
      const mail = (await smtp.waitForMessages(result.sent)).find((m) => m.rcptTo.includes("lucia.smtp@example.org"))!;
      assert.ok(mail, "the message reached the SMTP server");
      assert.equal(mail.headers.get("x-oversight-template"), "petition.confirm");
      const raw = mail.body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      const text = Buffer.from(raw, "latin1").toString("utf8");
      assert.match(text, /Hola, Lucía Smtp:/);
      const confirmed = await site.app.request(confirmLink(text), { method: "POST", body: new URLSearchParams({ _csrf: visitor.csrf }), headers: { cookie: visitor.cookie, "content-type": "application/x-www-form-urlencoded" } });
      assert.match(await confirmed.text(), /Gracias: su firma está confirmada/);
    } finally {
      transport.close();
      await smtp.close();
    }
  });

  it("a bad or forged confirmation link is refused", async () => {
    const bad = await site.app.request("/petitions/confirm/not-a-token");
    assert.equal(bad.status, 404);
    assert.match(await bad.text(), /not valid/);
    const forged = await site.app.request(`/petitions/confirm/${crypto.randomUUID()}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
    assert.equal(forged.status, 404);
  });

  it("names the fields that are wrong and keeps what was typed", async () => {
    const visitor = await visit(site.app, slug);
    const response = await sign(site.app, slug, visitor, { name: "Bea", email: "not an address", zip: "641" });
    assert.equal(response.status, 400);
    const html = await response.text();
    assert.match(html, /Your email address: one address/);
    assert.match(html, /ZIP code: 5 digits/);
    assert.doesNotMatch(html, /Your name: 1 to 100/);
    assert.match(html, /id="sign-email"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="sign-email"/);
    assert.match(html, /value="Bea"/);
  });

  it("refuses signatures before the petition opens and after it closes", async () => {
    const day = 86_400_000;
    const ids = {
      "closed-one": await makePetition(site.db, { slug: "closed-one", opensAt: new Date(Date.now() - 10 * day).toISOString(), closesAt: new Date(Date.now() - day).toISOString() }),
      "future-one": await makePetition(site.db, { slug: "future-one", opensAt: new Date(Date.now() + day).toISOString(), closesAt: null }),
    };
    for (const [which, pattern] of [["closed-one", /closed on/], ["future-one", /opens on/]] as const) {
      const page = await (await site.app.request(`/petitions/${which}`)).text();
      assert.doesNotMatch(page, /name="_form"/, "no form on a petition that is not open");
      // A page loaded while the petition was open still carries a valid token.
      const visitor = await visit(site.app, slug);
      const response = await sign(site.app, which, visitor, { email: `someone-${which}@example.org`, _form: formToken(TEST_SECRET, ids[which], visitor.csrf) });
      assert.equal(response.status, 409);
      assert.match(await response.text(), pattern);
    }
  });
});
