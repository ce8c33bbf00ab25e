import { Hono, type Context } from "hono";
import { can, requireUser } from "./authorize.js";
import type { AppEnv } from "../web/context.js";
import { forbidden } from "../web/errors.js";
import { renderPage } from "../web/render.js";
import { changePassword, mySessions, revokeOtherSessions, revokeSession, type SessionSummary } from "./account-service.js";
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

  app.get("/account", (c) => {
    const actor = requireUser(c.get("actor"));
    const t = c.get("t");
    return renderPage(c, t("account.title"), (
      <section>
        <h1>{t("account.title")}</h1>
        <p>{actor.displayName} · {actor.email}</p>
        {c.req.query("done") === "password" ? <p class="notice" role="status">{t("account.passwordChanged")}</p> : null}
        {c.req.query("done") === "two-factor" ? <p class="notice" role="status">{t("twoFactor.turnedOn")}</p> : null}
        <ul>
          <li><a href="/account/password">{t("account.passwordTitle")}</a></li>
          <li><a href="/account/sessions">{t("account.sessionsTitle")}</a></li>
          <li><a href="/account/two-factor">{t("twoFactor.title")}{c.get("session")?.twoFactor ? ` (${t("admin.users.twoFactor")})` : ""}</a></li>
          {can(actor, "users.manage") ? <li><a href="/admin/users">{t("admin.users.title")}</a></li> : null}
        </ul>
      </section>
    ));
  });

  app.get("/account/password", (c) => {
    requireUser(c.get("actor"));
    return renderPage(c, c.get("t")("account.passwordTitle"), <PasswordForm c={c} />);
  });

  app.post("/account/password", async (c) => {
    const actor = requireUser(c.get("actor"));
    const session = c.get("session");
    if (!session) throw forbidden();
    const body = await c.req.parseBody();
    const field = (name: string) => (typeof body[name] === "string" ? (body[name] as string).slice(0, 1100) : "");
    const result = await changePassword(c.get("deps").db, actor.id, session, { current: field("current"), password: field("password"), confirm: field("confirm") });
    if (result.kind === "ok") return c.redirect("/account?done=password", 303);
    const t = c.get("t");
    const problem = result.kind === "invalid"
      ? { message: t(result.field === "confirm" ? "account.passwordMismatch" : "account.passwordTooShort"), status: 400 as const }
      : passwordProblem(c, result);
    return renderPage(c, t("account.passwordTitle"), <PasswordForm c={c} error={problem.message} />, problem.status);
  });

  app.get("/account/sessions", async (c) => {
    const actor = requireUser(c.get("actor"));
    const deps = c.get("deps");
    const sessions = await mySessions(deps.db, actor.id, c.get("session")?.id, { idleMinutes: deps.config.sessionIdleMinutes });
    return renderPage(c, c.get("t")("account.sessionsTitle"), <SessionsPage c={c} sessions={sessions} ended={c.req.query("ended")} />);
  });

  app.post("/account/sessions/revoke", async (c) => {
    const actor = requireUser(c.get("actor"));
    const body = await c.req.parseBody();
    const id = typeof body.session === "string" ? body.session : "";
    const ended = await revokeSession(c.get("deps").db, actor.id, id);
    return c.redirect(`/account/sessions?ended=${ended ? 1 : 0}`, 303);
  });

  app.post("/account/sessions/revoke-others", async (c) => {
    const actor = requireUser(c.get("actor"));
    const session = c.get("session");
    if (!session) throw forbidden();
    const ended = await revokeOtherSessions(c.get("deps").db, actor.id, session.id);
    return c.redirect(`/account/sessions?ended=${ended}`, 303);
  });

  return app;
}

function PasswordForm({ c, error }: { c: Ctx; error?: string }) {
  const t = c.get("t");
  return (
    <section>
      <h1>{t("account.passwordTitle")}</h1>
      <p>{t("account.passwordIntro")}</p>
      {error ? <p class="error-box" role="alert">{error}</p> : null}
      <form method="post" action="/account/password" class="form-stack">
        <input type="hidden" name="_csrf" value={c.get("csrfToken")} />
        <label>{t("account.currentPassword")}<input type="password" name="current" autocomplete="current-password" required /></label>
        <label>{t("account.newPassword")}<input type="password" name="password" autocomplete="new-password" minlength={12} maxlength={1024} required aria-describedby="new-password-hint" /></label>
        <p class="hint" id="new-password-hint">{t("account.newPasswordHint")}</p>
        <label>{t("account.repeatPassword")}<input type="password" name="confirm" autocomplete="new-password" required /></label>
        <button type="submit">{t("account.passwordSubmit")}</button>
      </form>
    </section>
  );
}

function SessionsPage({ c, sessions, ended }: { c: Ctx; sessions: SessionSummary[]; ended?: string }) {
  const t = c.get("t");
  const csrf = c.get("csrfToken");
  const device = (s: SessionSummary) =>
    s.browser && s.system ? t("account.deviceOn", { browser: s.browser, system: s.system }) : s.browser ?? s.system ?? t("account.deviceUnknown");
  return (
    <section>
      <h1>{t("account.sessionsTitle")}</h1>
      <p>{t("account.sessionsIntro")}</p>
      {ended !== undefined ? <p class="notice" role="status">{t("account.sessionsEnded", { count: Number(ended) || 0 })}</p> : null}
      <div class="table-scroll" tabindex={0} role="region" aria-label={t("account.sessionsTitle")}>
        <table>
          <thead><tr><th scope="col">{t("account.device")}</th><th scope="col">{t("account.created")}</th><th scope="col">{t("account.lastSeen")}</th><th scope="col">{t("account.actions")}</th></tr></thead>
          <tbody>{sessions.map((s) => (
            <tr>
              <td>{device(s)}{s.current ? <strong> ({t("account.thisSession")})</strong> : null}</td>
              <td>{s.created} UTC</td>
              <td>{s.lastSeen} UTC</td>
              <td>{s.current ? null : (
                <form method="post" action="/account/sessions/revoke">
                  <input type="hidden" name="_csrf" value={csrf} />
                  <input type="hidden" name="session" value={s.id} />
                  <button type="submit" class="secondary" aria-label={t("account.revokeOne", { device: device(s), created: s.created })}>{t("account.revoke")}</button>
                </form>
              )}</td>
            </tr>
          ))}</tbody>
        </table>
      </div>
      {sessions.length > 1 ? (
        <form method="post" action="/account/sessions/revoke-others">
          <input type="hidden" name="_csrf" value={csrf} />
          <button type="submit">{t("account.revokeOthers")}</button>
        </form>
      ) : null}
    </section>
  );
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
