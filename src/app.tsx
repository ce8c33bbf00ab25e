import { Hono, type Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { MiddlewareHandler } from "hono";
import { auditRoutes } from "./audit/routes.js";
import { budgetRoutes } from "./budget/routes.js";
import { campaignRoutes } from "./campaign/routes.js";
import { MAX_PETITION_REQUEST_BYTES, petitionAbuseCounter, petitionRoutes } from "./campaign/petitions/routes.js";
import { caseRoutes } from "./cases/routes.js";
import { staffApiRoutes } from "./cases/staff-api.js";
import { reportRoutes } from "./cases/reports/routes.js";
import { staffRoutes } from "./cases/staff-routes.js";
import { evidenceRoutes } from "./cases/evidence/routes.js";
import { MAX_INTAKE_BYTES } from "./cases/routes.js";
import { authRoutes } from "./auth/routes.js";
import { actorForToken } from "./auth/service.js";
import { adminTwoFactorGate } from "./auth/two-factor-routes.js";
import { recordsRoutes } from "./records/routes.js";
import type { AppDeps, AppEnv } from "./web/context.js";
import { ZodError } from "zod";
import { badRequest, describeIssues, HttpError } from "./web/errors.js";
import { pickLanguage, translator } from "./web/i18n/index.js";
import { renderPage } from "./web/render.js";
import { cacheControl, clientAddress, csrfProtection, rateLimit, securityHeaders, SESSION_COOKIE } from "./web/security.js";
import { staticRoutes } from "./web/static.js";
import { readBodies } from "./web/body.js";
import { siteRoutes } from "./web/routes.js";

/** Builds the whole application; server.ts gives it a port, tests call app.request(). */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const sessionSecrets = new WeakMap<Request, string>();

  app.use("*", securityHeaders());
  app.use("*", async (c, next) => {
    c.set("deps", deps);
    const asked = c.req.query("lang");
    const lang = pickLanguage(asked, getCookie(c, "lang"), c.req.header("accept-language"));
    // A language chosen with ?lang= sticks for the pages that follow.
    if (asked === lang && getCookie(c, "lang") !== lang) setCookie(c, "lang", lang, { path: "/", sameSite: "Lax", maxAge: 365 * 86_400 });
    c.set("lang", lang);
    c.set("t", translator(lang));
    c.set("actor", { kind: "public" });
    await next();
  });
  app.use("*", cacheControl());
  app.route("/", staticRoutes());
  // Every body is read once, here, against its route's limit (declared sizes refused before a byte is
  // read), before the session and the CSRF check that reads the form.
  app.use("*", readBodies([
    { path: "/complaints/new", maxBytes: MAX_INTAKE_BYTES },
    { path: "/staff/cases/", maxBytes: MAX_INTAKE_BYTES },
    { path: "/petitions/", maxBytes: MAX_PETITION_REQUEST_BYTES },
  ]));
  app.use("*", loadSession(deps, sessionSecrets));
  app.use("/api/*", rateLimit(deps.config.apiRateLimit, clientAddress));
  app.use("/petitions/*", petitionAbuseCounter());
  app.use("*", csrfProtection((c) => sessionSecrets.get(c.req.raw)));
  app.use("*", adminTwoFactorGate());

  app.route("/", siteRoutes());
  app.route("/", authRoutes());
  app.route("/", auditRoutes());
  // Before the records: /complaints/new and /complaints/status are the office's, not record ids.
  app.route("/", caseRoutes());
  app.route("/", staffRoutes());
  app.route("/", evidenceRoutes());
  app.route("/", staffApiRoutes());
  app.route("/", reportRoutes());
  app.route("/", recordsRoutes());
  app.route("/", campaignRoutes());
  app.route("/", budgetRoutes());
  app.route("/", petitionRoutes());

  app.notFound((c) => answerError(c as Context<AppEnv>, new HttpError(404, "error.notFound")));
  app.onError((error, c) => {
    if (error instanceof HttpError) return answerError(c as Context<AppEnv>, error);
    if (error instanceof ZodError) return answerError(c as Context<AppEnv>, badRequest(describeIssues(error.issues)));
    // Log only the route and the error: never the query string or body, which may hold personal data.
    deps.logger.error({ path: new URL(c.req.url).pathname, method: c.req.method, err: { message: error.message, stack: error.stack } }, "request failed");
    return answerError(c as Context<AppEnv>, null);
  });
  return app;
}

function loadSession(deps: AppDeps, secrets: WeakMap<Request, string>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { actor, csrfSecret, session } = await actorForToken(deps.db, getCookie(c, SESSION_COOKIE), { idleMinutes: deps.config.sessionIdleMinutes });
    c.set("actor", actor);
    if (session) c.set("session", session);
    if (csrfSecret) secrets.set(c.req.raw, csrfSecret);
    await next();
  };
}


/** The one place an error becomes an answer: JSON for the API, a page for people, no stack traces. */
function answerError(c: Context<AppEnv>, error: HttpError | null) {
  const status = error?.status ?? 500;
  const t = c.get("t") ?? translator("en");
  const message = error ? t(error.messageKey, { detail: error.detail ?? "" }) : t("error.server");
  if (new URL(c.req.url).pathname.startsWith("/api/")) {
    return c.json({ error: { status, message, ...(error?.detail ? { detail: error.detail } : {}) } }, status);
  }
  return renderPage(c, t("error.title"), (
    <div class="error-box" role="alert">
      <h1>{t("error.title")}</h1>
      <p>{message}</p>
    </div>
  ), status);
}
