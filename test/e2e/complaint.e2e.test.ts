/**
 * Browser test of the complaints office, from a phone to a public record.
 *
 * A complainant files in Spanish on a phone-sized screen, keeps the case number
 * and receipt, opens the case with the receipt typed with spaces and adds
 * information. Staff, each in their own browser and signed in through /login,
 * move the case through every state to a board vote: intake finds it on the
 * deadline dashboard (acknowledged by email on filing, since the complainant
 * allowed contact), records first contact, writes to the complainant, tries
 * moves the rules forbid and routes the force allegation to investigation; the
 * investigator sends it to the board; the admin sets a panel of three; the board
 * members vote (one of them in Spanish, one recuses); the admin records the
 * department's lighter decision and closes the case, which publishes the open
 * record. Between staff steps the complainant
 * reloads their page and sees the state in Spanish and the office's message,
 * never staff notes or votes. The published record shows the findings and the
 * weaker-than-recommended mark, and none of what identifies the complainant.
 *
 * Every page visited gets an axe check (no serious/critical violation), a check
 * for sideways scrolling and a screenshot: test-results/screenshots/
 * complaint-NN-*.png, numbered in order. Problems found are todo tests at the end.
 *
 *   node --import tsx --test test/e2e/complaint.e2e.test.ts
 *   npx tsx scripts/with-postgres.ts node --import tsx --test test/e2e/complaint.e2e.test.ts
 *
 * Expected texts come from the message catalogs and the workflow's own rules.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContextOptions, Locator, Page, Response } from "playwright-core";
import { createUser } from "../../src/auth/service.js";
import { BOARD_VOTES, DEFAULT_DISCIPLINE_MATRIX, type BoardVote } from "../../src/cases/board.js";
import { checkTransition, type CaseFacts, type CaseState } from "../../src/cases/workflow.js";
import { en, es, type MessageKey } from "../../src/web/i18n/index.js";
import { checkA11y, launchBrowser, screenshot, startTestSite, type TestSite, PageOpener } from "./harness.js";
import { openText } from "../../src/db/data-key.js";

const engine = process.env.DATABASE_URL ? "postgres" : "pglite";
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
type Catalog = Record<MessageKey, string>;
const catalogs = { en, es } as const satisfies Record<string, Catalog>;
type Lang = keyof typeof catalogs;
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/** The complainant's phone: Spanish browser, touch, the size of a common handset. */
const PHONE_ES: BrowserContextOptions = { viewport: PHONE, locale: "es-ES", isMobile: true, hasTouch: true };

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const addDays = (day: string, days: number) => isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000));
const INCIDENT_DATE = addDays(isoDay(new Date()), -10);

/**
 * What the complainant types. Each identifying value carries a canary so its
 * absence from staff-only and public pages can be checked exactly.
 */
const FILED = {
  narrative: "El agente me empujó contra la patrulla y me insultó delante de mi hija. Relato-canario-N7731.",
  date: INCIDENT_DATE,
  time: "21:30",
  location: "Calle Canario 1234, esquina con Avenida Privada",
  district: "Distrito 3",
  badge: "4471",
  officerDescription: "Alto, bigote, gorra azul",
  witnessName: "Rosa Testigo-Canario",
  witnessContact: "rosa.testigo.canario@example.org",
  name: "Valentina Canario-Ruiz",
  email: "valentina.canario7731@example.org",
  phone: "816-555-0147",
  address: "Apartado 7731, Ciudad Canario",
  info: "Un vecino grabó un video desde su ventana. Info-canario-Q5520.",
};
/** What identifies the complainant: none of it may reach a public page or answer. */
const IDENTIFYING = [FILED.narrative, "Relato-canario", FILED.location, "Calle Canario", FILED.witnessName, FILED.witnessContact, FILED.name, FILED.email, FILED.phone, FILED.address, FILED.info, "Info-canario"];

/** What the office writes: one message for the complainant, notes that are for staff only. */
const OFFICE_MESSAGE = "Recibimos su queja. Una investigadora se comunicará con usted esta semana.";
const STAFF_NOTE = "Staff only: badge 4471 has two earlier force complaints (note-canary-S1).";
const TRANSITION_NOTE = "Force alleged: full investigation by the office (note-canary-S2).";
const REVIEW_NOTE = "Video obtained from the neighbour (note-canary-S3).";
const STAFF_ONLY = [STAFF_NOTE, "note-canary-S1", TRANSITION_NOTE, "note-canary-S2", REVIEW_NOTE, "note-canary-S3"];

const PASSWORD = "e2e-staff-password-2024";
const STAFF = {
  intake: { email: "intake@e2e.oversight.test", displayName: "Irene Intake", password: PASSWORD, role: "intake" },
  investigator: { email: "investigator@e2e.oversight.test", displayName: "Iván Investigator", password: PASSWORD, role: "investigator" },
  board: [
    { email: "board1@e2e.oversight.test", displayName: "Bea Board", password: PASSWORD, role: "board_member" },
    { email: "board2@e2e.oversight.test", displayName: "Bruno Junta", password: PASSWORD, role: "board_member" },
    { email: "board3@e2e.oversight.test", displayName: "Beth Recusal", password: PASSWORD, role: "board_member" },
  ],
} as const;
const ADMIN_NAME = "Demo administrator";
const STAFF_NAMES = [STAFF.intake.displayName, STAFF.investigator.displayName, ...STAFF.board.map((member) => member.displayName), ADMIN_NAME];

/** The department's decision on the force allegation: sustained, with a lighter penalty than the board's matrix. */
const IMPOSED_PENALTY = "100 - REPRIMAND";
const RECOMMENDED_PENALTY = DEFAULT_DISCIPLINE_MATRIX.excessive_force;

/** Words that would betray a vote, a finding or a penalty on the complainant's page. */
const DECISION_WORDS = [...BOARD_VOTES, ...(["sustained", "not_sustained", "exonerated", "unfounded"] as const).flatMap((f) => [en[`finding.${f}`], es[`finding.${f}`]]), RECOMMENDED_PENALTY, IMPOSED_PENALTY, en["staff.recuse"], es["staff.recuse"]];

/** The refusal the workflow gives for a move, computed by the workflow itself for a case with a force allegation. */
function refusal(from: CaseState, to: CaseState, facts: Partial<CaseFacts> = {}): string {
  const check = checkTransition(from, to, { hasForce: true, hasCriminal: false, prosecutorReferred: false, boardDecidedAll: false, finalRecordedAll: false, ...facts });
  assert.ok(!check.ok, `the workflow refuses ${from} → ${to}`);
  return check.reason;
}

const text = async (scope: Page | Locator, selector: string) => (await scope.locator(selector).first().textContent())?.trim() ?? "";
const squash = (value: string) => value.replace(/\s+/g, " ").trim();

describe(`a complaint from a phone to a public record (${engine})`, { timeout: 180_000 }, () => {
  let site: TestSite;
  let browser: Browser;
  const pages = new PageOpener(() => browser, () => site.url, { viewport: DESKTOP, locale: "en-US" });
  const ids: { board: string[] } = { board: [] };
  let shot = 0;

  /** What the story has established so far; each step checks what it needs. */
  const story: { caseNumber?: string; receipt?: string; receiptLines?: number; caseUrl?: string; allegations?: Record<"excessive_force" | "discourtesy", string>; published?: string } = {};
  let complainant: Page;
  const staffPages = new Map<string, Page>();

  before(async () => {
    const [started, launched] = await Promise.allSettled([startTestSite(), launchBrowser()]);
    if (started.status === "fulfilled") site = started.value;
    if (launched.status === "fulfilled") browser = launched.value;
    if (started.status === "rejected") throw started.reason;
    if (launched.status === "rejected") throw launched.reason;
    // The demo has an administrator; the office's other roles are created here, as an admin would.
    await createUser(site.db, STAFF.intake, "system");
    await createUser(site.db, STAFF.investigator, "system");
    for (const member of STAFF.board) ids.board.push(await createUser(site.db, member, "system"));
  });

  after(async () => {
    await pages.close();
    await browser?.close();
    await site?.close();
  });

  /** axe (no serious/critical) and a numbered full-page screenshot; on a phone, no sideways scrolling either. */
  async function inspect(page: Page, name: string): Promise<void> {
    shot += 1;
    assert.deepEqual(pages.problems, [], "no dialog and no script error so far");
    await checkA11y(page, name);
    await screenshot(page, `complaint-${String(shot).padStart(2, "0")}-${name}`);
    const width = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    assert.ok(width.page <= width.viewport, `${name}: no sideways scrolling (page ${width.page}px wide, viewport ${width.viewport}px)`);
  }

  /** Waits for a navigation's response and checks its status. */
  async function landed(page: Page, response: Promise<Response | null> | Response | null, what: string, status = 200): Promise<Response> {
    const answer = await response;
    assert.ok(answer, `${what}: a navigation happened`);
    assert.equal(answer.status(), status, `${what} answers ${status} (${answer.url()})`);
    await page.waitForLoadState();
    return answer;
  }

  /**
   * Clicks a form's submit button like a person and checks the POST's status:
   * 303 for an accepted action (then the page it leads to must answer 200), or
   * the refusal's status, whose page is then shown.
   */
  async function submit(page: Page, button: Locator, status: number, what: string): Promise<{ posted: Response; shown: Response }> {
    const action = new URL(await button.evaluate((element) => (element as HTMLButtonElement).form?.action ?? ""));
    const posted = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === action.pathname);
    const navigated = page.waitForNavigation();
    await button.click();
    const response = await posted;
    assert.equal(response.status(), status, `${what}: POST ${action.pathname} answers ${status}`);
    const shown = await landed(page, navigated, `${what}: the page after`, status === 303 ? 200 : status);
    return { posted: response, shown };
  }

  /** Signs in through /login in the page's language. */
  async function signIn(page: Page, who: { email: string; password: string }, lang: Lang = "en"): Promise<void> {
    const t = catalogs[lang];
    await landed(page, page.goto("/login"), "the sign-in page");
    assert.equal(await page.locator("html").getAttribute("lang"), lang);
    await page.getByLabel(t["auth.email"], { exact: true }).fill(who.email);
    await page.getByLabel(t["auth.password"], { exact: true }).fill(who.password);
    await submit(page, page.locator("main").getByRole("button", { name: t["auth.submit"] }), 303, `sign in as ${who.email}`);
    assert.equal(new URL(page.url()).pathname, "/", "signing in leads home");
  }

  /** One staff member's own browser (desktop), signed in once and kept for the story. */
  async function staffPage(key: string, who: { email: string; password: string }, lang: Lang = "en"): Promise<Page> {
    let page = staffPages.get(key);
    if (!page) {
      page = await pages.newPage(lang === "es" ? { locale: "es-ES" } : {});
      await signIn(page, who, lang);
      staffPages.set(key, page);
    }
    return page;
  }

  /** Opens the case from the staff dashboard's link, as staff would. */
  async function openCase(page: Page, lang: Lang = "en"): Promise<void> {
    const t = catalogs[lang];
    assert.ok(story.caseNumber && story.caseUrl, "the case was filed and found");
    const dashboard = await landed(page, page.goto("/staff/cases"), "the staff dashboard");
    assert.equal(dashboard.headers()["cache-control"], "no-store", "staff pages are never stored");
    await landed(page, Promise.all([page.waitForNavigation(), page.locator("main table").getByRole("link", { name: story.caseNumber, exact: true }).click()]).then(([r]) => r), "the case from the dashboard");
    assert.equal(new URL(page.url()).pathname, story.caseUrl);
    assert.equal(await text(page, "main h1"), t["staff.caseTitle"].replace("{number}", story.caseNumber));
  }

  const stateShown = (page: Page) => text(page, 'main [data-testid="state"]');

  /** Moves the case with the transition form, choosing the state by its label as staff would. */
  async function move(page: Page, to: CaseState, { note = "", status = 303 }: { note?: string; status?: number } = {}): Promise<void> {
    const form = page.locator('main form[action$="/transition"]');
    await form.getByLabel(en["staff.moveTo"]).selectOption({ label: en[`state.${to}` as MessageKey] });
    if (note) await form.getByLabel(en["staff.note"]).fill(note);
    await submit(page, form.getByRole("button", { name: en["staff.move"] }), status, `move to ${to}`);
    if (status === 303) assert.equal(await stateShown(page), en[`state.${to}` as MessageKey], `the case is now "${to}"`);
  }

  /** One allegation's block on a staff case page, found by its category's label. */
  const allegationBlock = (page: Page, category: "excessive_force" | "discourtesy", lang: Lang = "en") =>
    page.locator("main article.allegation").filter({ has: page.locator("h3", { hasText: catalogs[lang][`cases.category.${category}`] }) });

  /** The clock list on a staff case page, as {label: status class}. */
  async function clocks(page: Page): Promise<Record<string, string>> {
    return page.locator('main section[aria-labelledby="clocks"] li').evaluateAll((items) =>
      Object.fromEntries(items.map((li) => [li.textContent?.split(":")[0]?.trim() ?? "", [...li.classList].filter((c) => c !== "deadline").join(" ")])));
  }

  /**
   * The complainant reloads their status page: it is in Spanish, shows the state
   * expected, and never a staff note, a staff member, a vote or a finding.
   */
  async function complainantSees(state: CaseState, name: string): Promise<string[]> {
    const response = await landed(complainant, complainant.goto("/complaints/status"), `the complainant's page (${state})`);
    assert.equal(response.headers()["cache-control"], "no-store", "the complainant's page is never stored");
    assert.equal(await complainant.locator("html").getAttribute("lang"), "es");
    assert.equal(await text(complainant, "main h1"), `${es["cases.caseNumber"]} ${story.caseNumber}`);
    assert.equal(await stateShown(complainant), es[`state.${state}` as MessageKey], `the complainant reads the state "${state}" in Spanish`);
    const history = (await complainant.locator("main ol.history li").allTextContents()).map(squash);
    const everything = await complainant.locator("body").innerText();
    for (const secret of [...STAFF_ONLY, ...STAFF_NAMES, ...DECISION_WORDS]) {
      assert.ok(!everything.includes(secret), `the complainant's page never shows "${secret}"`);
    }
    await inspect(complainant, `status-${name}-es-phone`);
    return history;
  }

  it("files a complaint in Spanish on a phone and gets a case number and a receipt", async () => {
    complainant = await pages.newPage(PHONE_ES);
    await landed(complainant, complainant.goto("/"), "the home page from a Spanish phone");
    assert.equal(await complainant.locator("html").getAttribute("lang"), "es");
    assert.equal(await text(complainant, "main h1"), es["home.title"]);
    await inspect(complainant, "home-es-phone");

    const link = complainant.locator("header nav").getByRole("link", { name: es["nav.fileComplaint"], exact: true });
    const opened = await landed(complainant, Promise.all([complainant.waitForNavigation(), link.click()]).then(([r]) => r), "the header's complaint link");
    assert.equal(new URL(complainant.url()).pathname, "/complaints/new");
    assert.equal(opened.headers()["cache-control"], "no-store", "the intake page is never stored");
    assert.equal(await complainant.locator("html").getAttribute("lang"), "es");
    assert.equal(await text(complainant, "main h1"), es["cases.fileTitle"]);
    await inspect(complainant, "intake-empty-es-phone");

    const form = complainant.locator("main form.intake");
    await form.getByLabel(es["cases.whatHappened"]).fill(FILED.narrative);
    await form.getByLabel(es["cases.when"], { exact: true }).fill(FILED.date);
    await form.getByLabel(es["cases.time"], { exact: true }).fill(FILED.time);
    await form.getByLabel(es["cases.where"], { exact: true }).fill(FILED.location);
    await form.getByLabel(es["cases.district"], { exact: true }).fill(FILED.district);
    const kinds = form.getByRole("group", { name: es["cases.kind"] });
    await kinds.getByRole("checkbox", { name: es["cases.category.excessive_force"] }).check();
    await kinds.getByRole("checkbox", { name: es["cases.category.discourtesy"] }).check();
    const officer = form.getByRole("group", { name: es["cases.officer"].replace("{n}", "1"), exact: true });
    await officer.getByLabel(es["cases.officerBadge"], { exact: true }).fill(FILED.badge);
    await officer.getByLabel(es["cases.officerDescription"], { exact: true }).fill(FILED.officerDescription);
    const witnesses = form.getByRole("group", { name: es["cases.witnesses"], exact: true });
    await witnesses.getByLabel(es["cases.witnessName"], { exact: true }).fill(FILED.witnessName);
    await witnesses.getByLabel(es["cases.witnessContact"], { exact: true }).fill(FILED.witnessContact);
    const aboutYou = form.getByRole("group", { name: es["cases.aboutYou"], exact: true });
    await aboutYou.getByLabel(es["cases.yourName"], { exact: true }).fill(FILED.name);
    await aboutYou.getByLabel(es["cases.email"], { exact: true }).fill(FILED.email);
    await aboutYou.getByLabel(es["cases.phone"], { exact: true }).fill(FILED.phone);
    await aboutYou.getByLabel(es["cases.address"], { exact: true }).fill(FILED.address);
    await aboutYou.getByRole("checkbox", { name: es["cases.contactOk"] }).check();
    assert.equal(await aboutYou.getByRole("checkbox", { name: es["cases.anonymous"] }).isChecked(), false);
    await inspect(complainant, "intake-filled-es-phone");

    const { posted } = await submit(complainant, form.getByRole("button", { name: es["cases.submit"] }), 200, "filing the complaint");
    assert.equal(posted.headers()["cache-control"], "no-store", "the page with the receipt is never stored");
    assert.equal(await complainant.locator("html").getAttribute("lang"), "es");
    assert.equal(await text(complainant, "main h1"), es["cases.filedTitle"]);
    const caseNumber = await text(complainant, '[data-testid="case-number"]');
    const receipt = await text(complainant, '[data-testid="receipt"]');
    assert.match(caseNumber, /^OV-\d{4}-\d{6}$/, "a case number");
    assert.match(receipt, /^\d{4}(-\d{4})+$/, "the receipt, printed in groups of four");
    assert.ok(receipt.replace(/\D/g, "").length >= 16, `the receipt has at least 16 digits (${receipt})`);
    const labels = (await complainant.locator("main dl.receipt dt").allTextContents()).map(squash);
    assert.deepEqual(labels, [es["cases.caseNumber"], es["cases.receipt"]]);
    story.caseNumber = caseNumber;
    story.receipt = receipt;
    // Lines the receipt takes on this phone (checked by a todo test below).
    story.receiptLines = await complainant.locator('[data-testid="receipt"]').evaluate((element) => new Set([...element.getClientRects()].map((rect) => Math.round(rect.top))).size);
    await inspect(complainant, "filed-receipt-es-phone");
  });

  it("opens the case with the receipt typed with spaces, and adds information", async () => {
    assert.ok(story.caseNumber && story.receipt, "the complaint was filed");
    const follow = complainant.getByRole("link", { name: es["cases.followLink"], exact: true });
    const lookup = await landed(complainant, Promise.all([complainant.waitForNavigation(), follow.click()]).then(([r]) => r), "the follow-your-case link");
    assert.equal(new URL(complainant.url()).pathname, "/complaints/status");
    assert.equal(lookup.headers()["cache-control"], "no-store");
    assert.equal(await text(complainant, "main h1"), es["cases.statusTitle"]);
    await inspect(complainant, "lookup-es-phone");

    const form = complainant.locator("main form.form-stack");
    const digits = story.receipt.replace(/\D/g, "");
    // A wrong receipt first: the same generic answer whether or not the case exists.
    const wrong = digits.slice(0, -1) + String((Number(digits.at(-1)) + 1) % 10);
    await form.getByLabel(es["cases.caseNumber"], { exact: true }).fill(story.caseNumber);
    await form.getByLabel(es["cases.receipt"], { exact: true }).fill(wrong);
    await submit(complainant, form.getByRole("button", { name: es["cases.lookup"] }), 404, "a wrong receipt");
    assert.equal(await text(complainant, 'main [role="alert"]'), es["cases.lookupFailed"]);
    await inspect(complainant, "lookup-refused-es-phone");

    // The receipt as a person reads it off a screen: groups of four separated by spaces.
    const spaced = story.receipt.replace(/-/g, " ");
    assert.ok(spaced.includes(" ") && !spaced.includes("-"));
    await form.getByLabel(es["cases.caseNumber"], { exact: true }).fill(story.caseNumber);
    const receiptBox = form.getByLabel(es["cases.receipt"], { exact: true });
    await receiptBox.fill("");
    await receiptBox.pressSequentially(spaced);
    assert.equal(await receiptBox.inputValue(), spaced);
    await submit(complainant, form.getByRole("button", { name: es["cases.lookup"] }), 303, "the receipt typed with spaces");
    assert.equal(new URL(complainant.url()).pathname, "/complaints/status");
    const first = await complainantSees("received", "received");
    assert.ok(first.some((item) => item.includes(es["cases.you"]) && item.endsWith(es["state.received"])), `the history starts with the complaint received (${JSON.stringify(first)})`);

    await complainant.getByLabel(es["cases.addInfo"], { exact: true }).fill(FILED.info);
    await submit(complainant, complainant.locator("main").getByRole("button", { name: es["cases.send"], exact: true }), 303, "adding information");
    assert.equal(await text(complainant, 'main [role="status"]'), es["cases.sent"]);
    const history = (await complainant.locator("main ol.history li").allTextContents()).map(squash);
    assert.ok(history.some((item) => item.includes(es["cases.you"]) && item.endsWith(FILED.info)), `the added information is in the history (${JSON.stringify(history)})`);
    await inspect(complainant, "info-sent-es-phone");
  });

  it("intake sees the case and its clocks, records first contact, writes to the complainant and triages it", async () => {
    assert.ok(story.caseNumber, "the complaint was filed");
    const page = await staffPage("intake", STAFF.intake);
    await landed(page, Promise.all([page.waitForNavigation(), page.locator("header nav").getByRole("link", { name: en["staff.cases"], exact: true }).click()]).then(([r]) => r), "the staff link in the header");
    assert.equal(new URL(page.url()).pathname, "/staff/cases");
    assert.equal(await text(page, "main h1"), en["staff.cases"]);

    // The dashboard: the case, flagged as force, with its clocks. The complainant gave an email and
    // allowed contact, so the acknowledgement went out by email on filing: that clock is already met.
    const row = page.locator("main table tbody tr").filter({ has: page.getByRole("link", { name: story.caseNumber, exact: true }) });
    assert.equal(await row.count(), 1, "the new case is on the dashboard");
    const headers = (await page.locator("main table thead th").allTextContents()).map(squash);
    assert.deepEqual(headers, [en["cases.caseNumber"], en["staff.state"], en["cases.received"], en["staff.deadline.acknowledgement"], en["staff.deadline.first_contact"], en["staff.deadline.classification"], en["staff.deadline.discipline"], en["staff.assignedColumn"]]);
    const cells = await row.locator("th, td").evaluateAll((nodes) => nodes.map((node) => ({ text: (node as HTMLElement).innerText.replace(/\s+/g, " ").trim(), className: node.className, due: node.querySelector(".source")?.textContent?.trim() ?? null })));
    assert.equal(cells[0].text, `${story.caseNumber} · ${en["staff.force"]}`, "the row marks the force allegation");
    assert.equal(cells[1].text, en["state.received"]);
    const received = cells[2].text;
    assert.equal(received, isoDay(new Date()), "received today");
    // A met clock shows the day it was met (the emailed acknowledgement: today); an open one its due date.
    const expectedClocks = [["acknowledgement", "met", received], ["first_contact", "due", addDays(received, 2)], ["classification", "due", addDays(received, 30)]] as const;
    for (const [index, [kind, status, due]] of expectedClocks.entries()) {
      const cell = cells[3 + index];
      assert.equal(cell.className, `deadline ${status}`, `the ${kind} clock is ${status}`);
      assert.equal(cell.text, `${en[`staff.status.${status}`]} ${due}`, `the ${kind} clock shows its date, ${due}`);
    }
    assert.equal(cells[6].className, "deadline due", "the discipline window runs from the incident");
    assert.ok((cells[6].due ?? "") > isoDay(new Date()), `the discipline window ends after today (${cells[6].due})`);
    assert.equal(cells[7].text, "—", "nobody is assigned the new case yet");
    story.caseUrl = await row.getByRole("link", { name: story.caseNumber, exact: true }).getAttribute("href") ?? undefined;
    assert.match(story.caseUrl ?? "", new RegExp(`^/staff/cases/${UUID}$`));
    await inspect(page, "staff-dashboard-en-desktop");

    await openCase(page);
    assert.equal(await stateShown(page), en["state.received"]);
    // Intake sees who filed and what they wrote, and the information they added.
    const parties = squash(await page.locator('main section[aria-labelledby="parties"]').innerText());
    for (const value of [FILED.name, FILED.email, FILED.phone, FILED.witnessName]) assert.ok(parties.includes(value), `intake sees "${value}"`);
    assert.equal(await text(page, "main p.narrative"), FILED.narrative);
    assert.ok(squash(await page.locator('main section[aria-labelledby="officers"]').innerText()).includes(`#${FILED.badge}`), "the officer's badge");
    const history = squash(await page.locator('main section[aria-labelledby="history"]').innerText());
    assert.ok(history.includes(FILED.info), "the information the complainant added is in the case history");
    const allegations = await page.locator("main article.allegation").evaluateAll((nodes) => nodes.map((node) => ({ id: node.getAttribute("data-allegation") ?? "", title: node.querySelector("h3")?.textContent?.trim() ?? "" })));
    const force = allegations.find((a) => a.title === `${en["cases.category.excessive_force"]} · ${en["staff.force"]}`);
    const discourtesy = allegations.find((a) => a.title === en["cases.category.discourtesy"]);
    assert.ok(force && discourtesy && allegations.length === 2, `one force and one discourtesy allegation (${JSON.stringify(allegations)})`);
    story.allegations = { excessive_force: force.id, discourtesy: discourtesy.id };
    assert.deepEqual(await clocks(page), {
      [en["staff.deadline.acknowledgement"]]: "met", [en["staff.deadline.first_contact"]]: "due",
      [en["staff.deadline.classification"]]: "due", [en["staff.deadline.discipline"]]: "due",
    });
    await inspect(page, "staff-case-received-en-desktop");

    // Intake calls the complainant and records the first contact: that clock is met.
    await submit(page, page.locator("main").getByRole("button", { name: en["staff.markContacted"], exact: true }), 303, "recording the first contact");
    assert.equal((await clocks(page))[en["staff.deadline.first_contact"]], "met", "the first-contact clock is met");

    // A message for the complainant, and a note that is for staff only.
    const notes = page.locator('main form[action$="/notes"]');
    await notes.getByLabel(en["staff.noteOrMessage"], { exact: true }).fill(OFFICE_MESSAGE);
    await notes.getByRole("checkbox", { name: en["staff.toComplainant"] }).check();
    await submit(page, notes.getByRole("button", { name: en["staff.add"], exact: true }), 303, "a message to the complainant");
    await notes.getByLabel(en["staff.noteOrMessage"], { exact: true }).fill(STAFF_NOTE);
    assert.equal(await notes.getByRole("checkbox", { name: en["staff.toComplainant"] }).isChecked(), false);
    await submit(page, notes.getByRole("button", { name: en["staff.add"], exact: true }), 303, "a staff note");
    const events = await page.locator('main section[aria-labelledby="history"] li').allTextContents();
    assert.ok(events.some((e) => e.includes(OFFICE_MESSAGE) && e.includes("✉")), "the message is marked as sent to the complainant");
    assert.ok(events.some((e) => e.includes(STAFF_NOTE) && !e.includes("✉")), "the note is not");

    await move(page, "triage");
    await inspect(page, "staff-case-triage-en-desktop");

    const seen = await complainantSees("triage", "triage");
    assert.ok(seen.some((item) => item.includes(es["cases.office"]) && item.endsWith(OFFICE_MESSAGE)), `the office's message reaches the complainant (${JSON.stringify(seen)})`);
    assert.ok(seen.some((item) => item.endsWith(es["state.triage"])), "the move to triage, in Spanish");

    // The complainant asked to be contacted: the acknowledgement and a notice of the message are queued
    // for them, in Spanish, without the receipt or what they wrote.
    // The complainant's address is sealed at rest: open it to find their mail.
    const mail = (await site.db.query<{ to_address: string; template: string; subject: string; body_text: string }>("SELECT to_address, template, subject, body_text FROM email_outbox ORDER BY created_at"))
      .filter((m) => openText(m.to_address) === FILED.email);
    assert.deepEqual(mail.map((m) => m.template).sort(), ["case.message", "case.received"]);
    for (const message of mail) {
      assert.ok(message.subject.includes(story.caseNumber), `the email names the case: ${message.subject}`);
      for (const secret of [story.receipt ?? "", (story.receipt ?? "").replace(/\D/g, ""), FILED.narrative, OFFICE_MESSAGE, STAFF_NOTE]) {
        assert.ok(!message.body_text.includes(secret) && !message.subject.includes(secret), `the email never carries "${secret}"`);
      }
    }
  });

  it("refuses moves the rules forbid, with the reason, and routes the force allegation to investigation", async () => {
    const page = await staffPage("intake", STAFF.intake);
    await openCase(page);
    assert.equal(await stateShown(page), en["state.triage"]);

    // The form offers "contact log" from triage; for a force allegation the office refuses it.
    const offered = await page.locator('main form[action$="/transition"] select[name="to"] option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    assert.deepEqual(offered, ["", "referred_out", "contact_log", "mediation", "investigation", "closed_no_finding"], "the form offers only the next states, with nothing chosen");
    await move(page, "contact_log", { status: 409 });
    assert.equal(await text(page, 'main [role="alert"]'), refusal("triage", "contact_log"));
    assert.equal(await stateShown(page), en["state.triage"], "the case did not move");
    await inspect(page, "staff-refused-contact-log-en-desktop");

    // A forged value, posted through the real form: a state that is not next at all.
    await page.evaluate(() => {
      const select = document.querySelector('main form[action$="/transition"] select[name="to"]') as HTMLSelectElement;
      select.append(new Option("closed (forged)", "closed"));
    });
    const form = page.locator('main form[action$="/transition"]');
    await form.getByLabel(en["staff.moveTo"]).selectOption("closed");
    await submit(page, form.getByRole("button", { name: en["staff.move"] }), 409, "a forged move to closed");
    assert.equal(await text(page, 'main [role="alert"]'), refusal("triage", "closed"));
    assert.equal(await stateShown(page), en["state.triage"], "the case did not move");

    await move(page, "investigation", { note: TRANSITION_NOTE });
    assert.equal(await page.locator('main [role="alert"]').count(), 0);
    // Classification happened on leaving triage: that clock is met too.
    assert.deepEqual(await clocks(page), {
      [en["staff.deadline.acknowledgement"]]: "met", [en["staff.deadline.first_contact"]]: "met",
      [en["staff.deadline.classification"]]: "met", [en["staff.deadline.discipline"]]: "due",
    });
    await inspect(page, "staff-case-investigation-en-desktop");

    // Back on the dashboard the clocks say the same.
    await landed(page, page.goto("/staff/cases"), "the dashboard again");
    const row = page.locator("main table tbody tr").filter({ has: page.getByRole("link", { name: story.caseNumber ?? "", exact: true }) });
    const classes = await row.locator("td.deadline").evaluateAll((cells) => cells.map((cell) => cell.className));
    assert.deepEqual(classes, ["deadline met", "deadline met", "deadline met", "deadline due"]);
    assert.equal(await text(row, "td"), en["state.investigation"]);

    const seen = await complainantSees("investigation", "investigation");
    assert.ok(seen.some((item) => item.endsWith(es["state.investigation"])), "the move, in Spanish");
  });

  it("the investigator records findings and sends the case to review and the board", async () => {
    const page = await staffPage("investigator", STAFF.investigator);
    await openCase(page);
    assert.equal(await stateShown(page), en["state.investigation"]);
    for (const [category, finding] of [["excessive_force", "sustained"], ["discourtesy", "not_sustained"]] as const) {
      const form = allegationBlock(page, category).locator('form[action*="/allegations/"]');
      await form.getByLabel(en["staff.investigatorFinding"]).selectOption({ label: en[`finding.${finding}`] });
      await submit(page, form.getByRole("button", { name: en["staff.save"], exact: true }), 303, `the investigator's finding on ${category}`);
      assert.equal(await allegationBlock(page, category).locator('select[name="investigator_finding"]').inputValue(), finding);
    }
    assert.ok(await allegationBlock(page, "excessive_force").getByRole("checkbox", { name: en["staff.force"], exact: true }).isChecked(), "saving keeps the force flag");
    await move(page, "review", { note: REVIEW_NOTE });
    await move(page, "board_review");
    await inspect(page, "staff-case-board-review-en-desktop");

    const seen = await complainantSees("board_review", "board-review");
    for (const state of ["investigation", "review", "board_review"] as const) {
      assert.ok(seen.some((item) => item.endsWith(es[`state.${state}`])), `"${es[`state.${state}`]}" in the history`);
    }
  });

  it("the admin sets a panel of three; two members vote, one recuses, and the board decides", async () => {
    assert.ok(story.allegations, "the allegations are known");
    const admin = await staffPage("admin", site.demoAdmin);
    await openCase(admin);
    const panel = admin.locator('main form[action$="/panel"]');
    for (const id of ids.board) await panel.locator(`input[name="members"][value="${id}"]`).check();
    await submit(admin, panel.getByRole("button", { name: en["staff.setPanel"], exact: true }), 303, "setting the panel");
    const chosen = await admin.locator('main form[action$="/panel"] input[name="members"]:checked').evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).value));
    assert.deepEqual(chosen.sort(), [...ids.board].sort(), "the panel is the three members");
    assert.equal(await admin.locator('main section[aria-labelledby="board"]').count(), 0, "the admin is not on the panel: no vote form");
    await inspect(admin, "staff-panel-set-en-desktop");

    // Each member in their own browser; the second reads Spanish.
    // A recusal is from the whole case: the third member recuses once and no longer reads the case.
    const plan: { lang: Lang; votes: Partial<Record<"excessive_force" | "discourtesy", BoardVote | "recuse">> }[] = [
      { lang: "en", votes: { excessive_force: "substantiated", discourtesy: "unfounded" } },
      { lang: "es", votes: { excessive_force: "substantiated", discourtesy: "unfounded" } },
      { lang: "en", votes: { excessive_force: "recuse" } },
    ];
    for (const [index, { lang, votes }] of plan.entries()) {
      const t = catalogs[lang];
      const member = STAFF.board[index];
      const page = await staffPage(`board${index}`, member, lang);
      await openCase(page, lang);
      assert.equal(await page.locator("html").getAttribute("lang"), lang);
      assert.equal(await stateShown(page), t["state.board_review"]);
      // A board member judges the allegations without knowing who filed them.
      assert.equal(await page.locator('main section[aria-labelledby="parties"]').count(), 0, "no complainant section for the board");
      const body = await page.locator("body").innerText();
      for (const secret of [FILED.name, FILED.email, FILED.phone, FILED.address, FILED.location, FILED.witnessName, FILED.witnessContact, ...STAFF_ONLY]) {
        assert.ok(!body.includes(secret), `a board member does not see "${secret}"`);
      }
      assert.equal(await text(page, 'main section[aria-labelledby="board"] h2'), t["staff.board"]);
      assert.equal(await page.locator('main form[action$="/transition"]').count(), 0, "board members do not move cases");
      for (const category of ["excessive_force", "discourtesy"] as const) {
        const choice = votes[category];
        if (!choice) continue;
        const form = page.locator('main section[aria-labelledby="board"] form').filter({ has: page.locator(`input[name="allegation_id"][value="${story.allegations[category]}"]`) });
        assert.ok(squash(await form.innerText()).startsWith(`${t[`cases.category.${category}`]} — ${t["staff.vote"]}`), `the ${category} vote form is labelled in ${lang}`);
        if (choice === "recuse") await form.getByRole("checkbox", { name: t["staff.recuse"] }).check();
        else await form.getByRole("combobox").selectOption(choice);
        await submit(page, form.getByRole("button", { name: t["staff.castVote"], exact: true }), 303, `${member.displayName}: ${choice} on ${category}`);
        if (choice === "recuse") {
          assert.equal(new URL(page.url()).pathname, "/staff/cases", "after recusing, the member is back at their list");
          assert.ok(!(await page.locator("main").innerText()).includes(story.caseNumber!), "the case is gone from the recused member's list");
          continue;
        }
        const again = page.locator('main section[aria-labelledby="board"] form').filter({ has: page.locator(`input[name="allegation_id"][value="${story.allegations[category]}"]`) });
        assert.equal(await again.getByRole("combobox").inputValue(), choice, "the vote is shown");
      }
      await inspect(page, `staff-board-vote-${index + 1}-${lang}-desktop`);
    }

    // The board's findings: force substantiated (2 of the 2 who did not recuse), discourtesy unfounded.
    await openCase(admin);
    const forceLine = squash(await allegationBlock(admin, "excessive_force").locator("p").innerText());
    const discourtesyLine = squash(await allegationBlock(admin, "discourtesy").locator("p").innerText());
    assert.match(forceLine, new RegExp(`${en["staff.boardFinding"]}: (sustained|${en["finding.sustained"]})`, "i"), forceLine);
    assert.ok(forceLine.includes(`${en["staff.recommended"]}: ${RECOMMENDED_PENALTY}`), `the matrix recommends ${RECOMMENDED_PENALTY}: ${forceLine}`);
    assert.match(discourtesyLine, new RegExp(`${en["staff.boardFinding"]}: (unfounded|${en["finding.unfounded"]})`, "i"), discourtesyLine);
    assert.ok(discourtesyLine.includes(`${en["staff.recommended"]}: —`), discourtesyLine);
    await inspect(admin, "staff-board-decided-en-desktop");

    const seen = await complainantSees("board_review", "after-votes");
    assert.ok(seen.every((item) => !/vot|junta decid/i.test(item)), "no vote reaches the complainant");
  });

  it("the admin records the department's lighter decision, sees the deviation, and closing publishes the record", async () => {
    const admin = await staffPage("admin", site.demoAdmin);
    await openCase(admin);
    await move(admin, "discipline_recommended");
    await complainantSees("discipline_recommended", "discipline-recommended");
    await move(admin, "final_disposition");

    // Closing before every allegation has the department's decision is refused.
    await move(admin, "closed", { status: 409 });
    assert.equal(await text(admin, 'main [role="alert"]'), refusal("final_disposition", "closed", { boardDecidedAll: true }));
    assert.equal(await stateShown(admin), en["state.final_disposition"], "the case did not move");

    for (const [category, finding, penalty] of [["excessive_force", "sustained", IMPOSED_PENALTY], ["discourtesy", "unfounded", ""]] as const) {
      const form = allegationBlock(admin, category).locator('form[action$="/final"]');
      await form.getByLabel(en["staff.final"]).selectOption({ label: en[`finding.${finding}`] });
      await form.getByLabel(en["staff.finalPenalty"]).fill(penalty);
      await submit(admin, form.getByRole("button", { name: en["staff.record"], exact: true }), 303, `the department's decision on ${category}`);
    }
    const forceBlock = allegationBlock(admin, "excessive_force");
    assert.ok(squash(await forceBlock.locator("p").innerText()).includes(IMPOSED_PENALTY));
    assert.equal(squash(await forceBlock.locator(".weaker").innerText()), `· ${en["staff.deviated"]}`, "the lighter penalty deviates from the board");
    assert.equal(await allegationBlock(admin, "discourtesy").locator(".weaker").count(), 0, "following the board is no deviation");
    await inspect(admin, "staff-final-decision-en-desktop");

    await move(admin, "closed");
    const published = admin.locator("main").getByRole("link", { name: en["staff.published"], exact: true });
    const href = await published.getAttribute("href");
    assert.match(href ?? "", new RegExp(`^/complaints/${UUID}$`), "the case links to its open record");
    story.published = href ?? undefined;
    assert.equal(await admin.locator('main form[action$="/transition"] select[name="to"] option').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value).join()), ",triage", "a closed case can only be reopened");
    await inspect(admin, "staff-closed-en-desktop");

    // Closed cases leave the deadline dashboard.
    await landed(admin, admin.goto("/staff/cases"), "the dashboard after closing");
    assert.equal(await admin.locator("main").getByRole("link", { name: story.caseNumber ?? "", exact: true }).count(), 0);

    const seen = await complainantSees("closed", "closed");
    assert.ok(seen.some((item) => item.endsWith(es["state.closed"])), "the closing, in Spanish");
    assert.ok(seen.some((item) => item.endsWith(OFFICE_MESSAGE)), "the office's message is still there");
  });

  it("publishes the findings without anything that identifies the complainant", async () => {
    assert.ok(story.published && story.caseNumber, "the case was published");
    const reader = await pages.newPage();
    for (const [lang, page] of [["en", reader], ["es", complainant]] as const) {
      const t = catalogs[lang];
      const response = await landed(page, page.goto(story.published), `the open record (${lang})`);
      assert.equal(await page.locator("html").getAttribute("lang"), lang);
      assert.equal(await text(page, "main h1"), `${t["profile.complaint"]} ${story.caseNumber}`);
      const table = await page.locator('main section[aria-labelledby="allegations"] table').evaluate((element: HTMLTableElement) => ({
        headers: [...element.querySelectorAll("thead th")].map((th) => th.textContent?.trim() ?? ""),
        rows: [...element.tBodies[0].rows].map((row) => [...row.cells].map((cell) => ({ text: cell.textContent?.replace(/\s+/g, " ").trim() ?? "", weaker: cell.querySelector(".weaker")?.textContent?.trim() ?? null }))),
      }));
      const col = (key: MessageKey) => {
        const index = table.headers.indexOf(t[key]);
        assert.ok(index >= 0, `a column "${t[key]}" (${table.headers.join(" | ")})`);
        return index;
      };
      const [category, investigator, board, final, recommended, imposed] = (["profile.category", "profile.investigatorFinding", "profile.boardFinding", "profile.finalFinding", "profile.recommendedPenalty", "profile.finalPenalty"] as const).map(col);
      const rowFor = (name: string) => {
        const row = table.rows.find((cells) => cells[category].text === name);
        assert.ok(row, `an allegation "${name}" (${table.rows.map((r) => r[category].text).join(", ")})`);
        return row;
      };
      assert.equal(table.rows.length, 2);
      const force = rowFor(t["cases.category.excessive_force"]);
      assert.equal(force[investigator].text, t["finding.sustained"]);
      assert.equal(force[board].text, t["finding.sustained"]);
      assert.equal(force[final].weaker, `▼ ${t["profile.weaker"]}`, "the lighter penalty is marked");
      assert.equal(force[final].text, `${t["finding.sustained"]} ▼ ${t["profile.weaker"]}`);
      assert.equal(force[recommended].text, RECOMMENDED_PENALTY);
      assert.equal(force[imposed].text, IMPOSED_PENALTY);
      const discourtesy = rowFor(t["cases.category.discourtesy"]);
      assert.equal(discourtesy[investigator].text, t["finding.not_sustained"]);
      assert.equal(discourtesy[board].text, t["finding.unfounded"]);
      assert.equal(discourtesy[final].text, t["finding.unfounded"]);
      assert.equal(discourtesy[final].weaker, null, "following the board is not marked");
      assert.equal(discourtesy[recommended].text, "—");

      const details = await page.locator('main section[aria-labelledby="details"] dl').evaluate((dl) =>
        Object.fromEntries([...dl.querySelectorAll("dt")].map((dt) => [dt.textContent?.trim() ?? "", dt.nextElementSibling?.textContent?.trim() ?? ""])));
      assert.equal(details[t["complaint.location"]], FILED.district, "only the district is published, not the place");
      assert.equal(details[t["complaints.incident"]], FILED.date);

      // Nothing that identifies the complainant, in the page as sent or as shown.
      const html = await response.text();
      const shown = await page.locator("body").innerText();
      for (const secret of [...IDENTIFYING, ...STAFF_ONLY, OFFICE_MESSAGE, story.receipt ?? "", (story.receipt ?? "").replace(/\D/g, "")]) {
        assert.ok(secret && !html.includes(secret) && !shown.includes(secret), `the open record never holds "${secret}"`);
      }
      await inspect(page, `public-record-${lang}-${page === complainant ? "phone" : "desktop"}`);
    }

    // The same record as JSON, for anyone: no identifying value either.
    const id = story.published.split("/").pop();
    const answer = await fetch(new URL(`/api/v1/complaints/${id}`, site.url));
    assert.equal(answer.status, 200);
    const json = await answer.text();
    assert.ok(json.includes(story.caseNumber), "the API answers the published case");
    for (const secret of [...IDENTIFYING, ...STAFF_ONLY, OFFICE_MESSAGE, story.receipt ?? "", (story.receipt ?? "").replace(/\D/g, "")]) {
      assert.ok(!json.includes(secret), `the API's record never holds "${secret}"`);
    }
  });
  // Known problems, found by this walk-through. Marked todo so the run stays green
  // while they are open; each still runs, and reports TODO until the page is fixed.

  it("keeps the receipt on one line on a phone", () => {
    assert.equal(story.receiptLines, 1, `the receipt ${story.receipt} takes ${story.receiptLines} lines on a 390px phone`);
  });

  it("puts each checkbox beside its label on the phone intake form", async () => {
    await landed(complainant, complainant.goto("/complaints/new"), "the intake form again");
    const misplaced = await complainant.locator("main form label.check").evaluateAll((labels) => labels.flatMap((label) => {
      const box = label.querySelector("input")?.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(label.lastChild as Node);
      const line = range.getClientRects()[0];
      if (!box || !line) return [];
      const beside = box.right <= line.left + 1 && box.top < line.bottom && box.bottom > line.top;
      return beside ? [] : [`"${label.textContent?.trim()}": box at (${Math.round(box.left)}, ${Math.round(box.top)}), text at (${Math.round(line.left)}, ${Math.round(line.top)})`];
    }));
    assert.deepEqual(misplaced, [], "every checkbox is on its label's first line, to the left of the text");
  });

  it("shows staff the witness's contact the complainant gave", async () => {
    const page = await staffPage("intake", STAFF.intake);
    await landed(page, page.goto(story.caseUrl ?? "/"), "the case as intake");
    const parties = squash(await page.locator('main section[aria-labelledby="parties"]').innerText());
    assert.ok(parties.includes(FILED.witnessContact), `intake can reach the witness: ${parties}`);
  });

  it("offers intake only the actions its role may take", async () => {
    const page = await staffPage("intake", STAFF.intake);
    await landed(page, page.goto(story.caseUrl ?? "/"), "the case as intake");
    const form = page.locator('main form[action$="/panel"]');
    const offered = await form.count();
    let status = 0;
    if (offered) {
      await form.locator('input[name="members"]').first().check();
      const posted = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/panel"));
      await form.getByRole("button", { name: en["staff.setPanel"] }).click();
      status = (await posted).status();
      await page.waitForLoadState();
    }
    assert.equal(offered, 0, `intake is offered "${en["staff.setPanel"]}"; using it answers ${status}`);
  });

  it("does not offer to record an acknowledgement already recorded", async () => {
    const page = await staffPage("intake", STAFF.intake);
    await landed(page, page.goto(story.caseUrl ?? "/"), "the case as intake");
    assert.equal((await clocks(page))[en["staff.deadline.acknowledgement"]], "met");
    const button = page.locator("main").getByRole("button", { name: en["staff.markAcknowledged"], exact: true });
    const offered = await button.count();
    let answer = "";
    if (offered) {
      const posted = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/mark"));
      await button.click();
      answer = `${(await posted).status()} "${await text(page, 'main [role="alert"]')}"`;
    }
    assert.equal(offered, 0, `"${en["staff.markAcknowledged"]}" is offered though the clock is met; pressing it answers ${answer}`);
  });

  it("shows findings in the staff member's language", async () => {
    const page = staffPages.get("board1");
    assert.ok(page, "the Spanish-reading board member's browser");
    await landed(page, page.goto(story.caseUrl ?? "/"), "the case in Spanish");
    const line = squash(await allegationBlock(page, "excessive_force", "es").locator("p").first().innerText());
    assert.ok(line.includes(`${es["staff.boardFinding"]}: ${es["finding.sustained"]}`), `the board's finding reads "${es["finding.sustained"]}": ${line}`);
  });

  it("names the allegations in the reader's language on the published record", async () => {
    await landed(complainant, complainant.goto(story.published ?? "/"), "the open record in Spanish");
    const categories = (await complainant.locator('main section[aria-labelledby="allegations"] tbody tr td:nth-child(2)').allTextContents()).map(squash);
    assert.deepEqual(categories.sort(), [es["cases.category.discourtesy"], es["cases.category.excessive_force"]].sort());
  });
});
