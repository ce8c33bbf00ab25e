import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../web/context.js";
import { renderPage } from "../web/render.js";
import { isHttps, SESSION_COOKIE } from "../web/security.js";
import { signIn, signOut } from "./service.js";

export function authRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/login", (c) => {
    c.header("x-private", "1");
    return renderPage(c, c.get("t")("auth.title"), <LoginForm c={c} failed={false} />);
  });

  app.post("/login", async (c) => {
    const body = await c.req.parseBody();
    const email = typeof body.email === "string" ? body.email.slice(0, 254) : "";
    const password = typeof body.password === "string" ? body.password.slice(0, 1024) : "";
    const session = await signIn(c.get("deps").db, email, password);
    c.header("x-private", "1");
    if (!session) return renderPage(c, c.get("t")("auth.title"), <LoginForm c={c} failed />, 400);
    setCookie(c, SESSION_COOKIE, session.token, {
      httpOnly: true, sameSite: "Lax", path: "/", secure: isHttps(c), expires: session.expiresAt,
    });
    return c.redirect("/", 303);
  });

  app.post("/logout", async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await signOut(c.get("deps").db, token);
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.redirect("/", 303);
  });
  return app;
}

function LoginForm({ c, failed }: { c: import("hono").Context<AppEnv>; failed: boolean }) {
  const t = c.get("t");
  return (
    <section>
      <h1>{t("auth.title")}</h1>
      {failed ? <p class="error-box" role="alert">{t("auth.failed")}</p> : null}
      <form method="post" action={`/login?lang=${c.get("lang")}`} class="form-stack">
        <input type="hidden" name="_csrf" value={c.get("csrfToken")} />
        <label>{t("auth.email")}<input type="email" name="email" autocomplete="username" required /></label>
        <label>{t("auth.password")}<input type="password" name="password" autocomplete="current-password" required /></label>
        <button type="submit">{t("auth.submit")}</button>
      </form>
    </section>
  );
}
