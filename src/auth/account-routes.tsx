import { Hono, type Context } from "hono";
import { requireUser } from "./authorize.js";
import type { AppEnv } from "../web/context.js";
import { forbidden } from "../web/errors.js";
import { renderPage } from "../web/render.js";
import { confirmPassword, recentlyAuthenticated, type PasswordCheck } from "./service.js";

type Ctx = Context<AppEnv>;

/**
 * For sensitive pages and actions: undefined when the password was entered in
 * the last ten minutes, else a redirect to the page that asks for it again and
 * then comes back to `back` (a GET page; a form posted meanwhile is not replayed).
 */
export function reauthRedirect(c: Ctx, back: string): Response | undefined {
  if (recentlyAuthenticated(c.get("session"))) return undefined;
  return c.redirect(`/account/confirm?next=${encodeURIComponent(back)}`, 303);
}

/** Only a path on this site: never another origin (`//host`, `/\\host`) or a scheme. */
export function localPath(value: unknown, fallback = "/account"): string {
  return typeof value === "string" && /^\/(?![/\\])[^\s]*$/.test(value) ? value : fallback;
}

/** The message for a refused or throttled password check (429 carries Retry-After). */
export function passwordProblem(c: Ctx, result: Exclude<PasswordCheck, { kind: "ok" }>, wrongKey: "auth.failed" | "account.wrongPassword" = "account.wrongPassword"): { message: string; status: 400 | 429 } {
  const t = c.get("t");
  if (result.kind === "throttled") {
    c.header("Retry-After", String(result.retryAfterSeconds));
    return { message: t("auth.throttled", { minutes: Math.ceil(result.retryAfterSeconds / 60) }), status: 429 };
  }
  return { message: t(wrongKey), status: 400 };
}

/** The signed-in user's own account: re-authentication, password, sessions. */
export function accountRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/account/confirm", (c) => {
    requireUser(c.get("actor"));
    return renderPage(c, c.get("t")("account.confirmTitle"), <ConfirmForm c={c} next={localPath(c.req.query("next"))} />);
  });

  app.post("/account/confirm", async (c) => {
    const actor = requireUser(c.get("actor"));
    const session = c.get("session");
    if (!session) throw forbidden();
    const body = await c.req.parseBody();
    const next = localPath(body.next);
    const password = typeof body.password === "string" ? body.password.slice(0, 1024) : "";
    const result = await confirmPassword(c.get("deps").db, actor.id, session, password);
    if (result.kind !== "ok") {
      const problem = passwordProblem(c, result);
      return renderPage(c, c.get("t")("account.confirmTitle"), <ConfirmForm c={c} next={next} error={problem.message} />, problem.status);
    }
    return c.redirect(next, 303);
  });

  return app;
}

function ConfirmForm({ c, next, error }: { c: Ctx; next: string; error?: string }) {
  const t = c.get("t");
  return (
    <section>
      <h1>{t("account.confirmTitle")}</h1>
      <p>{t("account.confirmIntro")}</p>
      {error ? <p class="error-box" role="alert">{error}</p> : null}
      <form method="post" action="/account/confirm" class="form-stack">
        <input type="hidden" name="_csrf" value={c.get("csrfToken")} />
        <input type="hidden" name="next" value={next} />
        <label>{t("auth.password")}<input type="password" name="password" autocomplete="current-password" required /></label>
        <button type="submit">{t("account.confirmSubmit")}</button>
      </form>
    </section>
  );
}
