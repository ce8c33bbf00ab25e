import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../web/context.js";
import { renderPage } from "../web/render.js";
import { clientAddress, isHttps, SESSION_COOKIE } from "../web/security.js";
import { accountRoutes } from "./account-routes.js";
import { adminRoutes } from "./admin-routes.js";
import { resetRoutes } from "./reset-routes.js";
import { twoFactorRoutes } from "./two-factor-routes.js";
import { signIn, signOut } from "./service.js";
import { createLoginGuards } from "./throttle.js";

export function authRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Per client address and per unknown email, for this process; accounts' counts are in the database.
  const guards = createLoginGuards();

  app.get("/login", (c) => {
    c.header("x-private", "1");
    return renderPage(c, c.get("t")("auth.title"), <LoginForm c={c} />);
  });

  app.post("/login", async (c) => {
    const body = await c.req.parseBody();
    const email = typeof body.email === "string" ? body.email.slice(0, 254) : "";
    const password = typeof body.password === "string" ? body.password.slice(0, 1024) : "";
    const deps = c.get("deps");
    const session = await signIn(deps.db, email, password, { address: clientAddress(c), userAgent: c.req.header("user-agent"), guards, secret: deps.secret });
    c.header("x-private", "1");
    if (session.kind === "throttled") {
      c.header("Retry-After", String(session.retryAfterSeconds));
      const message = c.get("t")("auth.throttled", { minutes: Math.ceil(session.retryAfterSeconds / 60) });
      return renderPage(c, c.get("t")("auth.title"), <LoginForm c={c} error={message} />, 429);
    }
    if (session.kind === "refused") return renderPage(c, c.get("t")("auth.title"), <LoginForm c={c} error={c.get("t")("auth.failed")} />, 400);
    setCookie(c, SESSION_COOKIE, session.token, {
      httpOnly: true, sameSite: "Lax", path: "/", secure: isHttps(c), expires: session.expiresAt,
    });
    return c.redirect(session.kind === "needsCode" ? "/login/code" : "/", 303);
  });

  app.post("/logout", async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await signOut(c.get("deps").db, token);
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.redirect("/", 303);
  });
  app.route("/", accountRoutes());
  app.route("/", adminRoutes());
  app.route("/", resetRoutes());
  app.route("/", twoFactorRoutes());
  return app;
}

function LoginForm({ c, error }: { c: import("hono").Context<AppEnv>; error?: string }) {
  const t = c.get("t");
  return (
    <section>
      <h1>{t("auth.title")}</h1>
      {c.req.query("reset") === "1" ? <p class="notice" role="status">{t("reset.done")}</p> : null}
      {error ? <p class="error-box" role="alert">{error}</p> : null}
      <form method="post" action={`/login?lang=${c.get("lang")}`} class="form-stack">
        <input type="hidden" name="_csrf" value={c.get("csrfToken")} />
        <label>{t("auth.email")}<input type="email" name="email" autocomplete="username" required /></label>
        <label>{t("auth.password")}<input type="password" name="password" autocomplete="current-password" required /></label>
        <button type="submit">{t("auth.submit")}</button>
      </form>
      <p><a href="/password/forgot">{t("auth.forgot")}</a></p>
    </section>
  );
}
