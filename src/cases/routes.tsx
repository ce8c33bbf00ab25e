import { Hono, type Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { ZodError } from "zod";
import type { AppEnv } from "../web/context.js";
import { describeIssues } from "../web/errors.js";
import { linkBase } from "../web/link-base.js";
import { renderPage } from "../web/render.js";
import { clientAddress as clientKey, isHttps, rateLimit } from "../web/security.js";
import { EvidenceError, evidenceFromFiles } from "./evidence/check.js";
import { filesFromForm, intakeFromForm } from "./form.js";
import { presentForComplainant } from "./present.js";
import { formatReceipt } from "./receipts.js";
import { caseForAccess, closeCaseAccess, complainantMessage, complainantView, openByReceipt, openCaseAccess, submitComplaint } from "./service.js";
import { FiledView, IntakeForm } from "./views/intake.js";
import { CaseStatus, LookupForm } from "./views/status.js";

/** Holds the token of the complainant's server-side access (case_access_sessions); no expiry: it ends with the browser, on the server after 30 idle minutes, or on "close". */
const CASE_COOKIE = "oversight_case";
/** Largest intake request: the form plus up to five 20 MB files. */
export const MAX_INTAKE_BYTES = 105 * 1024 * 1024;


/** The public side of the complaints office: intake and the complainant's status page. */
export function caseRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const privatePage = async (c: Context<AppEnv>, next: () => Promise<void>) => {
    await next();
    c.res.headers.set("Cache-Control", "no-store");
  };
  app.use("/complaints/new", privatePage);
  app.use("/complaints/status", privatePage);
  app.use("/complaints/status/*", privatePage);

  app.get("/complaints/new", (c) => renderPage(c, c.get("t")("cases.fileTitle"), <IntakeForm t={c.get("t")} lang={c.get("lang")} csrfToken={c.get("csrfToken")} />));

  // Made on first use, from this app's settings, and shared by every request to it.
  let intakeLimiter: ReturnType<typeof rateLimit> | null = null;
  const intakeLimit = (c: Context<AppEnv>, next: () => Promise<void>) => (intakeLimiter ??= rateLimit(c.get("deps").config.intakeRateLimit, clientKey))(c, next);
  app.post("/complaints/new", intakeLimit, async (c) => {
    const t = c.get("t");
    const body = await c.req.parseBody({ all: true });
    try {
      // Counts and sizes are refused before any file is read; every file is checked before anything is written.
      const evidence = await evidenceFromFiles(filesFromForm(body));
      const filed = await submitComplaint(c.get("deps").db, c.get("deps").secret, intakeFromForm(body), null, { evidence, linkBase: linkBase(c) });
      return renderPage(c, t("cases.filedTitle"), <FiledView t={t} lang={c.get("lang")} caseNumber={filed.caseNumber} receipt={formatReceipt(filed.receipt)} />);
    } catch (error) {
      if (error instanceof EvidenceError) {
        // Names the file and the reason; the name goes back only to the person who chose the file.
        return renderPage(c, t("cases.fileTitle"), <IntakeForm t={t} lang={c.get("lang")} csrfToken={c.get("csrfToken")} error={t("error.badRequest", { detail: error.detail ?? "" })} />, error.status as 400 | 413 | 415);
      }
      if (!(error instanceof ZodError)) throw error;
      // The form comes back with what was wrong, naming each field.
      return renderPage(c, t("cases.fileTitle"), <IntakeForm t={t} lang={c.get("lang")} csrfToken={c.get("csrfToken")} error={t("error.badRequest", { detail: describeIssues(error.issues) })} />, 400);
    }
  });

  app.get("/complaints/status", async (c) => {
    const t = c.get("t");
    const caseId = await caseForAccess(c.get("deps").db, getCookie(c, CASE_COOKIE));
    if (!caseId) return renderPage(c, t("cases.statusTitle"), <LookupForm t={t} lang={c.get("lang")} csrfToken={c.get("csrfToken")} />);
    const view = presentForComplainant(await complainantView(c.get("deps").db, caseId));
    return renderPage(c, t("cases.statusTitle"), <CaseStatus t={t} lang={c.get("lang")} csrfToken={c.get("csrfToken")} view={view} sent={c.req.query("sent") === "1"} />);
  });

  app.post("/complaints/status", rateLimit(5, clientKey), async (c) => {
    const t = c.get("t");
    const body = await c.req.parseBody();
    try {
      const caseId = await openByReceipt(c.get("deps").db, c.get("deps").secret, { case_number: String(body.case_number ?? ""), receipt: String(body.receipt ?? "") });
      const token = await openCaseAccess(c.get("deps").db, caseId);
      setCookie(c, CASE_COOKIE, token, { httpOnly: true, sameSite: "Strict", path: "/complaints/status", secure: isHttps(c) });
      return c.redirect(`/complaints/status?lang=${c.get("lang")}`, 303);
    } catch {
      // One answer for every failure: it never says whether the case number exists.
      return renderPage(c, t("cases.statusTitle"), <LookupForm t={t} lang={c.get("lang")} csrfToken={c.get("csrfToken")} failed />, 404);
    }
  });

  app.post("/complaints/status/message", async (c) => {
    const caseId = await caseForAccess(c.get("deps").db, getCookie(c, CASE_COOKIE));
    if (!caseId) return c.redirect(`/complaints/status?lang=${c.get("lang")}`, 303);
    const body = await c.req.parseBody();
    await complainantMessage(c.get("deps").db, caseId, { body: String(body.body ?? "") });
    return c.redirect(`/complaints/status?lang=${c.get("lang")}&sent=1`, 303);
  });

  app.post("/complaints/status/close", async (c) => {
    // Ends the access on the server: a copy of the cookie opens nothing afterwards.
    await closeCaseAccess(c.get("deps").db, getCookie(c, CASE_COOKIE));
    deleteCookie(c, CASE_COOKIE, { path: "/complaints/status" });
    return c.redirect(`/complaints/status?lang=${c.get("lang")}`, 303);
  });
  return app;
}
