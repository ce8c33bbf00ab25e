/**
 * Browser tests of the public site: the real server with the demo loaded, driven
 * by headless Chromium. Runs on PGlite by default and on PostgreSQL when
 * DATABASE_URL is set (`npx tsx scripts/with-postgres.ts node --import tsx --test test/e2e/site.e2e.test.ts`).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { en, es } from "../../src/web/i18n/index.js";
import { checkA11y, launchBrowser, screenshot, startTestSite, type TestSite } from "./harness.js";

const engine = process.env.DATABASE_URL ? "postgres" : "pglite";
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

describe(`site in a browser (${engine})`, { timeout: 60_000 }, () => {
  let site: TestSite;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(async () => {
    // Start both at once, but keep whichever started even if the other fails, so after() can close it.
    const [started, launched] = await Promise.allSettled([startTestSite(), launchBrowser()]);
    if (started.status === "fulfilled") site = started.value;
    if (launched.status === "fulfilled") browser = launched.value;
    if (started.status === "rejected") throw started.reason;
    if (launched.status === "rejected") throw launched.reason;
  });

  after(async () => {
    await Promise.allSettled(contexts.map((context) => context.close()));
    await browser?.close();
    await site?.close();
  });

  /** A fresh context (own cookies) for each test, so no session or language choice leaks between tests. */
  async function newPage(options: BrowserContextOptions = {}): Promise<Page> {
    const context = await browser.newContext({ baseURL: site.url, viewport: DESKTOP, locale: "en-US", ...options });
    contexts.push(context);
    return context.newPage();
  }

  async function statFigures(page: Page, lang: string): Promise<number[]> {
    const texts = await page.locator(".stats .figure").allTextContents();
    // Figures are formatted for the page's language (1,234 in English, 1234 / 1.234 in Spanish).
    const group = lang === "es" ? /[.\s\u00a0]/g : /[,\s\u00a0]/g;
    return texts.map((text) => Number(text.replace(group, "")));
  }

  it("shows the English home page with the demo banner and real counts", async () => {
    const page = await newPage();
    const response = await page.goto("/");
    assert.equal(response?.status(), 200);
    // The axe checks below run with the site's real, strict policy in force.
    assert.match(response?.headers()["content-security-policy"] ?? "", /script-src 'self'(;|$)/);
    assert.equal(await page.title(), `${en["home.title"]} · ${en["site.name"]}`);
    assert.equal(await page.locator("html").getAttribute("lang"), "en");
    assert.equal((await page.locator("h1").textContent())?.trim(), en["home.title"]);

    const banner = page.locator(".demo-banner");
    assert.ok(await banner.isVisible(), "the demo banner is visible");
    assert.equal((await banner.textContent())?.trim(), en["demo.banner"]);

    const figures = await statFigures(page, "en");
    assert.equal(figures.length, 6, "six stat figures");
    for (const figure of figures) assert.ok(Number.isInteger(figure) && figure > 0, `stat figure ${figure} is a positive number (all: ${figures.join(", ")})`);

    await checkA11y(page, "home (en, desktop)");
    await screenshot(page, "home-en-desktop");

    await page.setViewportSize(PHONE);
    await page.reload();
    assert.ok(await banner.isVisible(), "the demo banner is visible on a phone");
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    assert.ok(widths.page <= widths.viewport, `no sideways scrolling on a phone (page ${widths.page}px wide, viewport ${widths.viewport}px)`);
    await checkA11y(page, "home (en, phone)");
    await screenshot(page, "home-en-phone");
  });

  it("shows the home page in Spanish via ?lang=es", async () => {
    const page = await newPage();
    await page.goto("/?lang=es");
    assert.equal(await page.locator("html").getAttribute("lang"), "es");
    const h1 = (await page.locator("h1").textContent())?.trim();
    assert.equal(h1, es["home.title"]);
    assert.notEqual(h1, en["home.title"]);
    assert.equal((await page.locator(".demo-banner").textContent())?.trim(), es["demo.banner"]);
    const figures = await statFigures(page, "es");
    for (const figure of figures) assert.ok(figure > 0, `stat figure ${figure} is a positive number`);
    await checkA11y(page, "home (es via ?lang)");
    await screenshot(page, "home-es-desktop");
  });

  it("shows the home page in Spanish from the browser's Accept-Language", async () => {
    const page = await newPage({ locale: "es-ES", viewport: PHONE });
    const request = page.waitForRequest((r) => new URL(r.url()).pathname === "/");
    await page.goto("/");
    assert.match((await request).headers()["accept-language"] ?? "", /^es/, "the browser asks for Spanish");
    assert.equal(await page.locator("html").getAttribute("lang"), "es");
    assert.equal((await page.locator("h1").textContent())?.trim(), es["home.title"]);
    await checkA11y(page, "home (es via Accept-Language, phone)");
    await screenshot(page, "home-es-phone");
  });

  it("signs in with the demo administrator, keeps private pages out of caches, and signs out", async () => {
    const page = await newPage();
    const anonymous = await page.goto("/");
    assert.equal(anonymous?.headers()["cache-control"], "no-cache", "before signing in the home page is an ordinary public page");

    await page.goto("/login");
    await page.getByLabel(en["auth.email"]).fill(site.demoAdmin.email);
    await page.getByLabel(en["auth.password"]).fill(site.demoAdmin.password);
    const posted = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/login");
    await page.locator("main").getByRole("button", { name: en["auth.submit"] }).click();
    assert.equal((await posted).status(), 303);
    await page.waitForURL(`${site.url}/`);

    const signedIn = page.locator("header .account");
    assert.equal((await signedIn.locator("span").textContent())?.trim(), en["auth.signedInAs"].replace("{name}", "Demo administrator"));
    const cookies = await page.context().cookies();
    const session = cookies.find((cookie) => cookie.name === "oversight_session");
    assert.ok(session?.httpOnly, "the session cookie exists and is httpOnly");

    const privatePage = await page.goto("/");
    assert.equal(privatePage?.headers()["cache-control"], "no-store", "a page for a signed-in user is never stored");
    await screenshot(page, "home-signed-in");
    await page.setViewportSize(PHONE);
    await checkA11y(page, "home (signed in, phone)");
    await screenshot(page, "home-signed-in-phone");
    await page.setViewportSize(DESKTOP);

    await page.getByRole("button", { name: en["nav.signOut"] }).click();
    await page.waitForURL(`${site.url}/`);
    await page.getByRole("link", { name: en["nav.signIn"] }).waitFor();
    assert.equal(await page.getByText("Signed in as").count(), 0);
    const afterSignOut = await page.goto("/");
    assert.equal(afterSignOut?.headers()["cache-control"], "no-cache", "signed out: the page is an ordinary public page again");
    assert.ok(!(await page.context().cookies()).some((cookie) => cookie.name === "oversight_session" && cookie.value), "the session cookie is gone");
  });

  it("refuses a wrong password with the error message", async () => {
    const page = await newPage();
    await page.goto("/login");
    await page.getByLabel(en["auth.email"]).fill(site.demoAdmin.email);
    await page.getByLabel(en["auth.password"]).fill("not-the-password");
    const posted = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/login");
    await page.locator("main").getByRole("button", { name: en["auth.submit"] }).click();
    assert.equal((await posted).status(), 400);
    await page.waitForLoadState();
    assert.equal((await page.getByRole("alert").textContent())?.trim(), en["auth.failed"]);
    assert.equal(await page.getByText("Signed in as").count(), 0);
    assert.ok(!(await page.context().cookies()).some((cookie) => cookie.name === "oversight_session"), "no session was created");
    await checkA11y(page, "login with an error");
    await screenshot(page, "login-failed");
  });

  it("refuses a login form posted without its CSRF token", async () => {
    const page = await newPage();
    await page.goto("/login");
    assert.equal(await page.locator('main form input[name="_csrf"]').count(), 1, "the form carries a CSRF token");
    await page.getByLabel(en["auth.email"]).fill(site.demoAdmin.email);
    await page.getByLabel(en["auth.password"]).fill(site.demoAdmin.password);
    await page.evaluate(() => document.querySelector('main form input[name="_csrf"]')?.remove());
    assert.equal(await page.locator('main form input[name="_csrf"]').count(), 0);
    const posted = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/login");
    await page.locator("main").getByRole("button", { name: en["auth.submit"] }).click();
    const response = await posted;
    assert.equal(response.status(), 403);
    assert.ok(!response.request().postData()?.includes("_csrf"), "the token really was left out");
    await page.waitForLoadState();
    assert.equal((await page.locator('[role="alert"] p').textContent())?.trim(), en["error.csrf"]);
    assert.ok(!(await page.context().cookies()).some((cookie) => cookie.name === "oversight_session"), "no session was created");
    await screenshot(page, "login-csrf-refused");
  });

  it("has an axe check that really fails on a serious violation", async () => {
    // Guards the harness: if axe silently stopped running, every checkA11y above would pass.
    const page = await newPage();
    await page.goto("/");
    await checkA11y(page, "home before breaking it");
    await page.evaluate(() => document.querySelector("main")!.append(document.createElement("button")));
    await assert.rejects(checkA11y(page, "home with a nameless button"), /\[critical\] button-name:[^\n]*\n\s+at \["#main > button"\]/);
  });

  it("makes the skip link the first tab stop, and it moves focus to main", async () => {
    const page = await newPage();
    await page.goto("/");
    await page.keyboard.press("Tab");
    const first = await page.evaluate(() => {
      const el = document.activeElement as HTMLAnchorElement | null;
      const box = el?.getBoundingClientRect();
      return { tag: el?.tagName, href: el?.getAttribute("href"), text: el?.textContent?.trim(), visible: !!box && box.left >= 0 && box.top >= 0 && box.width > 0 && box.right <= window.innerWidth };
    });
    assert.deepEqual(first, { tag: "A", href: "#main", text: en["nav.skip"], visible: true });
    await screenshot(page, "skip-link-focused");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.id === "main");
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), "MAIN");
    // The next Tab continues from main, not from the top of the page.
    await page.keyboard.press("Tab");
    assert.ok(await page.evaluate(() => !!document.activeElement && document.getElementById("main")!.contains(document.activeElement)), "tabbing on from main stays inside main");
  });
});
