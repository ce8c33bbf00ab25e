/**
 * Browser-test harness: the real server in-process on a free port with the demo
 * loaded, a headless Chromium driven by playwright-core, an axe-core check and
 * full-page screenshots.
 *
 *   const site = await startTestSite();
 *   const browser = await launchBrowser();
 *   const page = await browser.newPage({ baseURL: site.url });
 *   await checkA11y(page, "home");
 *   await screenshot(page, "home-desktop");
 *   await browser.close(); await site.close();
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { loadConfig } from "../../src/config.js";
import type { Db } from "../../src/db/db.js";
import { createThrowawayDatabase } from "../../src/db/test-db.js";
import type { DemoAdmin } from "../../src/records/demo.js";
import { startServer } from "../../src/server.js";

const require = createRequire(import.meta.url);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface TestSite {
  /** Base URL with the real port, e.g. http://localhost:41234 */
  url: string;
  db: Db;
  /** The demo administrator's sign-in: its password is random, made when the demo was loaded. */
  demoAdmin: DemoAdmin;
  /** "pglite" or "postgres": which engine this run exercises. */
  engine: "pglite" | "postgres";
  /** Stops the server, closes the database, drops the throwaway database / data dir. */
  close(): Promise<void>;
}

// Shared with the unit tests and benchmarks.
export { createThrowawayDatabase, type ThrowawayDatabase } from "../../src/db/test-db.js";

/**
 * Starts the real server (migrations, demo load, listen) on a free port. With
 * DATABASE_URL set, it runs against a fresh throwaway database on that server,
 * because the demo only loads into an empty database. process.env is not changed:
 * the database URL reaches the server through loadConfig's env argument.
 */
export async function startTestSite(): Promise<TestSite> {
  const dataDir = await mkdtemp(join(tmpdir(), "oversight-e2e-"));
  const serverUrl = process.env.DATABASE_URL;
  const database = serverUrl ? await createThrowawayDatabase(serverUrl) : undefined;
  // The demo administrator signs in with a password only, as the browser tests do.
  const env: NodeJS.ProcessEnv = { OVERSIGHT_ADMIN_TWO_FACTOR: "optional", ...process.env, DATABASE_URL: database?.url ?? "", LOG_LEVEL: process.env.LOG_LEVEL ?? "silent" };
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(loadConfig({ dataDir, port: 0 }, env), { demo: true });
  } catch (error) {
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  // Port 0 must become the port the OS actually gave us.
  const port = Number(new URL(server.url).port);
  assert.ok(port > 0, `startServer returned ${server.url} for port 0: it must report the real port`);
  assert.ok(server.demoAdmin, "the test site's empty database got the demo and its administrator");
  return {
    url: server.url,
    db: server.db,
    demoAdmin: server.demoAdmin,
    engine: database ? "postgres" : "pglite",
    async close() {
      try {
        await server.close();
      } finally {
        await database?.drop();
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Headless Debian Chromium. The background-networking flags stop Chromium from
 * phoning home (component updates, sync, QUIC probes): on this machine's closed
 * network those connections are refused and would otherwise disturb the run.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

let axeSource: Promise<string> | undefined;

interface AxeResult {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * Runs axe-core on the page and fails on any serious or critical violation.
 *
 * How axe gets in under the site's CSP (`script-src 'self'`, no 'unsafe-inline',
 * no 'unsafe-eval'): page.addScriptTag({ path }) reads the file and inserts it as
 * an *inline* <script>, which Chromium refuses ("Executing inline script violates
 * the following Content Security Policy directive 'script-src 'self''") unless the
 * context was opened with bypassCSP: true. We don't want that: bypassCSP would
 * switch the policy off for the very pages under test, so a page that only worked
 * because its inline script was allowed would pass. Instead the axe source is run
 * with page.evaluate(): Playwright sends that over the DevTools protocol
 * (Runtime.callFunctionOn), and code the debugger injects is not subject to the
 * page's CSP, including an eval() it makes. The indirect eval runs axe's UMD
 * bundle at global scope in the page's main world, defining window.axe, and the
 * next evaluate() calls axe.run() there. Works in an ordinary context with the
 * real CSP in force (checked with Chromium 156, playwright-core 1.65).
 */
export async function checkA11y(page: Page, label: string): Promise<void> {
  axeSource ??= readFile(require.resolve("axe-core/axe.min.js"), "utf8");
  const source = await axeSource;
  const hasAxe = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === "object");
  if (!hasAxe) {
    await page.evaluate((code) => {
      // Indirect eval: runs the UMD bundle at global scope so it defines window.axe.
      (0, eval)(code);
    }, source);
  }
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeResult[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = serious
    .map((v) => `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${v.nodes.map((n) => `      at ${JSON.stringify(n.target)}${n.failureSummary ? `\n        ${n.failureSummary.replace(/\n/g, "\n        ")}` : ""}`).join("\n")}`)
    .join("\n");
  assert.equal(serious.length, 0, `axe found ${serious.length} serious/critical violation(s) on "${label}" (${page.url()}):\n${report}`);
}

/** A full-page PNG at test-results/screenshots/<name>.png; returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = join(repoRoot, "test-results", "screenshots");
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Opens pages in fresh browser contexts on the test site and collects what
 * should never happen (a dialog, a script error; optionally a console error)
 * into `problems`, which a test asserts empty at each check. `close()` closes
 * every context it opened.
 */
export class PageOpener {
  readonly problems: string[] = [];
  private readonly contexts: BrowserContext[] = [];

  constructor(
    private readonly browser: () => Browser,
    private readonly baseURL: () => string,
    private readonly defaults: BrowserContextOptions,
    private readonly options: { consoleErrors?: boolean } = {},
  ) {}

  async newPage(options: BrowserContextOptions = {}): Promise<Page> {
    const context = await this.browser().newContext({ baseURL: this.baseURL(), ...this.defaults, ...options });
    this.contexts.push(context);
    const page = await context.newPage();
    page.on("dialog", (dialog) => {
      this.problems.push(`${dialog.type()} dialog on ${page.url()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on("pageerror", (error) => this.problems.push(`script error on ${page.url()}: ${error.message}`));
    if (this.options.consoleErrors) {
      page.on("console", (message) => {
        // A refusal's status (409, 422) is logged by the browser as a failed load: expected, and checked where it happens.
        if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) this.problems.push(`console error on ${page.url()}: ${message.text()}`);
      });
    }
    return page;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.contexts.map((context) => context.close()));
  }
}
