/**
 * Browser tests of the campaign, walked like people would: an organizer signs in
 * and records that the Board of Police Commissioners is acting on demand 1, with
 * evidence; the public scoreboard shows it. The organizer puts "terminate the
 * chief" to the board and records the roll call; the rules decide the motion and
 * the demand is met at the board. Then the same pages in Spanish on a phone, the
 * meetings chart, and the Atom feed parsed by the browser's own XML parser.
 * Every page visited gets an axe check and a screenshot
 * (test-results/screenshots/campaign-*.png).
 *
 * Needs the campaign mounted in src/app.tsx. Seeds the Kansas City facts itself
 * (idempotent, so it is harmless when the demo has loaded them already).
 *
 *   node --import tsx --test test/e2e/campaign.e2e.test.ts
 *   npx tsx scripts/with-postgres.ts node --import tsx --test test/e2e/campaign.e2e.test.ts
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { createUser } from "../../src/auth/service.js";
import { campaignEn, campaignEs, type CampaignKey } from "../../src/campaign/i18n.js";
import { seedKansasCity } from "../../src/campaign/service.js";
import { checkA11y, launchBrowser, screenshot, startTestSite, type TestSite } from "./harness.js";

const engine = process.env.DATABASE_URL ? "postgres" : "pglite";
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const ORGANIZER = { email: "organizer@campaign.test", password: "organizer password 1", name: "Campaign Organizer" };
const catalogs = { en: campaignEn as Record<CampaignKey, string>, es: campaignEs };
type Lang = keyof typeof catalogs;
const fill = (template: string, params: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));

describe(`the campaign in a browser (${engine})`, { timeout: 180_000 }, () => {
  let site: TestSite;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let organizer: Page;
  let motionPath = "";

  before(async () => {
    const [started, launched] = await Promise.allSettled([startTestSite(), launchBrowser()]);
    if (started.status === "fulfilled") site = started.value;
    if (launched.status === "fulfilled") browser = launched.value;
    if (started.status === "rejected") throw started.reason;
    if (launched.status === "rejected") throw launched.reason;
    await seedKansasCity(site.db);
    await createUser(site.db, { email: ORGANIZER.email, displayName: ORGANIZER.name, password: ORGANIZER.password, role: "organizer" }, "test");
  });

  after(async () => {
    await Promise.allSettled(contexts.map((context) => context.close()));
    await browser?.close();
    await site?.close();
  });

  async function newPage(options: BrowserContextOptions = {}): Promise<Page> {
    const context = await browser.newContext({ baseURL: site.url, viewport: DESKTOP, locale: "en-US", ...options });
    contexts.push(context);
    const page = await context.newPage();
    page.on("dialog", (dialog) => assert.fail(`unexpected dialog: ${dialog.message()}`));
    return page;
  }

  async function inspect(page: Page, name: string, { phone = false } = {}) {
    await checkA11y(page, `${name} (desktop)`);
    await screenshot(page, `campaign-${name}-desktop`);
    if (!phone) return;
    await page.setViewportSize(PHONE);
    await fitsPhone(page, name);
    await checkA11y(page, `${name} (phone)`);
    await screenshot(page, `campaign-${name}-phone`);
    await page.setViewportSize(DESKTOP);
  }

  /** Nothing widens the page past the phone's screen: wide tables scroll inside their own box. */
  async function fitsPhone(page: Page, name: string) {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `${name}: the page is ${width}px wide on a ${PHONE.width}px phone`);
  }

  /** The status words in a scoreboard cell: demand × target. */
  async function cell(page: Page, demand: string, target: string) {
    const td = page.locator(`tr[data-demand="${demand}"] td[data-target="${target}"]`);
    return { status: await td.getAttribute("data-status"), text: (await td.locator(".status").textContent())?.trim(), since: await td.locator("time").getAttribute("datetime") };
  }

  it("shows the public scoreboard: 14 demands and the petition's 6 against the officials who can act", async () => {
    const page = await newPage();
    const response = await page.goto("/campaign?lang=en");
    assert.equal(response?.status(), 200, "the campaign is mounted (see the wiring in the report)");
    assert.equal((await page.locator("h1").textContent())?.trim(), campaignEn["campaign.title"]);
    assert.equal(await page.locator("table.scoreboard").count(), 2);
    assert.equal(await page.locator('tr[data-demand^="kc-"]:not([data-demand^="kc-petition"])').count(), 14);
    assert.equal(await page.locator('tr[data-demand^="kc-petition-"]').count(), 6);
    assert.equal(await page.locator("ul.members li").count(), 7);
    const board = await cell(page, "kc-1", "board");
    assert.deepEqual(board, { status: "unmet", text: `○ ${campaignEn["campaign.status.unmet"]}`, since: "2021-04-22" });
    await inspect(page, "scoreboard", { phone: true });
  });

  it("lets an organizer record a status change with evidence, which then shows on the public scoreboard", async () => {
    organizer = await newPage();
    await organizer.goto("/login");
    await organizer.locator('main input[name="email"]').fill(ORGANIZER.email);
    await organizer.locator('main input[name="password"]').fill(ORGANIZER.password);
    await Promise.all([organizer.waitForURL(`${site.url}/`), organizer.locator('main button[type="submit"]').click()]);

    await organizer.goto("/campaign/demands/kc-1?lang=en");
    const form = organizer.locator("form[action^='/campaign/demands/kc-1/status']");
    await form.getByLabel(campaignEn["campaign.field.target"]).selectOption("board");
    await form.getByLabel(campaignEn["campaign.field.status"]).selectOption("in_progress");
    await form.getByLabel(campaignEn["campaign.field.occurredOn"]).fill("2021-05-06");
    await form.getByLabel(campaignEn["campaign.field.summary"]).fill("The board scheduled a closed session on the chief's employment <b>& contract</b>.");
    await form.getByLabel(campaignEn["campaign.field.evidenceUrl"]).fill("https://example.org/board-agenda-2021-05-06.pdf");
    await form.getByLabel(campaignEn["campaign.field.evidenceTitle"]).fill("Board agenda, 6 May 2021");
    await checkA11y(organizer, "demand 1 with the status form filled");
    await screenshot(organizer, "campaign-demand-form-desktop");
    await Promise.all([organizer.waitForURL(/recorded=1/), form.getByRole("button", { name: campaignEn["campaign.submitStatus"] }).click()]);
    assert.equal((await organizer.locator("[role=status]").textContent())?.trim(), campaignEn["campaign.recorded"]);
    const latest = organizer.locator("ol.timeline > li").first();
    assert.equal(await latest.getAttribute("data-kind"), "status");
    assert.match((await latest.textContent()) ?? "", new RegExp(fill(campaignEn["campaign.event.status"], { from: campaignEn["campaign.status.unmet"], to: campaignEn["campaign.status.in_progress"] })));
    assert.match((await latest.textContent()) ?? "", /<b>& contract<\/b>/, "the summary is shown as text, not markup");
    assert.equal(await latest.locator("a[href='https://example.org/board-agenda-2021-05-06.pdf']").count(), 1);
    await inspect(organizer, "demand-recorded", { phone: true });

    const visitor = await newPage();
    await visitor.goto("/campaign?lang=en");
    assert.deepEqual(await cell(visitor, "kc-1", "board"), { status: "in_progress", text: `◔ ${campaignEn["campaign.status.in_progress"]}`, since: "2021-05-06" });
    assert.equal((await visitor.locator('tr[data-target="board"] td[data-status="in_progress"]').textContent())?.trim(), "1", "the who-has-acted table counts it");
    await screenshot(visitor, "campaign-scoreboard-after-change-desktop");
  });

  it("decides a motion by roll call: terminate the chief passes 3–1 and demand 1 is met at the board", async () => {
    await organizer.goto("/campaign/votes?lang=en");
    const form = organizer.locator("form[action^='/campaign/votes']");
    await form.getByLabel(campaignEn["campaign.field.title"], { exact: true }).fill("Terminate the employment of the chief of police");
    await form.getByLabel(campaignEn["campaign.field.titleEs"]).fill("Poner fin al empleo del jefe de policía");
    await form.getByLabel(campaignEn["campaign.field.movedOn"]).fill("2021-06-10");
    await form.getByLabel(campaignEn["campaign.field.threshold"]).selectOption("majority_membership");
    await form.getByLabel(campaignEn["campaign.field.demand"]).selectOption("kc-1");
    await form.getByLabel(campaignEn["campaign.field.ifPass"]).selectOption("met");
    await inspect(organizer, "votes-form");
    await Promise.all([organizer.waitForURL(/\/campaign\/votes\/[0-9a-f-]{36}/), form.getByRole("button", { name: campaignEn["campaign.submitMotion"] }).click()]);
    motionPath = new URL(organizer.url()).pathname;
    assert.equal((await organizer.locator("#motion-result").textContent())?.trim(), campaignEn["campaign.result.pending"]);

    const rollCall = organizer.locator("form[action*='/roll-call']");
    await rollCall.getByLabel(campaignEn["campaign.field.decidedOn"]).fill("2021-06-10");
    const votes = ["yes", "yes", "yes", "no", "absent"];
    for (const [i, vote] of votes.entries()) await rollCall.locator(`select[name="vote_${i + 1}"]`).selectOption(vote);
    await checkA11y(organizer, "roll-call form filled");
    await Promise.all([organizer.waitForURL(/recorded=1/), rollCall.getByRole("button", { name: campaignEn["campaign.submitRollCall"] }).click()]);
    assert.equal((await organizer.locator("#motion-result").textContent())?.trim(), campaignEn["campaign.result.passed"]);
    assert.equal((await organizer.locator("#motion-explanation").textContent())?.trim(), fill(campaignEn["campaign.explain.decided"], {
      yes: 3, no: 1, needed: 3, threshold: campaignEn["campaign.threshold.majority_membership"].toLowerCase(), present: 4, quorum: 3,
    }));
    assert.deepEqual(await organizer.locator("#roll-call-table tbody tr").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-vote"))), votes);
    await inspect(organizer, "motion-decided", { phone: true });

    const visitor = await newPage();
    await visitor.goto("/campaign?lang=en");
    assert.deepEqual(await cell(visitor, "kc-1", "board"), { status: "met", text: `● ${campaignEn["campaign.status.met"]}`, since: "2021-06-10" });
    await visitor.goto("/campaign/demands/kc-1?lang=en");
    assert.equal(await visitor.locator("ol.timeline > li").first().getAttribute("data-kind"), "vote");
    assert.equal(await visitor.locator(`a[href^="${motionPath}"]`).count() > 0, true, "the history links the vote");
    assert.equal(await visitor.locator("form[action*='/status']").count(), 0, "the public sees no form");
    await inspect(visitor, "demand-after-vote");
  });

  it("speaks Spanish: scoreboard, motion and meetings with the promised-vs-held chart, on a phone", async () => {
    const page = await newPage({ locale: "es-MX", viewport: PHONE });
    await page.goto("/campaign");
    assert.equal(await page.locator("html").getAttribute("lang"), "es");
    assert.equal((await page.locator("h1").textContent())?.trim(), campaignEs["campaign.title"]);
    assert.match((await page.locator('tr[data-demand="kc-1"] th').textContent()) ?? "", /Destituir al jefe de policía Rick Smith\./);
    assert.equal((await page.locator('tr[data-demand="kc-1"] td[data-target="board"] .status').textContent())?.trim(), `● ${campaignEs["campaign.status.met"]}`);
    await fitsPhone(page, "scoreboard (es)");
    await checkA11y(page, "scoreboard (es, phone)");
    await screenshot(page, "campaign-scoreboard-es-phone");

    await page.goto(motionPath);
    assert.equal((await page.locator("h1").textContent())?.trim(), "Poner fin al empleo del jefe de policía");
    assert.equal((await page.locator("#motion-result").textContent())?.trim(), campaignEs["campaign.result.passed"]);
    await checkA11y(page, "motion (es, phone)");
    await screenshot(page, "campaign-motion-es-phone");

    await page.goto("/campaign/meetings");
    const chart = page.locator('.chart[role="img"]');
    assert.equal(await chart.count(), 1);
    assert.match((await chart.getAttribute("aria-label")) ?? "", new RegExp(campaignEs["campaign.promisedVsHeld"]));
    const april = page.locator('tr[data-month="2021-04"] td');
    assert.deepEqual(await april.allTextContents(), ["1", "0", "1", "0", "0"], "April 2021: one promised, none held, one skipped");
    assert.match((await page.locator("#meetings-table").textContent()) ?? "", new RegExp(campaignEs["campaign.meeting.skipped"]));
    await fitsPhone(page, "meetings (es)");
    await checkA11y(page, "meetings (es, phone)");
    await screenshot(page, "campaign-meetings-es-phone");
    await page.setViewportSize(DESKTOP);
    await screenshot(page, "campaign-meetings-es-desktop");
  });

  it("serves an Atom feed the browser's XML parser accepts, newest change first", async () => {
    const page = await newPage();
    for (const lang of ["en", "es"] as Lang[]) {
      await page.goto("/campaign?lang=en");
      const result = await page.evaluate(async (path) => {
        const text = await (await fetch(path)).text();
        const doc = new DOMParser().parseFromString(text, "application/xml");
        const error = doc.getElementsByTagName("parsererror")[0];
        const ns = "http://www.w3.org/2005/Atom";
        const entries = doc.getElementsByTagNameNS(ns, "entry");
        return {
          error: error?.textContent ?? null,
          root: doc.documentElement.namespaceURI + " " + doc.documentElement.localName,
          entries: entries.length,
          firstTitle: entries[0]?.getElementsByTagNameNS(ns, "title")[0]?.textContent ?? "",
          secondContent: entries[1]?.getElementsByTagNameNS(ns, "content")[0]?.textContent ?? "",
        };
      }, `/campaign/feed.atom?lang=${lang}`);
      assert.equal(result.error, null, `the ${lang} feed is well-formed`);
      assert.equal(result.root, "http://www.w3.org/2005/Atom feed");
      assert.ok(result.entries > 20);
      assert.match(result.firstTitle, new RegExp(fill(catalogs[lang]["campaign.event.voteChanged"], { from: catalogs[lang]["campaign.status.in_progress"], to: catalogs[lang]["campaign.status.met"] })));
      assert.match(result.secondContent, /<b>& contract<\/b>/, "the organizer's text arrives intact");
    }
  });
});
