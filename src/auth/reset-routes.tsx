import { Hono, type Context } from "hono";
import type { AppEnv } from "../web/context.js";
import { linkBase } from "../web/link-base.js";
import { renderPage } from "../web/render.js";
import { clientAddress, rateLimit } from "../web/security.js";
import { requestPasswordReset, resetLinkUsable, resetPassword } from "./reset-service.js";

type Ctx = Context<AppEnv>;

/** "Forgot password" and the emailed single-use reset link. */
export function resetRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const private_ = (c: Ctx) => c.header("x-private", "1");

  app.get("/password/forgot", (c) => {
    private_(c);
    return renderPage(c, c.get("t")("reset.forgotTitle"), <ForgotForm c={c} />);
  });

  // Five a minute per address: each one may send an email.
  app.post("/password/forgot", rateLimit(5, clientAddress), async (c) => {
    private_(c);
    const body = await c.req.parseBody();
    const email = typeof body.email === "string" ? body.email : "";
    await requestPasswordReset(c.get("deps").db, email, { linkBase: linkBase(c), lang: c.get("lang") });
    // The same answer whether or not the email has an account.
    return renderPage(c, c.get("t")("reset.forgotTitle"), <ForgotForm c={c} sent />);
  });

  app.get("/password/reset/:token", async (c) => {
    private_(c);
    const token = c.req.param("token");
    if (!(await resetLinkUsable(c.get("deps").db, token))) return unusable(c);
    return renderPage(c, c.get("t")("reset.title"), <ResetForm c={c} token={token} />);
  });

  app.post("/password/reset/:token", async (c) => {
    private_(c);
    const token = c.req.param("token");
    const body = await c.req.parseBody();
    const field = (name: string) => (typeof body[name] === "string" ? (body[name] as string).slice(0, 1100) : "");
    const result = await resetPassword(c.get("deps").db, token, { password: field("password"), confirm: field("confirm") });
    if (result.kind === "unusable") return unusable(c);
    if (result.kind === "invalid") {
      const t = c.get("t");
      return renderPage(c, t("reset.title"), <ResetForm c={c} token={token} error={t(result.field === "confirm" ? "account.passwordMismatch" : "account.passwordTooShort")} />, 400);
    }
    return c.redirect("/login?reset=1", 303);
  });

  return app;
}

function unusable(c: Ctx) {
  const t = c.get("t");
  return renderPage(c, t("reset.title"), (
    <section>
      <h1>{t("reset.title")}</h1>
      <p class="error-box" role="alert">{t("reset.unusable")}</p>
      <p><a href="/password/forgot">{t("reset.askAgain")}</a></p>
    </section>
  ), 400);
}

function ForgotForm({ c, sent }: { c: Ctx; sent?: boolean }) {
  const t = c.get("t");
  return (
    <section>
      <h1>{t("reset.forgotTitle")}</h1>
      {sent ? <p class="notice" role="status">{t("reset.sent")}</p> : <p>{t("reset.forgotIntro")}</p>}
      <form method="post" action={`/password/forgot?lang=${c.get("lang")}`} class="form-stack">
        <input type="hidden" name="_csrf" value={c.get("csrfToken")} />
        <label>{t("auth.email")}<input type="email" name="email" autocomplete="username" required maxlength={254} /></label>
        <button type="submit">{t("reset.send")}</button>
      </form>
    </section>
  );
}

function ResetForm({ c, token, error }: { c: Ctx; token: string; error?: string }) {
  const t = c.get("t");
  return (
    <section>
      <h1>{t("reset.title")}</h1>
      <p>{t("reset.intro")}</p>
      {error ? <p class="error-box" role="alert">{error}</p> : null}
      <form method="post" action={`/password/reset/${encodeURIComponent(token)}`} class="form-stack">
        <input type="hidden" name="_csrf" value={c.get("csrfToken")} />
        <label>{t("account.newPassword")}<input type="password" name="password" autocomplete="new-password" minlength={12} maxlength={1024} required aria-describedby="reset-password-hint" /></label>
        <p class="hint" id="reset-password-hint">{t("account.newPasswordHint")}</p>
        <label>{t("account.repeatPassword")}<input type="password" name="confirm" autocomplete="new-password" required /></label>
        <button type="submit">{t("reset.submit")}</button>
      </form>
    </section>
  );
}
