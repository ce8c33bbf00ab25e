/**
 * The budget module's HTTP routes: the city budget share and what-if scenarios, People's
 * Budget processes (ideas, voting, results), the admin forms, the JSON API. Thin: parse and
 * authorize here, decide in the services, render in views/.
 */
import { readFileSync } from "node:fs";
import { Hono, type Context } from "hono";
import { ZodError } from "zod";
import { barChartSvg } from "../records/charts.js";
import type { AppEnv } from "../web/context.js";
import { describeIssues, notFound } from "../web/errors.js";
import { linkBase } from "../web/link-base.js";
import { renderPage } from "../web/render.js";
import { clientAddress, rateLimit } from "../web/security.js";
import { parseParam } from "../web/validate.js";
import { actorName, authorizeBudget, canBudget } from "./access.js";
import * as city from "./city-service.js";
import { BudgetError } from "./errors.js";
import { budgetTranslator, type BudgetKey, type BudgetTranslate, type Lang } from "./i18n.js";
import { exportProcess } from "./pabulib-io.js";
import * as pb from "./pb-service.js";
import * as present from "./present.js";
import { primaryCategory, type ProcessResults } from "./results.js";
import { PB_CATEGORIES, slugSchema, uuidSchema, whatIfQuerySchema, type Phase } from "./schema.js";
import { AdminHomeView, AdminProcessView, AdminYearView, CodesView } from "./views/admin.js";
import { CityShareView, suggestedMove, WhatIfForm, YearView } from "./views/city.js";
import { BudgetHomeView } from "./views/home.js";
import { BudgetNav, BudgetStyles, ErrorBox, formatUnits } from "./views/parts.js";
import { categoryLabel, ProcessListView, ProcessView } from "./views/process.js";
import { ResultsView, ruleName } from "./views/results.js";
import { BallotView, LinkSentView, VoteStartView } from "./views/vote.js";
import { WhatIfView } from "./views/whatif.js";

const ASSETS: Record<string, { body: Buffer; type: string }> = {
  "budget.css": { body: readFileSync(new URL("./assets/budget.css", import.meta.url)), type: "text/css; charset=utf-8" },
  "ballot.js": { body: readFileSync(new URL("./assets/ballot.js", import.meta.url)), type: "text/javascript; charset=utf-8" },
};

type Body = Record<string, string | File | (string | File)[]>;
const text = (body: Body, key: string) => {
  const value = body[key];
  return typeof value === "string" ? value : Array.isArray(value) && typeof value[0] === "string" ? value[0] : "";
};
const texts = (body: Body) => Object.fromEntries(Object.keys(body).filter((key) => key !== "_csrf" && key !== "token" && key !== "code").map((key) => [key, text(body, key)])) as Record<string, string>;

const MONEY_PARAMS = ["total", "budget", "over"];

/** The message for a refusal, naming the field or reason; null for anything that is not a refusal. */
function refusal(t: BudgetTranslate, error: unknown, lang: Lang = "en"): { message: string; status: 400 | 403 | 404 | 409 | 413 | 422; reason: string } | null {
  if (error instanceof BudgetError) {
    // Amounts of a process's currency are shown as money in the page's language.
    const currency = typeof error.params.currency === "string" ? error.params.currency : null;
    const params = currency
      ? Object.fromEntries(Object.entries(error.params).map(([k, v]) => [k, MONEY_PARAMS.includes(k) && typeof v === "number" ? formatUnits(v, currency, lang) : v]))
      : error.params;
    return { message: t(error.key, params), status: error.status, reason: error.reason };
  }
  if (error instanceof ZodError) return { message: t("budget.error.invalid", { detail: describeIssues(error.issues) }), status: 400, reason: "invalid" };
  return null;
}


/** All of the budget module's pages and API answers. Mount with `app.route("/", budgetRoutes())`. */
export function budgetRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const db = (c: Context<AppEnv>) => c.get("deps").db;
  const ctx = (c: Context<AppEnv>) => {
    authorizeBudget(c.get("actor"), "budget.read");
    const lang = (c.get("lang") === "es" ? "es" : "en") as Lang;
    return { lang, t: budgetTranslator(lang), manager: canBudget(c.get("actor"), "budget.manage") };
  };
  const manage = (c: Context<AppEnv>) => {
    const context = ctx(c);
    authorizeBudget(c.get("actor"), "budget.manage");
    return { ...context, actor: actorName(c.get("actor")) };
  };
  // Guessing codes or flooding mailboxes is slowed per client address; the app's own limit covers /api.
  const emailLimit = rateLimit(10, clientAddress);
  const codeLimit = rateLimit(20, clientAddress);
  const ballotLimit = rateLimit(60, clientAddress);
  const ideaLimit = rateLimit(10, clientAddress);
  const page = (c: Context<AppEnv>, title: string, body: Parameters<typeof renderPage>[2], status: Parameters<typeof renderPage>[3] = 200) => renderPage(c, title, body, status);
  /** A refusal with nothing to fill in again: the reason, and a way back. */
  const refusalPage = (c: Context<AppEnv>, t: BudgetTranslate, message: string, status: 400 | 403 | 404 | 409 | 413 | 422, back?: { href: string; label: string }) =>
    page(c, t("budget.refused"), (
      <>
        <BudgetStyles />
        <h1>{t("budget.refused")}</h1>
        <ErrorBox error={message} id="refusal" />
        {back ? <p><a href={back.href}>{back.label}</a></p> : null}
      </>
    ), status);
  const processOr404 = async (c: Context<AppEnv>) => {
    const process = await pb.findProcess(db(c), parseParam(c, "slug", slugSchema));
    if (!process) throw notFound();
    return process;
  };
  const private_ = (c: Context<AppEnv>) => {
    // Pages holding a voting link or code are never cached. (The site's Referrer-Policy, same-origin, already keeps the link's token from other sites.)
    c.header("x-private", "1");
  };

  app.get("/budget/assets/:name", (c) => {
    const asset = ASSETS[c.req.param("name")];
    if (!asset) throw notFound();
    return c.body(new Uint8Array(asset.body), 200, { "Content-Type": asset.type, "Cache-Control": "public, max-age=3600" });
  });

  // City budget ---------------------------------------------------------------------------------

  app.get("/budget", async (c) => {
    const { t, lang, manager } = ctx(c);
    const [years, processes] = await Promise.all([city.budgetYears(db(c)), pb.listProcesses(db(c))]);
    return page(c, t("budget.home.title"), <BudgetHomeView t={t} lang={lang} years={years} processes={processes} manager={manager} />);
  });

  app.get("/budget/share", async (c) => {
    const { t, lang, manager } = ctx(c);
    const years = await city.budgetYears(db(c));
    const charts = await shareCharts(t, years);
    return page(c, t("budget.share.title"), <CityShareView t={t} lang={lang} years={years} charts={charts} manager={manager} />);
  });

  app.get("/budget/years/:id", async (c) => {
    const { t, lang, manager } = ctx(c);
    const summary = await city.budgetYear(db(c), parseParam(c, "id", uuidSchema));
    if (!summary) throw notFound();
    return page(c, t("budget.yearTitle", { city: summary.year.city, label: summary.year.label }), <YearView t={t} lang={lang} summary={summary} manager={manager} />);
  });

  app.get("/budget/what-if", async (c) => {
    const { t, lang, manager } = ctx(c);
    const years = (await city.budgetYears(db(c))).filter((y) => y.police);
    const parsed = whatIfQuerySchema.safeParse(c.req.query());
    const showForm = (message: string, status: 400 | 404) =>
      page(c, t("budget.whatif.title"), (
        <>
          <BudgetStyles />
          <BudgetNav t={t} lang={lang} current="share" manager={manager} />
          <h1>{t("budget.whatif.title")}</h1>
          <WhatIfForm t={t} lang={lang} years={years} values={c.req.query()} error={message} />
        </>
      ), status);
    if (!parsed.success) return showForm(t("budget.error.invalid", { detail: describeIssues(parsed.error.issues) }), 400);
    const summary = years.find((y) => y.year.id === parsed.data.year);
    if (!summary) return showForm(t("budget.error.noYear"), 404);
    try {
      const result = city.whatIf(summary, parsed.data);
      const shareUrl = `${linkBase(c)}/budget/what-if?${city.whatIfQueryString(parsed.data, lang)}`;
      const chart = await whatIfChart(t, result);
      return page(c, t("budget.whatif.title"), <WhatIfView t={t} lang={lang} result={result} chartSvg={chart} shareUrl={shareUrl} years={years} manager={manager} />);
    } catch (error) {
      const refused = refusal(t, error);
      if (!refused) throw error;
      return showForm(refused.message, 400);
    }
  });

  // People's Budget: public ------------------------------------------------------------------------

  app.get("/budget/processes", async (c) => {
    const { t, lang, manager } = ctx(c);
    return page(c, t("budget.processes.title"), <ProcessListView t={t} lang={lang} processes={await pb.listProcesses(db(c))} manager={manager} />);
  });

  const showProcess = async (c: Context<AppEnv>, extra: { ideaError?: string; ideaValues?: Record<string, string>; status?: 200 | 400 | 409 } = {}) => {
    const { t, lang, manager } = ctx(c);
    const process = await processOr404(c);
    const proposals = (await pb.proposalsOf(db(c), process.id)).filter((x) => x.status !== "withdrawn");
    let funded: Set<string> | null = null;
    if (process.phase === "implementation") {
      const results = await pb.processResults(db(c), process);
      funded = new Set(results.rules.find((r) => r.official)?.selected ?? []);
    }
    const notice = c.req.query("idea") === "1" ? t("budget.idea.thanks") : null;
    // The demo's published codes, while some are left, so anyone can try voting without email.
    const demoCodes = process.demo && process.phase === "voting" ? (await pb.codeCounts(db(c), process.id)).find((b) => b.batch === "Demo codes" && b.used < b.total) : undefined;
    return page(c, `${lang === "es" ? process.title_es || process.title_en : process.title_en}`, (
      <ProcessView t={t} lang={lang} process={process} proposals={proposals} funded={funded} demoCodes={Boolean(demoCodes)} csrfToken={c.get("csrfToken")} manager={manager} ideaError={extra.ideaError} ideaValues={extra.ideaValues} notice={notice} />
    ), extra.status ?? 200);
  };
  app.get("/budget/p/:slug", (c) => showProcess(c));

  app.post("/budget/p/:slug/ideas", ideaLimit, async (c) => {
    const { t, lang } = ctx(c);
    authorizeBudget(c.get("actor"), "budget.propose");
    const process = await processOr404(c);
    const body = (await c.req.parseBody()) as Body;
    try {
      await pb.submitIdea(db(c), process.id, { title: text(body, "title"), description: text(body, "description"), category: text(body, "category") || "other", location: text(body, "location") }, lang);
    } catch (error) {
      const refused = refusal(t, error);
      if (!refused) throw error;
      return showProcess(c, { ideaError: refused.message, ideaValues: texts(body), status: refused.status === 409 ? 409 : 400 });
    }
    return c.redirect(`/budget/p/${process.slug}?lang=${lang}&idea=1#idea-title`, 303);
  });

  const showVoteStart = async (c: Context<AppEnv>, extra: { emailError?: string; codeError?: string; values?: Record<string, string>; status?: 200 | 400 | 409 | 413 | 422 } = {}) => {
    const { t, lang } = ctx(c);
    const process = await processOr404(c);
    if (process.phase !== "voting") {
      return refusalPage(c, t, t("budget.error.closed", { phase: t(`budget.phase.${process.phase}` as BudgetKey) }), 409, { href: `/budget/p/${process.slug}?lang=${lang}`, label: t("budget.voted.back") });
    }
    return page(c, t("budget.vote.title"), <VoteStartView t={t} lang={lang} process={process} csrfToken={c.get("csrfToken")} emailError={extra.emailError} codeError={extra.codeError} values={extra.values} />, extra.status ?? 200);
  };
  app.get("/budget/p/:slug/vote", (c) => showVoteStart(c));

  app.post("/budget/p/:slug/vote/email", emailLimit, async (c) => {
    const { t, lang } = ctx(c);
    const process = await processOr404(c);
    const body = (await c.req.parseBody()) as Body;
    try {
      await pb.requestVoteLink(db(c), c.get("deps").secret, process, { email: text(body, "email"), zip: text(body, "zip") }, { baseUrl: linkBase(c), lang });
    } catch (error) {
      const refused = refusal(t, localizePhase(t, error), lang);
      if (!refused) throw error;
      return showVoteStart(c, { emailError: refused.message, values: { email: text(body, "email"), zip: text(body, "zip") }, status: refused.status === 404 || refused.status === 403 ? 400 : refused.status });
    }
    return c.redirect(`/budget/p/${process.slug}/vote/sent?lang=${lang}`, 303);
  });

  app.get("/budget/p/:slug/vote/sent", async (c) => {
    const { t, lang } = ctx(c);
    const process = await processOr404(c);
    return page(c, t("budget.vote.checkEmail"), <LinkSentView t={t} lang={lang} process={process} />);
  });

  const showBallot = async (c: Context<AppEnv>, process: pb.ProcessRow, credential: pb.Credential, extra: { selected?: Map<string, number>; error?: string; updated?: boolean; status?: 200 | 400 | 409 | 422 } = {}) => {
    const { t, lang } = ctx(c);
    private_(c);
    const proposals = pb.onBallot(await pb.proposalsOf(db(c), process.id));
    return page(c, t("budget.ballot.title"), (
      <BallotView t={t} lang={lang} process={process} proposals={proposals} credential={credential} csrfToken={c.get("csrfToken")} selected={extra.selected ?? new Map()} error={extra.error} updated={extra.updated} />
    ), extra.status ?? 200);
  };

  app.post("/budget/p/:slug/vote/code", codeLimit, async (c) => {
    const { t, lang } = ctx(c);
    const process = await processOr404(c);
    const body = (await c.req.parseBody()) as Body;
    try {
      const credential = await pb.checkCredential(db(c), c.get("deps").secret, process, { kind: "code", code: text(body, "code") });
      return showBallot(c, process, credential);
    } catch (error) {
      const refused = refusal(t, localizePhase(t, error), lang);
      if (!refused) throw error;
      return showVoteStart(c, { codeError: refused.message, status: refused.status === 404 || refused.status === 403 || refused.status === 413 ? 400 : refused.status });
    }
  });

  app.get("/budget/p/:slug/ballot", async (c) => {
    const { t, lang } = ctx(c);
    private_(c);
    const process = await processOr404(c);
    try {
      const credential = await pb.checkCredential(db(c), c.get("deps").secret, process, { kind: "token", token: c.req.query("token") ?? "" });
      return showBallot(c, process, credential);
    } catch (error) {
      const refused = refusal(t, localizePhase(t, error), lang);
      if (!refused) throw error;
      return refusalPage(c, t, refused.message, refused.status, { href: `/budget/p/${process.slug}?lang=${lang}`, label: t("budget.voted.back") });
    }
  });

  app.post("/budget/p/:slug/ballot", ballotLimit, async (c) => {
    const { t, lang } = ctx(c);
    private_(c);
    const process = await processOr404(c);
    const body = (await c.req.parseBody({ all: true })) as Body;
    const credential: pb.Credential | null = text(body, "token") ? { kind: "token", token: text(body, "token") } : text(body, "code") ? { kind: "code", code: text(body, "code") } : null;
    if (!credential) return refusalPage(c, t, t("budget.error.noCredential"), 400, { href: `/budget/p/${process.slug}/vote?lang=${lang}`, label: t("budget.vote.title") });
    let picks: pb.BallotChoice[];
    try {
      picks = readPicks(process, body);
    } catch (error) {
      const refused = refusal(t, error, lang);
      if (!refused) throw error;
      return showBallot(c, process, credential, { error: refused.message, status: 400 });
    }
    const selected = new Map(picks.filter((p) => process.ballot_type !== "cumulative" || (p.points ?? 0) > 0).map((p) => [p.proposalId, p.points ?? 1]));
    try {
      if (text(body, "intent") === "update") {
        // No JavaScript: the running total, recomputed here. Nothing is recorded.
        const checked = await pb.checkCredential(db(c), c.get("deps").secret, process, credential);
        return showBallot(c, process, checked, { selected, updated: true });
      }
      await pb.castBallot(db(c), c.get("deps").secret, process.id, credential, picks);
    } catch (error) {
      const refused = refusal(t, localizePhase(t, error), lang);
      if (!refused) throw error;
      // A spent or closed credential cannot vote again: no ballot to fill in, only the reason.
      if (["already-voted", "closed", "bad-link", "link-expired", "bad-code"].includes(refused.reason)) {
        return refusalPage(c, t, refused.message, refused.status, { href: `/budget/p/${process.slug}?lang=${lang}`, label: t("budget.voted.back") });
      }
      return showBallot(c, process, credential, { selected, error: refused.message, status: refused.status === 422 ? 422 : 400 });
    }
    return c.redirect(`/budget/p/${process.slug}/voted?lang=${lang}`, 303);
  });

  app.get("/budget/p/:slug/voted", async (c) => {
    const { t, lang } = ctx(c);
    const process = await processOr404(c);
    return page(c, t("budget.voted.title"), (
      <>
        <BudgetStyles />
        <h1>{t("budget.voted.title")}</h1>
        <p class="notice" role="status" id="voted">{t("budget.voted.thanks")}</p>
        <p>{t("budget.voted.secret")}</p>
        <p><a href={`/budget/p/${process.slug}?lang=${lang}`}>{t("budget.voted.back")}</a></p>
      </>
    ));
  });

  const loadResults = async (c: Context<AppEnv>) => {
    const { t, lang, manager } = ctx(c);
    const process = await processOr404(c);
    const published = process.phase === "results" || process.phase === "implementation";
    // No preview while voting, even for organizers: watching the counts change after someone votes would reveal their ballot.
    if (!published && (!manager || process.phase === "voting")) throw new BudgetError(409, process.phase === "voting" ? "budget.error.resultsWhileVoting" : "budget.error.resultsNotYet", { phase: t(`budget.phase.${process.phase}` as BudgetKey) }, "not-published");
    return { t, lang, manager, process, preview: !published, results: await pb.processResults(db(c), process) };
  };

  app.get("/budget/p/:slug/results", async (c) => {
    let loaded: Awaited<ReturnType<typeof loadResults>>;
    try {
      loaded = await loadResults(c);
    } catch (error) {
      const { t, lang } = ctx(c);
      const refused = refusal(t, error);
      if (!refused) throw error;
      return refusalPage(c, t, refused.message, refused.status, { href: `/budget/p/${c.req.param("slug")}?lang=${lang}`, label: t("budget.voted.back") });
    }
    const { t, lang, manager, process, preview, results } = loaded;
    if (preview) c.header("x-private", "1");
    const charts = await resultCharts(t, results);
    return page(c, t("budget.results.title", { title: lang === "es" ? process.title_es || process.title_en : process.title_en }), <ResultsView t={t} lang={lang} results={results} charts={charts} manager={manager} preview={preview} />);
  });

  app.get("/budget/p/:slug/export.pb", async (c) => {
    const { t, manager } = ctx(c);
    const process = await processOr404(c);
    if (!(process.phase === "results" || process.phase === "implementation" || (manager && process.phase !== "voting"))) {
      return refusalPage(c, t, t("budget.error.resultsNotYet", { phase: t(`budget.phase.${process.phase}` as BudgetKey) }), 409);
    }
    const { text: pbText } = await exportProcess(db(c), process.id);
    return c.body(pbText, 200, { "Content-Type": "text/plain; charset=utf-8", "Content-Disposition": `attachment; filename="${process.slug}.pb"` });
  });

  // Admin ----------------------------------------------------------------------------------------

  const showAdmin = async (c: Context<AppEnv>, extra: { yearError?: string; yearValues?: Record<string, string>; processError?: string; processValues?: Record<string, string>; status?: 200 | 400 | 409 } = {}) => {
    const { t, lang } = manage(c);
    const [years, processes] = await Promise.all([city.budgetYears(db(c)), pb.listProcesses(db(c))]);
    const done = c.req.query("done");
    return page(c, t("budget.admin.title"), (
      <AdminHomeView t={t} lang={lang} csrfToken={c.get("csrfToken")} years={years} processes={processes} notice={done ? t("budget.admin.saved") : null} {...extra} />
    ), extra.status ?? 200);
  };
  app.get("/budget/admin", (c) => showAdmin(c));

  app.post("/budget/admin/years", async (c) => {
    const { t, lang, actor } = manage(c);
    const body = (await c.req.parseBody()) as Body;
    try {
      const id = await city.createYear(db(c), actor, texts(body) as never);
      return c.redirect(`/budget/admin/years/${id}?lang=${lang}&done=1`, 303);
    } catch (error) {
      const refused = refusal(t, error);
      if (!refused) throw error;
      return showAdmin(c, { yearError: refused.message, yearValues: texts(body), status: refused.status === 409 ? 409 : 400 });
    }
  });

  const showYearAdmin = async (c: Context<AppEnv>, extra: { error?: string; errorFor?: "gf" | "line" | "csv"; values?: Record<string, string>; status?: 200 | 400 | 404 | 409 | 413 } = {}) => {
    const { t, lang } = manage(c);
    const summary = await city.budgetYear(db(c), parseParam(c, "id", uuidSchema));
    if (!summary) throw notFound();
    const done = c.req.query("done");
    return page(c, t("budget.yearTitle", { city: summary.year.city, label: summary.year.label }), (
      <AdminYearView t={t} lang={lang} csrfToken={c.get("csrfToken")} summary={summary} notice={done ? t(done === "import" ? "budget.admin.imported" : "budget.admin.saved", { lines: c.req.query("lines") ?? "" }) : null} {...extra} />
    ), extra.status ?? 200);
  };
  app.get("/budget/admin/years/:id", (c) => showYearAdmin(c));

  const yearWrite = (path: string, errorFor: "gf" | "line" | "csv", run: (c: Context<AppEnv>, actor: string, yearId: string, body: Body) => Promise<string>) => {
    app.post(path, async (c) => {
      const { t, actor } = manage(c);
      const yearId = parseParam(c, "id", uuidSchema);
      const body = (await c.req.parseBody()) as Body;
      try {
        return c.redirect(await run(c, actor, yearId, body), 303);
      } catch (error) {
        const refused = refusal(t, error);
        if (!refused) throw error;
        return showYearAdmin(c, { error: refused.message, errorFor, values: texts(body), status: refused.status === 422 || refused.status === 403 ? 400 : refused.status });
      }
    });
  };
  yearWrite("/budget/admin/years/:id/general-fund", "gf", async (c, actor, yearId, body) => {
    await city.setGeneralFund(db(c), actor, yearId, { general_fund: text(body, "general_fund"), general_fund_basis: text(body, "general_fund_basis") || undefined, general_fund_source: text(body, "general_fund_source") });
    return `/budget/admin/years/${yearId}?lang=${c.get("lang")}&done=1`;
  });
  yearWrite("/budget/admin/years/:id/lines", "line", async (c, actor, yearId, body) => {
    await city.addLine(db(c), actor, yearId, texts(body) as never);
    return `/budget/admin/years/${yearId}?lang=${c.get("lang")}&done=1`;
  });
  yearWrite("/budget/admin/years/:id/lines/:lineId/delete", "line", async (c, actor, yearId) => {
    await city.removeLine(db(c), actor, yearId, parseParam(c, "lineId", uuidSchema));
    return `/budget/admin/years/${yearId}?lang=${c.get("lang")}&done=1`;
  });
  yearWrite("/budget/admin/years/:id/import", "csv", async (c, actor, yearId, body) => {
    const file = body.file;
    const upload = file instanceof File && file.size > 0 ? file : null;
    if (upload && upload.size > city.CSV_MAX_BYTES) throw new BudgetError(413, "budget.error.csvTooLarge", { limit: "2 MB" }, "too-large");
    const csvText = upload ? await upload.text() : text(body, "csv");
    if (!csvText.trim()) throw new BudgetError(400, "budget.error.csvEmpty", {}, "csv-empty");
    const mapping = texts(body);
    const report = await city.importCsv(db(c), actor, yearId, csvText, mapping as never, upload?.name || "pasted.csv");
    return `/budget/admin/years/${yearId}?lang=${c.get("lang")}&done=import&lines=${report.lines}`;
  });

  app.post("/budget/admin/processes", async (c) => {
    const { t, lang, actor } = manage(c);
    const body = (await c.req.parseBody()) as Body;
    try {
      const values = texts(body);
      await pb.createProcess(db(c), actor, values as never);
      return c.redirect(`/budget/admin/p/${values.slug}?lang=${lang}&done=1`, 303);
    } catch (error) {
      const refused = refusal(t, error);
      if (!refused) throw error;
      return showAdmin(c, { processError: refused.message, processValues: texts(body), status: refused.status === 409 ? 409 : 400 });
    }
  });

  const showProcessAdmin = async (c: Context<AppEnv>, extra: { error?: string; errorFor?: string; values?: Record<string, string>; status?: 200 | 400 | 404 | 409 } = {}) => {
    const { t, lang } = manage(c);
    const process = await processOr404(c);
    const [proposals, codes, turnout] = await Promise.all([pb.proposalsOf(db(c), process.id), pb.codeCounts(db(c), process.id), pb.turnout(db(c), process.id)]);
    const done = c.req.query("done");
    return page(c, t("budget.admin.title"), (
      <AdminProcessView t={t} lang={lang} csrfToken={c.get("csrfToken")} process={process} proposals={proposals} codes={codes} turnout={turnout} notice={done ? t("budget.admin.saved") : null} {...extra} />
    ), extra.status ?? 200);
  };
  app.get("/budget/admin/p/:slug", (c) => showProcessAdmin(c));

  const processWrite = (path: string, errorFor: string, run: (c: Context<AppEnv>, actor: string, process: pb.ProcessRow, body: Body) => Promise<void>) => {
    app.post(path, async (c) => {
      const { t, lang, actor } = manage(c);
      const process = await processOr404(c);
      const body = (await c.req.parseBody()) as Body;
      try {
        await run(c, actor, process, body);
      } catch (error) {
        const refused = refusal(t, localizePhase(t, error), lang);
        if (!refused) throw error;
        return showProcessAdmin(c, { error: refused.message, errorFor, values: texts(body), status: refused.status === 409 ? 409 : refused.status === 404 ? 404 : 400 });
      }
      return c.redirect(`/budget/admin/p/${process.slug}?lang=${lang}&done=1`, 303);
    });
  };
  processWrite("/budget/admin/p/:slug/settings", "settings", (c, actor, process, body) => pb.updateProcess(db(c), actor, process.id, { ...texts(body), slug: process.slug } as never));
  processWrite("/budget/admin/p/:slug/phase", "phase", async (c, actor, process, body) => {
    await pb.setPhase(db(c), actor, process.id, text(body, "phase") as Phase);
  });
  processWrite("/budget/admin/p/:slug/proposals", "newProposal", async (c, actor, process, body) => {
    await pb.addProposal(db(c), actor, process.id, texts(body) as never);
  });
  processWrite("/budget/admin/p/:slug/proposals/:id", "proposal", (c, actor, process, body) => pb.updateProposal(db(c), actor, process.id, parseParam(c, "id", uuidSchema), texts(body) as never));
  processWrite("/budget/admin/p/:slug/proposals/:id/implementation", "proposal", (c, actor, process, body) =>
    pb.setImplementation(db(c), actor, process.id, parseParam(c, "id", uuidSchema), { implementation: text(body, "implementation"), implementation_note: text(body, "implementation_note") }));

  app.post("/budget/admin/p/:slug/codes", async (c) => {
    const { t, lang, actor } = manage(c);
    const process = await processOr404(c);
    const body = (await c.req.parseBody()) as Body;
    try {
      const codes = await pb.generateCodes(db(c), c.get("deps").secret, actor, process.id, { count: text(body, "count"), batch: text(body, "batch") });
      private_(c);
      return page(c, t("budget.admin.codes"), <CodesView t={t} lang={lang} process={process} codes={codes} batch={text(body, "batch")} />);
    } catch (error) {
      const refused = refusal(t, error);
      if (!refused) throw error;
      return showProcessAdmin(c, { error: refused.message, errorFor: "codes", status: refused.status === 409 ? 409 : 400 });
    }
  });

  // JSON API ---------------------------------------------------------------------------------------

  const apiRefusal = (c: Context<AppEnv>, t: BudgetTranslate, error: unknown) => {
    const refused = refusal(t, error);
    if (!refused) throw error;
    return c.json({ error: { status: refused.status, reason: refused.reason, message: refused.message } }, refused.status);
  };
  app.get("/api/v1/budget/years", async (c) => {
    ctx(c);
    return c.json({ years: (await city.budgetYears(db(c))).map(present.presentYear) });
  });
  app.get("/api/v1/budget/years/:id", async (c) => {
    ctx(c);
    const summary = await city.budgetYear(db(c), parseParam(c, "id", uuidSchema));
    if (!summary) throw notFound();
    return c.json(present.presentYear(summary));
  });
  app.get("/api/v1/budget/what-if", async (c) => {
    const { t } = ctx(c);
    try {
      const query = whatIfQuerySchema.parse(c.req.query());
      const summary = await city.budgetYear(db(c), query.year);
      if (!summary) throw new BudgetError(404, "budget.error.noYear", {}, "no-year");
      return c.json(present.presentWhatIf(city.whatIf(summary, query)));
    } catch (error) {
      return apiRefusal(c, t, error);
    }
  });
  app.get("/api/v1/budget/processes", async (c) => {
    ctx(c);
    return c.json({ processes: (await pb.listProcesses(db(c))).map((p) => present.presentProcess(p)) });
  });
  app.get("/api/v1/budget/processes/:slug", async (c) => {
    ctx(c);
    const process = await processOr404(c);
    return c.json(present.presentProcess(process, await pb.proposalsOf(db(c), process.id)));
  });
  app.get("/api/v1/budget/processes/:slug/results", async (c) => {
    const { t } = ctx(c);
    try {
      const { results } = await loadResults(c);
      return c.json(present.presentResults(results));
    } catch (error) {
      return apiRefusal(c, t, error);
    }
  });

  return app;
}

/** Refusals that name a phase get the phase's name in the page's language. */
function localizePhase(t: BudgetTranslate, error: unknown): unknown {
  if (error instanceof BudgetError && typeof error.params.phase === "string" && /^[a-z]+$/.test(error.params.phase)) {
    return new BudgetError(error.status, error.key, { ...error.params, phase: t(`budget.phase.${error.params.phase}` as BudgetKey) }, error.reason);
  }
  return error;
}

/** Ballot fields to choices: checkboxes named "choice" (proposal ids), or "points_<id>" numbers. */
function readPicks(process: pb.ProcessRow, body: Body): pb.BallotChoice[] {
  if (process.ballot_type !== "cumulative") {
    const raw = body.choice;
    const ids = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v): v is string => typeof v === "string");
    for (const id of ids) if (!uuidSchema.safeParse(id).success) throw new BudgetError(400, "budget.error.notOnBallot", {}, "not-on-ballot");
    return ids.map((proposalId) => ({ proposalId }));
  }
  const picks: pb.BallotChoice[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (!key.startsWith("points_")) continue;
    const proposalId = key.slice("points_".length);
    const raw = typeof value === "string" ? value.trim() : "";
    if (!uuidSchema.safeParse(proposalId).success) throw new BudgetError(400, "budget.error.notOnBallot", {}, "not-on-ballot");
    if (raw === "") continue;
    if (!/^\d{1,4}$/.test(raw)) throw new BudgetError(400, "budget.error.badPoints", {}, "bad-points");
    picks.push({ proposalId, points: Number(raw) });
  }
  return picks;
}

// Charts ----------------------------------------------------------------------------------------------

/** Per city: the police budget by year against the cap (dollars), and the share against the cap (percent). */
async function shareCharts(t: BudgetTranslate, years: city.YearSummary[]): Promise<Map<string, { amounts: string; shares: string }>> {
  const charts = new Map<string, { amounts: string; shares: string }>();
  const police = t("budget.police");
  const cap = t("budget.share.capSeries", { cap: city.CAP_PERCENT });
  for (const name of [...new Set(years.map((y) => y.year.city))]) {
    const withPolice = years.filter((y) => y.year.city === name && y.police);
    if (withPolice.length === 0) continue;
    const amounts = await barChartSvg(
      withPolice.flatMap((y) => [{ x: y.year.label, y: y.police!.cents / 100, series: police }, ...(y.capCents !== null ? [{ x: y.year.label, y: y.capCents / 100, series: cap }] : [])]),
      { xTitle: t("budget.year"), yTitle: t("budget.share.dollars"), money: true, grouped: true, seriesOrder: withPolice.some((y) => y.capCents !== null) ? [police, cap] : [police], height: 220, width: 420 },
    );
    const known = withPolice.filter((y) => y.shareBps !== null);
    const shareSeries = [t("budget.share.share"), cap];
    const shares = known.length
      ? await barChartSvg(
          known.flatMap((y) => [{ x: y.year.label, y: y.shareBps! / 10_000, series: shareSeries[0] }, { x: y.year.label, y: city.CAP_PERCENT / 100, series: cap }]),
          { xTitle: t("budget.year"), yTitle: t("budget.share.share"), percent: true, grouped: true, seriesOrder: shareSeries, height: 180, width: 420 },
        )
      : "";
    charts.set(name, { amounts, shares });
  }
  return charts;
}

async function whatIfChart(t: BudgetTranslate, r: city.WhatIfResult): Promise<string> {
  const before = t("budget.whatif.before");
  const after = t("budget.whatif.after");
  const rows = [
    { label: t("budget.police"), before: r.policeBefore, after: r.policeAfter },
    ...PB_CATEGORIES.map((c) => ({ label: t(`budget.category.${c}` as BudgetKey), before: r.categoryBefore[c], after: r.categoryAfter[c] })),
  ];
  return barChartSvg(
    rows.flatMap((row) => [{ x: row.label, y: row.before / 100, series: before }, { x: row.label, y: row.after / 100, series: after }]),
    { xTitle: "", yTitle: t("budget.share.dollars"), money: true, grouped: true, seriesOrder: [before, after], height: 240 },
  );
}

async function resultCharts(t: BudgetTranslate, results: ProcessResults): Promise<{ categories: string; groups: string }> {
  if (results.rules.length === 0) return { categories: "", groups: "" };
  const series = results.rules.map((r) => ruleName(t, r.rule));
  const usd = results.process.currency === "USD";
  const categories = await barChartSvg(
    results.categories.flatMap((c) => results.rules.map((r) => ({ x: categoryLabel(t, primaryCategory(c.category)), y: c.perRule[r.rule] ?? 0, series: ruleName(t, r.rule) }))),
    { xTitle: t("budget.category"), yTitle: t("budget.results.fundedAmount", { currency: results.process.currency }), money: usd, grouped: true, seriesOrder: series, height: 240 },
  );
  const groupRows = results.groups.slice(0, 12);
  const groups = groupRows.length
    ? await barChartSvg(
        groupRows.flatMap((g) => results.rules.map((r) => ({ x: g.group, y: g.perRule[r.rule]!.satisfiedBps / 10_000, series: ruleName(t, r.rule) }))),
        { xTitle: t("budget.results.group"), yTitle: t("budget.results.satisfied"), percent: true, grouped: true, seriesOrder: series, height: 220 },
      )
    : "";
  return { categories, groups };
}
