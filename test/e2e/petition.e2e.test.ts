/**
 * Browser test: sign the Kansas City petition on a phone-sized and a desktop
 * page, receive the confirmation email on a real SMTP server on loopback, open
 * its link, confirm, and watch the live count move on another page without
 * reloading it. axe on every page; screenshots in test-results/screenshots.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { loadConfig } from "../../src/config.js";
import { startTestSmtp, type ReceivedMail, type TestSmtp } from "../../src/outbox/test-smtp.js";
import { startPetitionSite, type PetitionSite } from "../../src/campaign/petitions/standalone.js";
import { checkA11y, createThrowawayDatabase, launchBrowser, screenshot, type ThrowawayDatabase } from "./harness.js";

const SLUG = "kc-chief-resignation";
const engine = process.env.DATABASE_URL ? "postgres" : "pglite";

/** The text body of a received message, undoing quoted-printable (nodemailer wraps long lines). */
function textOf(mail: ReceivedMail): string {
  if (!/quoted-printable/i.test(mail.headers.get("content-transfer-encoding") ?? "")) return mail.body;
  const bytes = mail.body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}

describe(`petition in the browser: sign, confirm by email, live count (${engine})`, () => {
  let smtp: TestSmtp;
  let site: PetitionSite;
  let browser: Browser;
  let dataDir: string;
  let database: ThrowawayDatabase | undefined;

  before(async () => {
    smtp = await startTestSmtp();
    dataDir = await mkdtemp(join(tmpdir(), "oversight-e2e-petition-"));
    if (process.env.DATABASE_URL) database = await createThrowawayDatabase(process.env.DATABASE_URL);
    // The demo administrator signs in with a password only.
    const env: NodeJS.ProcessEnv = {
      OVERSIGHT_ADMIN_TWO_FACTOR: "optional", ...process.env, DATABASE_URL: database?.url ?? "", LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
      SMTP_URL: smtp.url, EMAIL_FROM: "Oversight <no-reply@oversight.test>", OUTBOX_INTERVAL_MS: "200",
    };
    site = await startPetitionSite(loadConfig({ dataDir, port: 0 }, env), { seed: true, demo: true, settings: { liveIntervalMs: 500 } });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await smtp?.close();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("signs on a phone, confirms from the email, and the live count moves on another page", async () => {
    // A watcher keeps the petition open on a desktop page the whole time.
    const watcher = await browser.newPage({ baseURL: site.url, viewport: { width: 1280, height: 900 } });
    await watcher.goto(`/petitions/${SLUG}?lang=en`);
    await watcher.waitForSelector(".count-box.is-live");
    assert.equal(await watcher.textContent('[data-testid="verified-count"]'), "0");
    assert.equal(await watcher.textContent('[data-testid="pending-count"]'), "0");
    await checkA11y(watcher, "petition (desktop)");
    await screenshot(watcher, "petition-desktop");

    // The signer, on a phone.
    const phone = await browser.newContext({ baseURL: site.url, viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    const signer = await phone.newPage();
    await signer.goto(`/petitions/${SLUG}?lang=en`);
    await checkA11y(signer, "petition (phone)");
    await screenshot(signer, "petition-phone");
    // Submitting with a bad ZIP first: the field is named and the rest is kept.
    await signer.click("a.sign-jump");
    await signer.fill("#sign-name", "Rosa Parker");
    await signer.fill("#sign-email", "rosa.parker@example.org");
    await signer.fill("#sign-zip", "641");
    await signer.evaluate(() => document.querySelector<HTMLFormElement>(".sign-form")!.setAttribute("novalidate", ""));
    await signer.click(".sign-form button[type=submit]");
    await signer.waitForSelector("#zip-error");
    assert.equal(await signer.inputValue("#sign-email"), "rosa.parker@example.org");
    await checkA11y(signer, "petition form with an error (phone)");
    await screenshot(signer, "petition-phone-error");
    await signer.fill("#sign-zip", "64108");
    await signer.check("input[name=show_publicly]");
    await signer.click(".sign-form button[type=submit]");
    await signer.waitForSelector('[data-testid="signed"]');
    assert.match(await signer.textContent("main") ?? "", /We sent a link to rosa\.parker@example\.org/);
    await checkA11y(signer, "signed (phone)");
    await screenshot(signer, "petition-phone-signed");

    // The watcher's page counts the pending signature without a reload.
    await watcher.waitForFunction(() => document.querySelector('[data-testid="pending-count"]')?.textContent === "1", undefined, { timeout: 10_000 });
    assert.equal(await watcher.textContent('[data-testid="verified-count"]'), "0");

    // The email arrives at the SMTP server on loopback, through the outbox.
    const [mail] = await smtp.waitForMessages(1);
    assert.deepEqual(mail.rcptTo, ["rosa.parker@example.org"]);
    assert.match(mail.headers.get("subject") ?? "", /Confirm your signature/);
    const text = textOf(mail);
    const link = /(http:\/\/localhost:\d+\/petitions\/confirm\/\S+)/.exec(text)?.[1];
    assert.ok(link, `a confirmation link in:\n${text}`);

    await signer.goto(link);
    await checkA11y(signer, "confirm (phone)");
    await screenshot(signer, "petition-phone-confirm");
    await signer.click("button.big-button");
    await signer.waitForSelector('[data-testid="confirmed"]');
    await checkA11y(signer, "confirmed (phone)");
    await screenshot(signer, "petition-phone-confirmed");

    // The live count moves on the watcher's page: one verified, none pending.
    await watcher.waitForFunction(() => document.querySelector('[data-testid="verified-count"]')?.textContent === "1", undefined, { timeout: 10_000 });
    assert.equal(await watcher.textContent('[data-testid="pending-count"]'), "0");
    assert.equal(await watcher.getAttribute('progress[data-count="progress"]', "aria-label"), "1 of 7,500 verified signatures");
    assert.match(await watcher.textContent(".count-main") ?? "", /1 verified signature$/);
    assert.match(await watcher.textContent(".thresholds") ?? "", /Not yet: 7,499 to go/);
    await screenshot(watcher, "petition-desktop-live");
    // The signer agreed to be listed: name and ZIP appear on the page once its data is
    // read again (a page's data is reused for up to a second during a surge).
    for (let i = 0; i < 20 && !/Rosa Parker/.test(await watcher.textContent(".signers") ?? ""); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      await watcher.reload();
    }
    assert.match(await watcher.textContent(".signers") ?? "", /Rosa Parker \(64108\)/);
    await phone.close();
    await watcher.close();
  });

  it("works in Spanish and without JavaScript (the count is served, with a refresh link)", async () => {
    const context = await browser.newContext({ baseURL: site.url, javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`/petitions/${SLUG}?lang=es`);
    assert.equal(await page.getAttribute("html", "lang"), "es");
    assert.match(await page.textContent("h1") ?? "", /Exijan la renuncia/);
    assert.equal(await page.textContent('[data-testid="verified-count"]'), "1");
    assert.ok(await page.isVisible("a.refresh"), "the refresh link is shown without scripts");
    await screenshot(page, "petition-phone-es-nojs");
    await context.close();
    const list = await browser.newPage({ baseURL: site.url });
    await list.goto("/petitions?lang=es");
    await checkA11y(list, "petitions list (es)");
    await screenshot(list, "petitions-list-es");
    await list.close();
  });

  it("lets an organizer add paper signatures, see refusals and download the verified list", async () => {
    const context = await browser.newContext({ baseURL: site.url, viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto("/login?lang=en");
    await page.fill("input[name=email]", site.demoAdmin!.email);
    await page.fill("input[name=password]", site.demoAdmin!.password);
    await page.click("main button[type=submit]");
    await page.goto(`/petitions/${SLUG}/manage?lang=en`);
    await checkA11y(page, "manage petition");
    // A sheet with one bad row: nothing is added and the row is named.
    await page.setInputFiles("#paper-file", { name: "paper.csv", mimeType: "text/csv", buffer: Buffer.from("name,zip,signed_on\nAmara Stone,64110,2021-04-20\nBad Zip,641,\n") });
    await page.click("#paper-file ~ button");
    await page.waitForSelector(".problems");
    assert.match(await page.textContent(".problems") ?? "", /line 3: zip must be a 5-digit ZIP code/);
    await checkA11y(page, "manage petition with problems");
    await screenshot(page, "petition-manage-problems");
    await page.setInputFiles("#paper-file", { name: "paper.csv", mimeType: "text/csv", buffer: Buffer.from("name,zip,signed_on,show_publicly\nAmara Stone,64110,2021-04-20,yes\nBen Okafor,64127,2021-04-20,no\n") });
    await page.click("#paper-file ~ button");
    await page.waitForSelector(".notice");
    assert.match(await page.textContent(".notice") ?? "", /2 paper signatures added/);
    assert.match(await page.textContent(".stats") ?? "", /3 verified signatures/);
    await screenshot(page, "petition-manage");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("a[href$='export.csv']")]);
    const csv = await (await download.createReadStream()).toArray();
    const text = Buffer.concat(csv as Buffer[]).toString("utf8");
    assert.match(text, /^signature_id,name,zip,source,signed_at,verified_at\r\n/);
    assert.match(text, /Rosa Parker,64108,online/);
    assert.match(text, /Amara Stone,64110,paper/);
    assert.doesNotMatch(text, /@/);
    await page.goto("/petitions/new?lang=es");
    await checkA11y(page, "new petition (es)");
    await context.close();
  });
});
