/**
 * Browser test of the office's staff tools: settings, assignment and "mine".
 *
 * The administrator (the demo's account, signed in through /login) reads a
 * case's discipline clock on the deadlines dashboard, opens the office settings
 * from there, is refused for a penalty the office cannot rank (the row is named
 * and nothing is saved), sets a 180-day window, and sees every discipline clock
 * on the dashboard move. Then they assign a case to an investigator from the
 * case page, by name. The investigator, on a Spanish phone, signs in, lists the
 * cases assigned to them and finds that case and not the other, and can give
 * it back. The investigator's email is in the outbox, without the complainant.
 *
 * Every page gets an axe check (no serious/critical violation) and a full-page
 * screenshot: test-results/screenshots/staff-NN-*.png.
 *
 *   node --import tsx --test test/e2e/staff.e2e.test.ts
 *   npx tsx scripts/with-postgres.ts node --import tsx --test test/e2e/staff.e2e.test.ts
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContextOptions, Locator, Page, Response } from "playwright-core";
import { createUser } from "../../src/auth/service.js";
import { DEFAULT_DISCIPLINE_MATRIX } from "../../src/cases/board.js";
import { submitComplaint } from "../../src/cases/service.js";
import { en, es, type MessageKey } from "../../src/web/i18n/index.js";
import { checkA11y, launchBrowser, screenshot, startTestSite, type TestSite, PageOpener } from "./harness.js";

const engine = process.env.DATABASE_URL ? "postgres" : "pglite";
const DESKTOP = { width: 1280, height: 800 };
const PHONE_ES: BrowserContextOptions = { viewport: { width: 390, height: 844 }, locale: "es-ES", isMobile: true, hasTouch: true };
type Catalog = Record<MessageKey, string>;
const catalogs = { en, es } as const satisfies Record<string, Catalog>;

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const INCIDENT = isoDay(new Date(Date.now() - 10 * 86_400_000));
const DUE_180_DAYS = isoDay(new Date(Date.parse(`${INCIDENT}T00:00:00Z`) + 180 * 86_400_000));
const DUE_ONE_YEAR = (() => {
  const end = new Date(`${INCIDENT}T00:00:00Z`);
  end.setUTCFullYear(end.getUTCFullYear() + 1);
  return isoDay(end);
})();

const INVESTIGATOR = { email: "investigadora@e2e.oversight.test", displayName: "Inés Investigadora", password: "e2e-investigator-password", role: "investigator" } as const;
const ADMIN_NAME = "Demo administrator";
/** The complainant, who must never appear in the investigator's email. */
const COMPLAINANT = { name: "Camila Canario-Staff", email: "camila.canario.staff@example.org", narrative: "The officer twisted my arm behind my back at the bus stop. Canary-E2E-4410." };

const squash = (value: string) => value.replace(/\s+/g, " ").trim();

describe(`staff: office settings, assignment and "mine" in a browser (${engine})`, { timeout: 180_000 }, () => {
  let site: TestSite;
  let browser: Browser;
  const pages = new PageOpener(() => browser, () => site.url, { viewport: DESKTOP, locale: "en-US" });
  let shot = 0;
  const cases = { assigned: { id: "", number: "" }, other: { id: "", number: "" } };
  let admin: Page;

  before(async () => {
    const [started, launched] = await Promise.allSettled([startTestSite(), launchBrowser()]);
    if (started.status === "fulfilled") site = started.value;
    if (launched.status === "fulfilled") browser = launched.value;
    if (started.status === "rejected") throw started.reason;
    if (launched.status === "rejected") throw launched.reason;
    await createUser(site.db, INVESTIGATOR, "system");
    // Complaints as they arrive online; the receipt's key does not matter to staff.
    const secret = randomBytes(32);
    const first = await submitComplaint(site.db, secret, { narrative: COMPLAINANT.narrative, categories: ["excessive_force"], incident_date: INCIDENT, name: COMPLAINANT.name, email: COMPLAINANT.email, contact_ok: true }, null);
    const second = await submitComplaint(site.db, secret, { narrative: "Searched my car without asking, on a Sunday morning.", categories: ["illegal_search"], incident_date: INCIDENT, anonymous: true }, null);
    cases.assigned = { id: first.caseId, number: first.caseNumber };
    cases.other = { id: second.caseId, number: second.caseNumber };
  });

  after(async () => {
    await pages.close();
    await browser?.close();
    await site?.close();
  });

  /** axe, a numbered screenshot, and no sideways scrolling. */
  async function inspect(page: Page, name: string): Promise<void> {
    shot += 1;
    assert.deepEqual(pages.problems, [], "no dialog and no script error so far");
    await checkA11y(page, name);
    await screenshot(page, `staff-${String(shot).padStart(2, "0")}-${name}`);
    const width = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    assert.ok(width.page <= width.viewport, `${name}: no sideways scrolling (page ${width.page}px, viewport ${width.viewport}px)`);
  }

  async function landed(page: Page, response: Promise<Response | null> | Response | null, what: string, status = 200): Promise<Response> {
    const answer = await response;
    assert.ok(answer, `${what}: a navigation happened`);
    assert.equal(answer.status(), status, `${what} answers ${status} (${answer.url()})`);
    await page.waitForLoadState();
    return answer;
  }

  /** Clicks a link and waits for the page it opens. */
  const follow = (page: Page, link: Locator, what: string) => landed(page, Promise.all([page.waitForNavigation(), link.click()]).then(([r]) => r), what);

  /** Submits a form with its button; 303 means accepted (the page after must answer 200), anything else is the refusal shown. */
  async function submit(page: Page, button: Locator, status: number, what: string): Promise<void> {
    const action = new URL(await button.evaluate((element) => (element as HTMLButtonElement).form?.action ?? ""));
    const posted = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === action.pathname);
    const navigated = page.waitForNavigation();
    await button.click();
    assert.equal((await posted).status(), status, `${what}: POST ${action.pathname} answers ${status}`);
    await landed(page, navigated, `${what}: the page after`, status === 303 ? 200 : status);
  }

  async function signIn(page: Page, who: { email: string; password: string }, lang: "en" | "es"): Promise<void> {
    const t = catalogs[lang];
    await landed(page, page.goto("/login"), "the sign-in page");
    await page.getByLabel(t["auth.email"], { exact: true }).fill(who.email);
    await page.getByLabel(t["auth.password"], { exact: true }).fill(who.password);
    await submit(page, page.locator("main").getByRole("button", { name: t["auth.submit"] }), 303, `sign in as ${who.email}`);
  }

  /** The dashboard row of a case, as the text of each cell. */
  async function dashboardRow(page: Page, caseNumber: string): Promise<string[]> {
    const row = page.locator("main table tbody tr").filter({ has: page.getByRole("link", { name: caseNumber, exact: true }) });
    assert.equal(await row.count(), 1, `${caseNumber} is on the dashboard`);
    return (await row.locator("th, td").allInnerTexts()).map(squash);
  }

  it("the admin changes the discipline window in the office settings, and the dashboard's clocks move", async () => {
    admin = await pages.newPage();
    await signIn(admin, site.demoAdmin, "en");
    await follow(admin, admin.locator("header nav").getByRole("link", { name: en["staff.cases"], exact: true }), "the staff dashboard");
    assert.equal(squash(await admin.getByTestId("window").innerText()), `${en["staff.settings.window"]}: ${en["staff.settings.window.1y"]} · ${en["staff.settings.change"]}`);
    const headers = (await admin.locator("main table thead th").allInnerTexts()).map(squash);
    const discipline = headers.indexOf(en["staff.deadline.discipline"]);
    assert.ok(discipline > 0);
    for (const number of [cases.assigned.number, cases.other.number]) {
      assert.equal((await dashboardRow(admin, number))[discipline], `${en["staff.status.due"]} ${DUE_ONE_YEAR}`, "a year from the incident");
    }
    await inspect(admin, "dashboard-1y-en-desktop");

    await follow(admin, admin.getByRole("link", { name: en["staff.settings.change"], exact: true }), "the settings link");
    assert.equal(new URL(admin.url()).pathname, "/staff/settings");
    assert.equal(await admin.locator("main h1").innerText(), en["staff.settings.title"]);
    const windows = admin.getByRole("group", { name: en["staff.settings.window"] });
    assert.equal(await windows.getByRole("radio", { name: en["staff.settings.window.1y"] }).isChecked(), true);
    const discourtesy = admin.getByLabel(en["cases.category.discourtesy"], { exact: true });
    assert.equal(await discourtesy.inputValue(), DEFAULT_DISCIPLINE_MATRIX.discourtesy);
    await inspect(admin, "settings-en-desktop");

    // A penalty nobody can rank is refused, with its row named, and the window is not saved either.
    await windows.getByRole("radio", { name: en["staff.settings.window.180d"] }).check();
    await discourtesy.fill("a stern word");
    await submit(admin, admin.locator("main").getByRole("button", { name: en["staff.settings.save"] }), 400, "an unrankable penalty");
    const alert = squash(await admin.locator('main [role="alert"]').innerText());
    assert.ok(alert.includes(en["staff.settings.problem.unranked"].replace("{row}", en["cases.category.discourtesy"]).replace("{value}", "a stern word")), alert);
    assert.equal(await admin.getByLabel(en["cases.category.discourtesy"], { exact: true }).getAttribute("aria-invalid"), "true");
    assert.equal(await admin.getByLabel(en["cases.category.discourtesy"], { exact: true }).inputValue(), "a stern word", "what was typed is kept");
    await inspect(admin, "settings-refused-en-desktop");
    const [stored] = await site.db.query<{ n: number }>("SELECT count(*)::int AS n FROM office_settings");
    assert.equal(stored.n, 0, "nothing was saved");

    await admin.getByLabel(en["cases.category.discourtesy"], { exact: true }).fill("100 - REPRIMAND");
    assert.equal(await admin.getByRole("group", { name: en["staff.settings.window"] }).getByRole("radio", { name: en["staff.settings.window.180d"] }).isChecked(), true);
    await submit(admin, admin.locator("main").getByRole("button", { name: en["staff.settings.save"] }), 303, "saving the settings");
    assert.equal(await admin.locator('main [role="status"]').innerText(), en["staff.settings.saved"]);
    await inspect(admin, "settings-saved-en-desktop");

    // The same page in Spanish on a phone-sized window: the matrix scrolls inside its own region.
    await admin.setViewportSize({ width: 390, height: 844 });
    await landed(admin, admin.goto("/staff/settings?lang=es"), "the settings in Spanish");
    assert.equal(await admin.locator("main h1").innerText(), es["staff.settings.title"]);
    assert.equal(await admin.getByRole("group", { name: es["staff.settings.window"] }).getByRole("radio", { name: es["staff.settings.window.180d"] }).isChecked(), true);
    await inspect(admin, "settings-es-phone");
    await admin.setViewportSize(DESKTOP);
    await landed(admin, admin.goto("/staff/settings?lang=en"), "back to English");

    await landed(admin, admin.goto("/staff/cases"), "the dashboard after the change");
    assert.ok(squash(await admin.getByTestId("window").innerText()).startsWith(`${en["staff.settings.window"]}: ${en["staff.settings.window.180d"]}`));
    for (const number of [cases.assigned.number, cases.other.number]) {
      assert.equal((await dashboardRow(admin, number))[discipline], `${en["staff.status.due"]} ${DUE_180_DAYS}`, "180 days from the incident");
    }
    await inspect(admin, "dashboard-180d-en-desktop");
  });

  it("the admin assigns a case to the investigator by name, from the case page", async () => {
    assert.ok(admin, "the admin is signed in");
    await follow(admin, admin.locator("main table").getByRole("link", { name: cases.assigned.number, exact: true }), "the case from the dashboard");
    const section = admin.locator('main section[aria-labelledby="assignment"]');
    assert.equal(await section.getByTestId("assignee").innerText(), en["staff.assign.nobody"]);
    const select = section.getByLabel(en["staff.assign.to"]);
    const choices = (await select.locator("option").allInnerTexts()).map(squash);
    assert.deepEqual(choices, [en["staff.assign.nobody"], `${ADMIN_NAME} (${en["staff.role.admin"]})`, `${INVESTIGATOR.displayName} (${en["staff.role.investigator"]})`]);
    await select.selectOption({ label: `${INVESTIGATOR.displayName} (${en["staff.role.investigator"]})` });
    await submit(admin, section.getByRole("button", { name: en["staff.assign.save"] }), 303, "assigning the case");
    assert.equal(await admin.locator('main section[aria-labelledby="assignment"]').getByTestId("assignee").innerText(), INVESTIGATOR.displayName);
    const history = (await admin.locator('main section[aria-labelledby="history"] li').allInnerTexts()).map(squash);
    assert.ok(history.some((item) => item.includes(`${ADMIN_NAME} · ${en["staff.event.assigned"].replace("{name}", INVESTIGATOR.displayName)}`)), JSON.stringify(history));
    assert.ok(history.every((item) => !/user:|[0-9a-f]{8}-[0-9a-f]{4}-/.test(item)), "the history names people, never account ids");
    await inspect(admin, "case-assigned-en-desktop");

    const mail = await site.db.query<{ subject: string; body_text: string }>("SELECT subject, body_text FROM email_outbox WHERE to_address = $1", [INVESTIGATOR.email]);
    assert.equal(mail.length, 1, "one email to the investigator");
    assert.equal(mail[0].subject, `Case ${cases.assigned.number} is assigned to you`, "in English: the account stores no language");
    for (const value of Object.values(COMPLAINANT)) assert.ok(!mail[0].body_text.includes(value) && !mail[0].subject.includes(value), `the email does not hold "${value}"`);

    await landed(admin, admin.goto("/staff/cases"), "the dashboard");
    const row = await dashboardRow(admin, cases.assigned.number);
    assert.equal(row.at(-1), INVESTIGATOR.displayName, "the dashboard names the assignee");
    assert.equal((await dashboardRow(admin, cases.other.number)).at(-1), "—");
  });

  it("the investigator, on a Spanish phone, finds the case under \"Assigned to me\" and can give it back", async () => {
    const phone = await pages.newPage(PHONE_ES);
    await signIn(phone, INVESTIGATOR, "es");
    await follow(phone, phone.locator("header nav").getByRole("link", { name: es["staff.cases"], exact: true }), "the staff dashboard in Spanish");
    const filters = phone.getByRole("navigation", { name: es["staff.filter.label"] });
    await follow(phone, filters.getByRole("link", { name: es["staff.filter.mine"], exact: true }), "the \"mine\" list");
    assert.equal(new URL(phone.url()).search, "?mine=1");
    assert.equal(await filters.getByRole("link", { name: es["staff.filter.mine"], exact: true }).getAttribute("aria-current"), "page");
    const numbers = await phone.locator("main table tbody tr th a").allInnerTexts();
    assert.deepEqual(numbers, [cases.assigned.number], "only the case assigned to me");
    assert.equal((await dashboardRow(phone, cases.assigned.number)).at(-1), INVESTIGATOR.displayName);
    await inspect(phone, "mine-es-phone");

    await follow(phone, phone.locator("main table").getByRole("link", { name: cases.assigned.number, exact: true }), "my case");
    const section = phone.locator('main section[aria-labelledby="assignment"]');
    assert.equal(await section.getByTestId("assignee").innerText(), INVESTIGATOR.displayName);
    assert.equal(await section.locator("select").count(), 0, "an investigator does not choose who works a case");
    const history = (await phone.locator('main section[aria-labelledby="history"] li').allInnerTexts()).map(squash);
    assert.ok(history.some((item) => item.includes(`${ADMIN_NAME} · ${es["staff.event.assigned"].replace("{name}", INVESTIGATOR.displayName)}`)), JSON.stringify(history));
    await inspect(phone, "case-mine-es-phone");

    await submit(phone, section.getByRole("button", { name: es["staff.assign.giveBack"] }), 303, "giving the case back");
    assert.equal(await phone.locator('main section[aria-labelledby="assignment"]').getByTestId("assignee").innerText(), es["staff.assign.nobody"]);
    await landed(phone, phone.goto("/staff/cases?mine=1"), "the \"mine\" list again");
    assert.equal(await phone.locator("main table").count(), 0);
    assert.equal(squash(await phone.locator("main").innerText()).includes(es["staff.noCasesMine"]), true);
    await inspect(phone, "mine-empty-es-phone");
  });
});
