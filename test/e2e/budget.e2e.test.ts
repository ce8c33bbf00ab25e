/**
 * Browser tests of the budget pages, walked like people would:
 *
 * - a resident votes in Spanish on a phone: asks for a link with their email and ZIP, opens the
 *   emailed link, fills the shopping cart (the running total updates as they tick; going over
 *   the budget turns it into a warning), stays within the budget and casts the ballot;
 * - the same cart without JavaScript: "Actualizar el total" asks the server;
 * - the results of a finished People's Budget, greedy and Equal Shares side by side;
 * - the police share of the general fund with its chart, and a what-if scenario shared by link.
 *
 * Every page visited gets an axe check (no serious or critical violation), a check for sideways
 * scrolling on phones and a screenshot (test-results/screenshots/budget-NN-*.png).
 *
 * The site is the real app (createApp) with the budget routes mounted as src/app.tsx mounts them,
 * served on a free port over a fresh database with the Kansas City figures and the demo seeded.
 *
 *   node --import tsx --test test/e2e/budget.e2e.test.ts
 *   npx tsx scripts/with-postgres.ts node --import tsx --test test/e2e/budget.e2e.test.ts
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { serve, type ServerType } from "@hono/node-server";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { createApp } from "../../src/app.js";
import { createUser } from "../../src/auth/service.js";
import { budgetEs } from "../../src/budget/i18n.js";
import { budgetRoutes } from "../../src/budget/routes.js";
import { DEMO_CODES, DEMO_RESULTS_SLUG, DEMO_VOTING_SLUG, seedBudgetDemo, seedKansasCityBudget } from "../../src/budget/seed.js";
import { loadConfig } from "../../src/config.js";
import { connect } from "../../src/db/connect.js";
import type { Db } from "../../src/db/db.js";
import { migrate } from "../../src/db/migrate.js";
import { createLogger } from "../../src/logger.js";
import { checkA11y, createThrowawayDatabase, launchBrowser, screenshot, PageOpener } from "./harness.js";

const engine = process.env.DATABASE_URL ? "postgres" : "pglite";
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const PHONE_ES: BrowserContextOptions = { viewport: PHONE, locale: "es-ES", isMobile: true, hasTouch: true };
const SECRET = Buffer.from("budget-e2e-secret-0123456789abcdef0123456789");
const VOTER = "vecina.e2e@example.org";

interface Site {
  url: string;
  db: Db;
  close(): Promise<void>;
}

/** The real app with the budget mounted, on a free port, over a fresh seeded database. */
async function startBudgetSite(): Promise<Site> {
  const dataDir = await mkdtemp(join(tmpdir(), "oversight-budget-e2e-"));
  const database = process.env.DATABASE_URL ? await createThrowawayDatabase(process.env.DATABASE_URL) : undefined;
  const db = await connect({ dataDir: join(dataDir, "db"), databaseUrl: database?.url });
  await migrate(db);
  await seedKansasCityBudget(db);
  await seedBudgetDemo(db, { secret: SECRET });
  const config = { ...loadConfig({ dataDir, port: 0 }, {}), apiRateLimit: 10_000 };
  const app = createApp({ db, config, logger: createLogger("silent"), demo: true, secret: SECRET });
  app.route("/", budgetRoutes());
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
    s.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://localhost:${port}`,
    db,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
      await database?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const squash = (value: string | null) => (value ?? "").replace(/\s+/g, " ").trim();

describe(`the budget in a browser (${engine})`, { timeout: 240_000 }, () => {
  let site: Site;
  let browser: Browser;
  const pages = new PageOpener(() => browser, () => site.url, { viewport: DESKTOP, locale: "en-US" }, { consoleErrors: true });
  let shot = 0;

  before(async () => {
    const [started, launched] = await Promise.allSettled([startBudgetSite(), launchBrowser()]);
    if (started.status === "fulfilled") site = started.value;
    if (launched.status === "fulfilled") browser = launched.value;
    if (started.status === "rejected") throw started.reason;
    if (launched.status === "rejected") throw launched.reason;
  });

  after(async () => {
    await pages.close();
    await browser?.close();
    await site?.close();
  });

  /** axe, no sideways scrolling, a numbered full-page screenshot. */
  async function inspect(page: Page, name: string): Promise<void> {
    shot += 1;
    assert.deepEqual(pages.problems, [], "no dialog, script error or console error so far");
    await checkA11y(page, name);
    await screenshot(page, `budget-${String(shot).padStart(2, "0")}-${name}`);
    // Against the screen's own width: a phone browser widens its layout viewport to fit a page that is too wide.
    const viewport = page.viewportSize()!.width;
    const width = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, layout: window.innerWidth }));
    assert.ok(width.page <= viewport && width.layout <= viewport, `${name}: no sideways scrolling (page ${width.page}px wide, layout ${width.layout}px, screen ${viewport}px)`);
  }

  it("a resident votes in Spanish on a phone: an emailed link, the shopping cart within the budget", async () => {
    const page = await pages.newPage(PHONE_ES);
    const opened = await page.goto(`/budget/p/${DEMO_VOTING_SLUG}?lang=es`);
    assert.equal(opened?.status(), 200);
    assert.equal(await page.locator("html").getAttribute("lang"), "es");
    assert.match(squash(await page.locator("h1").textContent()), /Presupuesto del Pueblo 2026 \(demostración\)/);
    await inspect(page, "process-phone-es");

    await page.getByRole("link", { name: budgetEs["budget.vote.start"], exact: true }).click();
    await page.waitForURL(/\/vote\?lang=es$/);
    await inspect(page, "vote-start-phone-es");
    await page.getByLabel(budgetEs["budget.vote.email"], { exact: true }).fill(VOTER);
    await page.getByLabel(budgetEs["budget.vote.zip"], { exact: true }).fill("64130");
    await page.getByRole("button", { name: budgetEs["budget.vote.sendLink"] }).click();
    await page.waitForURL(/\/vote\/sent\?lang=es$/);
    assert.match(squash(await page.locator("h1").textContent()), new RegExp(budgetEs["budget.vote.checkEmail"]));
    await inspect(page, "link-sent-phone-es");

    // The email the outbox would deliver (delivery itself is tested against a real SMTP server in pb-service.test.ts).
    const [mail] = await site.db.query<{ body_text: string }>("SELECT body_text FROM email_outbox WHERE to_address = $1", [VOTER]);
    const link = /https?:\/\/[^/\s]+(\/budget\/p\/[^\s]+)/.exec(mail.body_text)?.[1];
    assert.ok(link, "the email holds the voting link");
    const ballot = await page.goto(link);
    assert.equal(ballot?.status(), 200);
    assert.match(squash(await page.locator("h1").textContent()), new RegExp(budgetEs["budget.ballot.title"]));
    const total = page.locator("#cart-total-text");
    assert.match(squash(await total.textContent()), /^Elegido: .*0 de .*1.000.000 — quedan .*1.000.000/);
    // With JavaScript the total is live, so the button that only recomputes it is hidden.
    assert.equal(await page.locator("#update-total").isVisible(), false);

    const tick = (name: string) => page.getByRole("checkbox", { name: new RegExp(name) });
    await tick("Fondo de ayuda de emergencia para el alquiler").check();
    await tick("Clínica de salud móvil").check();
    await tick("Tutorías después de clases").check();
    assert.match(squash(await total.textContent()), /^Elegido: .*600.000 de .*1.000.000 — quedan .*400.000/);
    // Going over: the total says by how much, in words and colour.
    await tick("Equipo de respuesta a crisis de salud mental").check();
    await tick("Ciclovías protegidas").check();
    const over = squash(await total.textContent());
    assert.match(over, /por encima del presupuesto/);
    assert.match(over, /210.000 por encima del presupuesto de .*1.000.000/);
    assert.match((await page.locator("#cart-total").getAttribute("class")) ?? "", /\bover\b/);
    await screenshot(page, `budget-${String(++shot).padStart(2, "0")}-ballot-over-phone-es`);
    // Cast anyway: refused with the reason, the choices kept, the link still good.
    const refusedCast = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.endsWith("/ballot"));
    await page.getByRole("button", { name: budgetEs["budget.ballot.cast"] }).click();
    assert.equal((await refusedCast).status(), 422);
    await page.waitForLoadState();
    assert.match(squash(await page.locator("#ballot-error").textContent()), /^Sus elecciones cuestan .*1.210.000, es decir .*210.000 por encima del presupuesto de .*1.000.000\. Quite proyectos hasta que el total quepa; su boleta no se registró\.$/);
    assert.equal(await tick("Ciclovías protegidas").isChecked(), true, "the choices are kept");
    await inspect(page, "ballot-refused-phone-es");
    await tick("Ciclovías protegidas").uncheck();
    await tick("Equipo de respuesta a crisis de salud mental").uncheck();
    await tick("Paneles solares").check();
    assert.match(squash(await total.textContent()), /^Elegido: .*750.000 de .*1.000.000 — quedan .*250.000/);
    await inspect(page, "ballot-phone-es");

    const posted = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.endsWith("/ballot"));
    await page.getByRole("button", { name: budgetEs["budget.ballot.cast"] }).click();
    assert.equal((await posted).status(), 303);
    await page.waitForURL(/\/voted\?lang=es$/);
    assert.equal(squash(await page.locator("#voted").textContent()), budgetEs["budget.voted.thanks"]);
    await inspect(page, "voted-phone-es");

    // One ballot, with the ZIP as its group and nothing else about the voter.
    const ballots = await site.db.query<{ voter_group: string; n: number }>("SELECT voter_group, cardinality(choices) AS n FROM pb_ballots b JOIN pb_processes p ON p.id = b.process_id WHERE p.slug = $1", [DEMO_VOTING_SLUG]);
    assert.deepEqual(ballots.map((b) => [b.voter_group, Number(b.n)]), [["64130", 4]]);
    // The link is spent.
    const again = await page.goto(link);
    assert.equal(again?.status(), 409);
    assert.match(squash(await page.locator("#refusal").textContent()), /Ya se emitió una boleta/);
  });

  it("the cart works without JavaScript: the server recomputes the total and refuses a ballot over the budget", async () => {
    const page = await pages.newPage({ ...PHONE_ES, javaScriptEnabled: false });
    await page.goto(`/budget/p/${DEMO_VOTING_SLUG}/vote?lang=es`);
    await page.getByLabel(budgetEs["budget.vote.code"], { exact: true }).fill(DEMO_CODES[5].toLowerCase());
    await page.getByRole("button", { name: budgetEs["budget.vote.useCode"] }).click();
    await page.waitForLoadState();
    const update = page.getByRole("button", { name: budgetEs["budget.ballot.update"] });
    assert.equal(await update.isVisible(), true);
    for (const name of ["Fondo de ayuda", "Subsidios para reparar", "Equipo de respuesta", "Ciclovías protegidas"]) await page.getByRole("checkbox", { name: new RegExp(name) }).check();
    await update.click();
    await page.waitForLoadState();
    assert.match(squash(await page.locator("#cart-total-text").textContent()), /por encima del presupuesto/);
    const refused = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.endsWith("/ballot"));
    await page.getByRole("button", { name: budgetEs["budget.ballot.cast"] }).click();
    assert.equal((await refused).status(), 422);
    await page.waitForLoadState();
    assert.match(squash(await page.locator("#ballot-error").textContent()), /Sus elecciones cuestan .*1.130.000.*130.000 por encima del presupuesto de .*1.000.000/);
    // Without JavaScript axe cannot run in this page; the same refusal page was checked with it above.
    await screenshot(page, `budget-${String(++shot).padStart(2, "0")}-ballot-refused-nojs-phone-es`);
    await page.getByRole("checkbox", { name: /Ciclovías protegidas/ }).uncheck();
    await page.getByRole("checkbox", { name: /Subsidios para reparar/ }).uncheck();
    const cast = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.endsWith("/ballot"));
    await page.getByRole("button", { name: budgetEs["budget.ballot.cast"] }).click();
    assert.equal((await cast).status(), 303);
    await page.waitForLoadState();
    assert.equal(squash(await page.locator("#voted").textContent()), budgetEs["budget.voted.thanks"]);
  });

  it("results: greedy and Equal Shares side by side, with groups and charts", async () => {
    const page = await pages.newPage();
    assert.equal((await page.goto(`/budget/p/${DEMO_RESULTS_SLUG}/results`))?.status(), 200);
    const greedy = page.locator('[data-rule="greedy"]');
    const mes = page.locator('[data-rule="equal-shares"]');
    assert.match(squash(await greedy.locator("h3").textContent()), /Most votes first/);
    assert.match(squash(await mes.locator("h3").textContent()), /Method of Equal Shares/);
    const [g, m] = [await greedy.boundingBox(), await mes.boundingBox()];
    assert.ok(g && m && Math.abs(g.y - m.y) < 2 && m.x > g.x + g.width - 1, "the rules' cards sit side by side");
    assert.match(squash(await mes.textContent()), /Official rule/);
    // The majority's projects under greedy; every group gets something under Equal Shares.
    const rows = await page.locator(".groups-table tbody tr").allTextContents();
    assert.equal(rows.length, 3);
    assert.equal(await page.locator(".budget-chart svg").count(), 2);
    await inspect(page, "results-desktop");
    const phone = await pages.newPage(PHONE_ES);
    await phone.goto(`/budget/p/${DEMO_RESULTS_SLUG}/results?lang=es`);
    assert.match(squash(await phone.locator('[data-rule="equal-shares"] h3').textContent()), /Método de Partes Iguales/);
    await inspect(phone, "results-phone-es");
  });

  it("the police share of the general fund, its chart, and a what-if shared by link", async () => {
    const page = await pages.newPage();
    assert.equal((await page.goto("/budget/share"))?.status(), 200);
    const chart = page.locator(".budget-chart .chart svg").first();
    assert.equal(await chart.isVisible(), true);
    assert.ok(((await chart.boundingBox())?.height ?? 0) > 100, "the chart is drawn");
    assert.match(squash(await page.locator("#unknown-total").textContent()), /do not guess it/);
    assert.match(await page.locator("main").innerText(), /Press reports/);
    await inspect(page, "share-desktop");

    await page.locator('select[name="year"]').selectOption({ label: "Demo City (synthetic data) — FY2024" });
    await page.getByLabel("Amount to move (whole dollars)", { exact: true }).fill("65000000");
    await page.getByRole("button", { name: "Show the scenario" }).click();
    await page.waitForURL(/\/budget\/what-if\?/);
    assert.match(squash(await page.locator("#scenario-summary").textContent()), /Moving \$65,000,000 from the police budget of Demo City \(synthetic data\) FY2024/);
    assert.match(squash(await page.locator("#scenario-figures").textContent()), /The cap is met/);
    const shared = await page.locator("#share-url").inputValue();
    await inspect(page, "what-if-desktop");
    const other = await pages.newPage(PHONE_ES);
    assert.equal((await other.goto(new URL(shared).pathname + new URL(shared).search.replace("lang=en", "lang=es")))?.status(), 200);
    assert.match(squash(await other.locator("#scenario-summary").textContent()), /Trasladar .*65.000.000/);
    await inspect(other, "what-if-phone-es");
    const phoneShare = await pages.newPage(PHONE_ES);
    await phoneShare.goto("/budget/share?lang=es");
    await inspect(phoneShare, "share-phone-es");
  });

  it("an organizer's forms: budget years, a process, codes to print", async () => {
    await createUser(site.db, { email: "organizer@budget-e2e.test", displayName: "Budget Organizer", password: "organizer password 1", role: "organizer" }, "test");
    const page = await pages.newPage();
    await page.goto("/login");
    await page.getByLabel("Email", { exact: true }).fill("organizer@budget-e2e.test");
    await page.getByLabel("Password", { exact: true }).fill("organizer password 1");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForLoadState();
    assert.equal((await page.goto("/budget/admin"))?.status(), 200);
    await page.locator("summary", { hasText: "Add a budget year" }).click();
    await inspect(page, "admin-home");
    await page.getByRole("link", { name: /Kansas City, Missouri — FY2020/ }).click();
    await page.waitForLoadState();
    await inspect(page, "admin-year");
    await page.goto(`/budget/admin/p/${DEMO_VOTING_SLUG}`);
    await inspect(page, "admin-process");
    await page.getByLabel("How many codes", { exact: true }).fill("6");
    await page.getByLabel("Event", { exact: true }).fill("Westside library, May 12");
    await page.getByRole("button", { name: "Make codes" }).click();
    await page.waitForLoadState();
    assert.equal(await page.locator("#codes li").count(), 6);
    await inspect(page, "admin-codes");
  });
});
