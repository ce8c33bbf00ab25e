/**
 * The petitions over HTTP: pages, signing, confirmation links, the live count
 * (server-sent events), the organizers' tools and the JSON API. Mount with
 * `app.route("/", petitionRoutes())`; mount `petitionAbuseCounter()` before the
 * site's CSRF middleware so posts without the page's token are counted too.
 */
import { readFileSync } from "node:fs";
import { Hono, type Context, type MiddlewareHandler } from "hono";
import type { Child } from "hono/jsx";
import { streamSSE, type SSEStreamingApi } from "hono/streaming";
import { ZodError } from "zod";
import type { AppEnv } from "../../web/context.js";
import { describeIssues, HttpError, notFound } from "../../web/errors.js";
import { linkBase } from "../../web/link-base.js";
import { Layout } from "../../web/layout.js";
import type { PetitionSettings } from "./config.js";
import { QueueFullError } from "./group-commit.js";
import { petitionsTranslator, type PetitionsTranslate } from "./i18n.js";
import type { RejectionReason } from "./limits.js";
import { clientNetwork, emailKey, normalizeEmail } from "./normalize.js";
import { actorName, authorizePetitions, canPetitions } from "./access.js";
import { presentCounts, presentPetitionDetail, presentPetitionSummary, presentSigner } from "./present.js";
import { petitionRuntime, type PetitionRuntime } from "./runtime.js";
import { petitionFromForm, signFormErrors, signFormSchema } from "./schema.js";
import {
  addPaperSignatures, closePetition, createPetition, exportVerified, invalidateSignature, listPetitions, PaperImportError,
  petitionDetail, petitionState, publicSigners, rejectionCounts, signatureState, tallyRows, type PetitionWithTally,
} from "./service.js";
import { checkFormToken, confirmToken, formToken, readConfirmToken } from "./tokens.js";
import { PetitionList, SignersPage } from "./views/list.js";
import { ManagePage, NewPetitionForm } from "./views/manage.js";
import { formatDate, type Lang } from "./views/parts.js";
import { PetitionPage, type SignFormState } from "./views/petition.js";
import { ConfirmedView, ConfirmView, LinkProblemView, RefusedView, SignedView } from "./views/results.js";
import type { MailParts } from "./writes.js";
import { clientAddress } from "../../web/security.js";

const ASSETS: Record<string, { type: string; body: Buffer }> = {
  "petitions.css": { type: "text/css; charset=utf-8", body: readFileSync(new URL("./assets/petitions.css", import.meta.url)) },
  "live.js": { type: "text/javascript; charset=utf-8", body: readFileSync(new URL("./assets/live.js", import.meta.url)) },
};

const SIGNERS_PER_PAGE = 100;
/** Largest request to a petition route (a paper-signature CSV of 5 MB and the form); for a bodyLimit in src/app.tsx. */
export const MAX_PETITION_REQUEST_BYTES = 6 * 1024 * 1024;

export interface PetitionRoutesOptions {
  /** Settings instead of the environment's (tests); the first use for a database fixes them. */
  settings?: Partial<PetitionSettings>;
}

type C = Context<AppEnv>;


const langOf = (c: C) => (c.get("lang") === "es" ? "es" : "en") as Lang;
const tr = (c: C) => petitionsTranslator(langOf(c));
const title = (p: { title_en: string; title_es: string }, lang: Lang) => (lang === "es" ? p.title_es : p.title_en);
const text = (value: unknown) => (typeof value === "string" ? value : undefined);

/** A page in the site's layout; any status (the site's renderPage knows fewer). */
function page(c: C, pageTitle: string, body: Child, status: 200 | 400 | 403 | 404 | 409 | 410 | 413 | 422 | 429 | 503 = 200) {
  const url = new URL(c.req.url);
  return c.html(
    "<!doctype html>" +
      String(
        <Layout t={c.get("t")} lang={c.get("lang")} title={pageTitle} actor={c.get("actor") ?? { kind: "public" }} demo={c.get("deps").demo} csrfToken={c.get("csrfToken") ?? ""} path={url.pathname + url.search}>
          {body}
        </Layout>,
      ),
    status,
  );
}

export function petitionRoutes(options: PetitionRoutesOptions = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const rt = (c: C): PetitionRuntime => {
    const deps = c.get("deps");
    const runtime = petitionRuntime(deps.db, { settings: options.settings, logger: deps.logger });
    runtime.origin = linkBase(c);
    return runtime;
  };
  const db = (c: C) => c.get("deps").db;
  const secret = (c: C) => c.get("deps").secret;
  const found = async (c: C): Promise<PetitionWithTally> => {
    const p = await rt(c).petition(c.req.param("id") ?? "");
    if (!p) throw notFound();
    return p;
  };
  const privately: MiddlewareHandler<AppEnv> = async (c, next) => {
    await next();
    c.res.headers.set("Cache-Control", "no-store");
  };

  app.get("/petitions/assets/:name", (c) => {
    const asset = ASSETS[c.req.param("name")];
    if (!asset) throw notFound();
    return c.body(new Uint8Array(asset.body), 200, { "Content-Type": asset.type, "Cache-Control": "public, max-age=3600" });
  });

  // ---------------------------------------------------------------------------
  // The public: the list, a petition, signing, confirming, the live count, listed signers.

  app.get("/petitions", async (c) => {
    authorizePetitions(c.get("actor"), "petitions.read");
    const t = tr(c);
    const petitions = (await listPetitions(db(c))).map((p) => presentPetitionSummary(p));
    return page(c, t("petitions.title"), <PetitionList t={t} lang={langOf(c)} petitions={petitions} canManage={canPetitions(c.get("actor"), "petitions.manage")} />);
  });

  app.get("/petitions/new", privately, (c) => {
    authorizePetitions(c.get("actor"), "petitions.manage");
    const t = tr(c);
    return page(c, t("petitions.new"), <NewPetitionForm t={t} lang={langOf(c)} csrfToken={c.get("csrfToken")} />);
  });

  app.post("/petitions/new", privately, async (c) => {
    const actor = c.get("actor");
    authorizePetitions(actor, "petitions.manage");
    const t = tr(c);
    const body = await c.req.parseBody();
    const values = Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === "string")) as Record<string, string>;
    try {
      const input = petitionFromForm(body);
      await createPetition(db(c), input, actorName(actor));
      rt(c).forget();
      return c.redirect(`/petitions/${input.slug}?lang=${langOf(c)}&created=1`, 303);
    } catch (error) {
      const message = error instanceof ZodError ? c.get("t")("error.badRequest", { detail: describeIssues(error.issues) }) : error instanceof HttpError ? error.detail ?? error.message : null;
      if (message === null) throw error;
      return page(c, t("petitions.new"), <NewPetitionForm t={t} lang={langOf(c)} csrfToken={c.get("csrfToken")} error={message} values={values} />, error instanceof HttpError ? 409 : 400);
    }
  });

  const showPetition = async (c: C, idOrSlug: string, extra: { form?: SignFormState; notice?: string | null; status?: 200 | 400 } = {}) => {
    const lang = langOf(c);
    const t = tr(c);
    const data = await rt(c).page(idOrSlug);
    if (!data) throw notFound();
    const view = data.view;
    // The page carries a form token bound to this visitor: no shared caches.
    c.header("x-private", "1");
    return page(c, lang === "es" ? view.title.es : view.title.en, (
      <PetitionPage
        t={t} lang={lang} petition={view} signers={data.signers} signersTotal={data.signersTotal}
        csrfToken={c.get("csrfToken")} formToken={formToken(secret(c), view.id, c.get("csrfToken"))}
        form={extra.form} notice={extra.notice} canManage={canPetitions(c.get("actor"), "petitions.manage")}
      />
    ), extra.status ?? 200);
  };

  app.get("/petitions/:id", async (c) => {
    authorizePetitions(c.get("actor"), "petitions.read");
    const t = tr(c);
    return showPetition(c, c.req.param("id"), { notice: c.req.query("created") === "1" ? t("petitions.created") : c.req.query("closed") === "1" ? t("petitions.closedNow") : null });
  });

  app.post("/petitions/:id/sign", privately, async (c) => {
    authorizePetitions(c.get("actor"), "petitions.sign");
    const runtime = rt(c);
    const p = await found(c);
    const lang = langOf(c);
    const t = tr(c);
    const body = await c.req.parseBody();
    const refuse = (reason: RejectionReason | null, status: 400 | 403 | 409 | 429, message: string) => {
      if (reason) runtime.rejections.count(p.id, reason);
      return page(c, title(p, lang), <RefusedView t={t} lang={lang} slug={p.slug} title={title(p, lang)} message={message} reason={reason ?? "refused"} />, status);
    };

    // Bots first: a filled honeypot, or no token from this visitor's copy of the page.
    if (text(body.website)?.trim()) return refuse("honeypot", 400, t("petitions.error.honeypot"));
    const token = checkFormToken(secret(c), text(body._form), p.id, c.get("csrfToken"), runtime.settings.formMaxAgeHours * 3_600_000);
    if (token === "missing" || token === "invalid") return refuse("missing_token", 403, t("petitions.error.token"));
    if (token === "stale") return refuse(null, 403, t("petitions.error.stale"));

    const state = petitionState(p);
    if (state === "upcoming") return refuse(null, 409, t("petitions.error.notOpen", { date: formatDate(p.opens_at, lang) }));
    if (state === "closed") return refuse(null, 409, t("petitions.error.closed", { date: formatDate(p.closes_at!, lang) }));

    const client = clientNetwork(clientAddress(c));
    const verdict = runtime.limits.check(p.id, client);
    if (!verdict.ok) {
      c.header("Retry-After", String(verdict.retryAfter));
      const minutes = Math.max(1, Math.ceil(verdict.retryAfter / 60));
      return refuse(verdict.reason, 429, t(verdict.reason === "rate_limited_address" ? "petitions.error.rateAddress" : "petitions.error.rateNetwork", { minutes }));
    }

    const parsed = signFormSchema.safeParse(body);
    if (!parsed.success) {
      const values = { name: text(body.name), email: text(body.email), zip: text(body.zip), show_publicly: body.show_publicly === "1" };
      return showPetition(c, p.id, { form: { values, invalid: signFormErrors(parsed.error) }, status: 400 });
    }
    const form = parsed.data;
    const normalized = normalizeEmail(form.email)!;
    const key = secret(c);
    const petitionTitle = title(p, lang);
    let result;
    try {
      result = await runtime.batcher.submit({
        kind: "sign",
        row: {
          id: crypto.randomUUID(), petitionId: p.id, source: "online", status: "pending", name: form.name, zip: form.zip,
          emailHash: emailKey(key, normalized), network: client.network, showPublicly: form.show_publicly, lang,
          signedAt: new Date().toISOString(), verifiedAt: null, paperBatchId: null,
        },
        to: form.email,
        mail: (signatureId) => confirmationMail(t, petitionTitle, form.name, `${linkBase(c)}/petitions/confirm/${confirmToken(key, signatureId)}?lang=${lang}`),
      });
    } catch (error) {
      if (!(error instanceof QueueFullError)) throw error;
      c.header("Retry-After", "5");
      return page(c, petitionTitle, <RefusedView t={t} lang={lang} slug={p.slug} title={petitionTitle} message={t("petitions.error.busy")} reason="busy" />, 503);
    }
    if (result.kind === "signed") {
      return page(c, t("petitions.signed.title"), <SignedView t={t} lang={lang} slug={p.slug} title={petitionTitle} email={form.email} />);
    }
    if (result.kind !== "duplicate") throw new Error(`unexpected result ${result.kind}`);
    const message = result.status === "pending"
      ? t(result.resent ? "petitions.error.duplicateResent" : "petitions.error.duplicatePending")
      : result.status === "verified" ? t("petitions.error.duplicateVerified") : t("petitions.error.duplicateOther");
    return refuse("duplicate", 409, message);
  });

  app.get("/petitions/confirm/:token", privately, async (c) => {
    const lang = langOf(c);
    const t = tr(c);
    const id = readConfirmToken(secret(c), c.req.param("token"));
    if (!id) return page(c, t("petitions.confirm.title"), <LinkProblemView t={t} lang={lang} gone={false} />, 404);
    const state = await signatureState(db(c), id);
    if (!state || state.anonymised || state.status === "invalidated" || state.status === "expired") {
      return page(c, t("petitions.confirm.title"), <LinkProblemView t={t} lang={lang} gone />, 410);
    }
    const p = (await rt(c).petition(state.petition_id))!;
    if (state.status === "verified") return page(c, t("petitions.confirmed.already"), <ConfirmedView t={t} lang={lang} slug={p.slug} title={title(p, lang)} already />);
    return page(c, t("petitions.confirm.title"), <ConfirmView t={t} lang={lang} token={c.req.param("token")} title={title(p, lang)} csrfToken={c.get("csrfToken")} />);
  });

  app.post("/petitions/confirm/:token", privately, async (c) => {
    authorizePetitions(c.get("actor"), "petitions.sign");
    const lang = langOf(c);
    const t = tr(c);
    const id = readConfirmToken(secret(c), c.req.param("token"));
    if (!id) return page(c, t("petitions.confirm.title"), <LinkProblemView t={t} lang={lang} gone={false} />, 404);
    let result;
    try {
      result = await rt(c).batcher.submit({ kind: "confirm", signatureId: id });
    } catch (error) {
      if (!(error instanceof QueueFullError)) throw error;
      c.header("Retry-After", "5");
      return page(c, t("petitions.confirm.title"), <LinkProblemView t={t} lang={lang} gone={false} />, 503);
    }
    if (result.kind !== "confirmed" && result.kind !== "already_confirmed") return page(c, t("petitions.confirm.title"), <LinkProblemView t={t} lang={lang} gone />, 410);
    const p = (await rt(c).petition(result.petitionId))!;
    const already = result.kind === "already_confirmed";
    return page(c, already ? t("petitions.confirmed.already") : t("petitions.confirmed.title"), <ConfirmedView t={t} lang={lang} slug={p.slug} title={title(p, lang)} already={already} />);
  });

  app.get("/petitions/:id/live", async (c) => {
    authorizePetitions(c.get("actor"), "petitions.read");
    const runtime = rt(c);
    const p = await found(c);
    const [tally] = await tallyRows(db(c), [p.id]);
    let stream: SSEStreamingApi | null = null;
    let finish: () => void = () => {};
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const send = (count: { verified: number; pending: number }) => {
      stream?.writeSSE({ event: "count", data: JSON.stringify({ ...count, goal: Number(p.goal) }) }).catch(finish);
    };
    const unwatch = runtime.live.watch(p.id, clientNetwork(clientAddress(c)).address, runtime.settings.streamsPerAddress, { push: send, end: () => finish() });
    if (!unwatch) throw new HttpError(429, "error.rateLimited", tr(c)("petitions.error.streams"));
    return streamSSE(c, async (sse) => {
      stream = sse;
      sse.onAbort(finish);
      const keepAlive = setInterval(() => void sse.write(": keep-alive\n\n").catch(finish), 15_000);
      try {
        await sse.writeSSE({ event: "count", data: JSON.stringify({ ...presentCounts(tally ?? { verified: 0, pending: 0 }), goal: Number(p.goal) }), retry: 3000 });
        await finished;
      } finally {
        clearInterval(keepAlive);
        unwatch();
      }
    });
  });

  app.get("/petitions/:id/signers", async (c) => {
    authorizePetitions(c.get("actor"), "petitions.read");
    const p = await found(c);
    const lang = langOf(c);
    const t = tr(c);
    const pageNumber = Math.max(1, Math.min(100_000, Number.parseInt(c.req.query("page") ?? "1", 10) || 1));
    const { rows, total } = await publicSigners(db(c), p.id, SIGNERS_PER_PAGE, (pageNumber - 1) * SIGNERS_PER_PAGE);
    const pages = Math.max(1, Math.ceil(total / SIGNERS_PER_PAGE));
    return page(c, t("petitions.signers"), <SignersPage t={t} lang={lang} slug={p.slug} title={title(p, lang)} rows={rows.map(presentSigner)} page={pageNumber} pages={pages} />);
  });

  // ---------------------------------------------------------------------------
  // Organizers

  const manage = async (c: C, p: PetitionWithTally, extra: { notice?: string | null; error?: string | null; problems?: string[]; status?: 200 | 400 | 404 | 409 | 413 | 422 } = {}) => {
    const lang = langOf(c);
    const t = tr(c);
    const runtime = rt(c);
    const detail = await petitionDetail(db(c), p.id);
    if (!detail) throw notFound();
    const fresh = detail.petition;
    const counts = { verified: Number(fresh.verified), pending: Number(fresh.pending), paper: Number(fresh.paper), invalidated: Number(fresh.invalidated), expired: Number(fresh.expired) };
    const refused = await rejectionCounts(db(c), p.id, runtime.rejections.unflushed(p.id));
    return page(c, t("petitions.manage.title", { title: title(fresh, lang) }), (
      <ManagePage t={t} lang={lang} petition={presentPetitionDetail(detail)} counts={counts} refused={refused} csrfToken={c.get("csrfToken")}
        canExport={canPetitions(c.get("actor"), "petitions.export")} anonymiseAfterDays={runtime.settings.anonymiseAfterDays}
        notice={extra.notice} error={extra.error} problems={extra.problems} />
    ), extra.status ?? 200);
  };

  app.get("/petitions/:id/manage", privately, async (c) => {
    authorizePetitions(c.get("actor"), "petitions.manage");
    const p = await found(c);
    const t = tr(c);
    const added = c.req.query("added");
    const notice = added ? t("petitions.paper.added", { count: added }) : c.req.query("invalidated") === "1" ? t("petitions.invalidated") : null;
    return manage(c, p, { notice });
  });

  app.post("/petitions/:id/paper", privately, async (c) => {
    const actor = c.get("actor");
    authorizePetitions(actor, "petitions.manage");
    const p = await found(c);
    const t = tr(c);
    if (Number(c.req.header("content-length") ?? 0) > MAX_PETITION_REQUEST_BYTES) return manage(c, p, { error: t("petitions.paper.failed", { count: 1 }), problems: ["the file is larger than 5 MB: split it"], status: 413 });
    const body = await c.req.parseBody();
    const file = body.file;
    if (!(file instanceof File) || file.size === 0) return manage(c, p, { error: t("petitions.paper.failed", { count: 1 }), problems: ["file: choose a CSV file"], status: 400 });
    try {
      const result = await addPaperSignatures(db(c), secret(c), p.id, new Uint8Array(await file.arrayBuffer()), actorName(actor), rt(c).link);
      rt(c).forget();
      return c.redirect(`/petitions/${p.slug}/manage?lang=${langOf(c)}&added=${result.added}`, 303);
    } catch (error) {
      if (error instanceof PaperImportError) return manage(c, p, { error: t("petitions.paper.failed", { count: error.total }), problems: error.problems, status: 422 });
      if (error instanceof HttpError) return manage(c, p, { error: error.detail ?? t("petitions.paper.failed", { count: 1 }), status: error.status === 404 ? 404 : 409 });
      throw error;
    }
  });

  app.post("/petitions/:id/invalidate", privately, async (c) => {
    const actor = c.get("actor");
    authorizePetitions(actor, "petitions.manage");
    const p = await found(c);
    const body = await c.req.parseBody();
    try {
      await invalidateSignature(db(c), secret(c), p.id, { signature: text(body.signature) ?? "", reason: text(body.reason) ?? "" }, actorName(actor));
      rt(c).forget();
      return c.redirect(`/petitions/${p.slug}/manage?lang=${langOf(c)}&invalidated=1`, 303);
    } catch (error) {
      if (error instanceof ZodError) return manage(c, p, { error: c.get("t")("error.badRequest", { detail: describeIssues(error.issues) }), status: 400 });
      if (error instanceof HttpError) return manage(c, p, { error: error.detail ?? error.message, status: error.status === 404 ? 404 : error.status === 400 ? 400 : 409 });
      throw error;
    }
  });

  app.post("/petitions/:id/close", privately, async (c) => {
    const actor = c.get("actor");
    authorizePetitions(actor, "petitions.manage");
    const p = await found(c);
    try {
      await closePetition(db(c), p.id, actorName(actor));
    } catch (error) {
      if (error instanceof HttpError) return manage(c, p, { error: error.detail ?? error.message, status: 409 });
      throw error;
    }
    rt(c).forget();
    return c.redirect(`/petitions/${p.slug}?lang=${langOf(c)}&closed=1`, 303);
  });

  app.get("/petitions/:id/export.csv", privately, async (c) => {
    const actor = c.get("actor");
    authorizePetitions(actor, "petitions.export");
    const p = await found(c);
    const lines = exportVerified(c.get("deps").db, p.id, actorName(actor));
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        await lines.return(undefined);
      },
    });
    return c.body(stream, 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="petition-${p.slug}-verified.csv"` });
  });

  // ---------------------------------------------------------------------------
  // The API (under /api/*: the site's API rate limit applies)

  app.get("/api/v1/petitions", async (c) => {
    authorizePetitions(c.get("actor"), "petitions.read");
    return c.json({ items: (await listPetitions(db(c))).map((p) => presentPetitionSummary(p)) });
  });

  app.get("/api/v1/petitions/:id", async (c) => {
    authorizePetitions(c.get("actor"), "petitions.read");
    const data = await rt(c).page(c.req.param("id"));
    if (!data) throw notFound();
    return c.json(data.view);
  });

  return app;
}

/** The confirmation email in the signer's language. */
export function confirmationMail(t: PetitionsTranslate, petitionTitle: string, name: string, url: string): MailParts {
  return {
    subject: t("petitions.mail.subject", { title: petitionTitle }).slice(0, 300),
    text: [t("petitions.mail.greeting", { name }), "", t("petitions.mail.body", { title: petitionTitle }), "", url, "", t("petitions.mail.ignore"), "", t("petitions.mail.signoff")].join("\n"),
  };
}

/**
 * Counts posts to a signing form that the site's CSRF middleware refused (a
 * script posting without the page's token never reaches the signing handler).
 * Mount it before `csrfProtection` in src/app.tsx:
 *   app.use("/petitions/*", petitionAbuseCounter());
 */
export function petitionAbuseCounter(options: PetitionRoutesOptions = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (c.req.method !== "POST" || !(c.error instanceof HttpError) || c.error.messageKey !== "error.csrf") return;
    const match = /^\/petitions\/([^/]+)\/sign$/.exec(new URL(c.req.url).pathname);
    if (!match) return;
    const deps = c.get("deps");
    const runtime = petitionRuntime(deps.db, { settings: options.settings, logger: deps.logger });
    const p = await runtime.petition(decodeURIComponent(match[1]));
    if (p) runtime.rejections.count(p.id, "missing_token");
  };
}
