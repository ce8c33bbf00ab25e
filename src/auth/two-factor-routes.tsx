import { Hono, type Context, type MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../web/context.js";
import { HttpError } from "../web/errors.js";
import { renderPage } from "../web/render.js";
import { isHttps, SESSION_COOKIE } from "../web/security.js";
import { reauthRedirect } from "./account-routes.js";
import { requireUser } from "./authorize.js";
import { completeSignIn, confirmEnrolment, mustUseTwoFactor, startEnrolment } from "./two-factor.js";

type Ctx = Context<AppEnv>;
const ENROL = "/account/two-factor";

/** Two-factor enrolment and the code step of sign-in. */
export function twoFactorRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get(ENROL, async (c) => {
    const actor = requireUser(c.get("actor"));
    const redirect = reauthRedirect(c, ENROL);
    if (redirect) return redirect;
    const deps = c.get("deps");
    const enrolment = await startEnrolment(deps.db, actor.id);
    return renderPage(c, c.get("t")("twoFactor.title"), <EnrolPage c={c} enrolment={enrolment} required={mustUseTwoFactor(actor.role, deps.config.adminTwoFactor)} />);
  });

  app.post(ENROL, async (c) => {
    const actor = requireUser(c.get("actor"));
    const redirect = reauthRedirect(c, ENROL);
    if (redirect) return redirect;
    const deps = c.get("deps");
    const body = await c.req.parseBody();
    const code = typeof body.code === "string" ? body.code.slice(0, 20) : "";
    if (await confirmEnrolment(deps.db, actor.id, code)) return c.redirect("/account?done=two-factor", 303);
    const enrolment = await startEnrolment(deps.db, actor.id);
    return renderPage(c, c.get("t")("twoFactor.title"), <EnrolPage c={c} enrolment={enrolment} required={mustUseTwoFactor(actor.role, deps.config.adminTwoFactor)} error={c.get("t")("twoFactor.wrongCode")} />, 400);
  });

  app.get("/login/code", (c) => {
    c.header("x-private", "1");
    if (!getCookie(c, SESSION_COOKIE)) return c.redirect("/login", 303);
    return renderPage(c, c.get("t")("twoFactor.codeTitle"), <CodeForm c={c} />);
  });

  app.post("/login/code", async (c) => {
    c.header("x-private", "1");
    const token = getCookie(c, SESSION_COOKIE);
    if (!token) return c.redirect("/login", 303);
    const deps = c.get("deps");
    const body = await c.req.parseBody();
    const code = typeof body.code === "string" ? body.code.slice(0, 20) : "";
    const result = await completeSignIn(deps.db, token, code);
    const t = c.get("t");
    if (result.kind === "expired") return c.redirect("/login", 303);
    if (result.kind === "throttled") {
      c.header("Retry-After", String(result.retryAfterSeconds));
      return renderPage(c, t("twoFactor.codeTitle"), <CodeForm c={c} error={t("auth.throttled", { minutes: Math.ceil(result.retryAfterSeconds / 60) })} />, 429);
    }
    if (result.kind === "refused") return renderPage(c, t("twoFactor.codeTitle"), <CodeForm c={c} error={t("twoFactor.wrongCode")} />, 400);
    setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: "Lax", path: "/", secure: isHttps(c), expires: result.expiresAt });
    return c.redirect("/", 303);
  });

  return app;
}

const OPEN_TO_UNENROLLED = ["/account/two-factor", "/account/confirm", "/logout", "/login", "/password/"];

/**
 * Administrators without two-factor sign-in (when the office requires it, the
 * default) are sent to enrolment before anything else: pages redirect there,
 * other requests are refused with 403.
 */
export function adminTwoFactorGate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const actor = c.get("actor");
    const session = c.get("session");
    if (actor.kind === "user" && session && !session.twoFactor && mustUseTwoFactor(actor.role, c.get("deps").config.adminTwoFactor)) {
      const path = new URL(c.req.url).pathname;
      if (!OPEN_TO_UNENROLLED.some((open) => path === open || (open.endsWith("/") && path.startsWith(open)))) {
        if (c.req.method === "GET" && !path.startsWith("/api/")) return c.redirect(ENROL, 303);
        throw new HttpError(403, "twoFactor.requiredError");
      }
    }
    await next();
  };
}

function EnrolPage({ c, enrolment, required, error }: { c: Ctx; enrolment: Awaited<ReturnType<typeof startEnrolment>>; required: boolean; error?: string }) {
  const t = c.get("t");
  if (enrolment.kind === "enabled") {
    return <section><h1>{t("twoFactor.title")}</h1><p class="notice" role="status">{t("twoFactor.on")}</p></section>;
  }
  const grouped = enrolment.secret.match(/.{1,4}/g)!.join(" ");
  return (
    <section>
      <h1>{t("twoFactor.title")}</h1>
      {required ? <p class="notice" role="status">{t("twoFactor.requiredIntro")}</p> : null}
      <p>{t("twoFactor.intro")}</p>
      <ol>
        <li>
          {t("twoFactor.step1")}{" "}
          <a href={enrolment.uri}>{t("twoFactor.openApp")}</a>
        </li>
        <li>
          {t("twoFactor.step2")}
          <p><code class="secret">{grouped}</code></p>
          <details>
            <summary>{t("twoFactor.showUri")}</summary>
            <p><code class="secret">{enrolment.uri}</code></p>
          </details>
        </li>
        <li>{t("twoFactor.step3")}</li>
      </ol>
      {error ? <p class="error-box" role="alert">{error}</p> : null}
      <form method="post" action={ENROL} class="form-stack">
        <input type="hidden" name="_csrf" value={c.get("csrfToken")} />
        <label>{t("twoFactor.code")}<input name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength={7} required /></label>
        <button type="submit">{t("twoFactor.confirm")}</button>
      </form>
    </section>
  );
}

function CodeForm({ c, error }: { c: Ctx; error?: string }) {
  const t = c.get("t");
  return (
    <section>
      <h1>{t("twoFactor.codeTitle")}</h1>
      <p>{t("twoFactor.codeIntro")}</p>
      {error ? <p class="error-box" role="alert">{error}</p> : null}
      <form method="post" action="/login/code" class="form-stack">
        <input type="hidden" name="_csrf" value={c.get("csrfToken")} />
        <label>{t("twoFactor.code")}<input name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength={7} required autofocus /></label>
        <button type="submit">{t("auth.submit")}</button>
      </form>
    </section>
  );
}
