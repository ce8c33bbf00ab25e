import { Hono, type Context } from "hono";
import { ZodError } from "zod";
import type { AppEnv } from "../web/context.js";
import { describeIssues, HttpError } from "../web/errors.js";
import type { MessageKey } from "../web/i18n/index.js";
import { renderPage } from "../web/render.js";
import { reauthRedirect } from "./account-routes.js";
import { adminCreateAccount, changeAccount, clearTwoFactor, listAccounts, unlockAccount, type AccountSummary } from "./admin-service.js";
import { authorize, requireUser } from "./authorize.js";
import { ROLES, type Role } from "./roles.js";

type Ctx = Context<AppEnv>;
const PAGE = "/admin/users";

const text = (body: Record<string, unknown>, name: string, max = 1100) => (typeof body[name] === "string" ? (body[name] as string).slice(0, max) : "");

/** Account management for administrators (users.manage): list, create, role, language, disable. */
export function adminRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  /** The admin, once the permission and a recent password are checked; otherwise the answer to give. */
  const admin = (c: Ctx) => {
    const actor = requireUser(c.get("actor"));
    authorize(actor, "users.manage");
    return { actor, redirect: reauthRedirect(c, PAGE) };
  };

  app.get(PAGE, async (c) => {
    const { actor, redirect } = admin(c);
    if (redirect) return redirect;
    const done = c.req.query("done");
    return renderPage(c, c.get("t")("admin.users.title"), <UsersPage c={c} me={actor.id} accounts={await listAccounts(c.get("deps").db)} done={done === "created" || done === "saved" ? done : undefined} />);
  });

  app.post(PAGE, async (c) => {
    const { actor, redirect } = admin(c);
    if (redirect) return redirect;
    const body = await c.req.parseBody();
    const typed = { email: text(body, "email", 254), displayName: text(body, "displayName", 120), role: text(body, "role"), language: text(body, "language") };
    try {
      await adminCreateAccount(c.get("deps").db, actor.id, {
        ...typed, password: text(body, "password"), role: typed.role as Role, language: (typed.language || undefined) as "en" | "es" | undefined,
      });
    } catch (error) {
      if (!(error instanceof ZodError)) throw error;
      const message = c.get("t")("admin.users.invalid", { detail: describeIssues(error.issues) });
      return renderPage(c, c.get("t")("admin.users.title"), <UsersPage c={c} me={actor.id} accounts={await listAccounts(c.get("deps").db)} error={message} typed={typed} />, 400);
    }
    return c.redirect(`${PAGE}?done=created`, 303);
  });

  app.post(`${PAGE}/:id/unlock`, async (c) => {
    const { actor, redirect } = admin(c);
    if (redirect) return redirect;
    await unlockAccount(c.get("deps").db, actor.id, await accountId(c));
    return c.redirect(`${PAGE}?done=saved`, 303);
  });

  app.post(`${PAGE}/:id/two-factor-off`, async (c) => {
    const { actor, redirect } = admin(c);
    if (redirect) return redirect;
    await clearTwoFactor(c.get("deps").db, actor.id, await accountId(c));
    return c.redirect(`${PAGE}?done=saved`, 303);
  });

  app.post(`${PAGE}/:id`, async (c) => {
    const { actor, redirect } = admin(c);
    if (redirect) return redirect;
    const body = await c.req.parseBody();
    const db = c.get("deps").db;
    const current = (await listAccounts(db)).find((a) => a.id === c.req.param("id"));
    if (!current) return renderPage(c, c.get("t")("error.title"), <p class="error-box" role="alert">{c.get("t")("error.notFound")}</p>, 404);
    // A row's form sends role and language; its disable/enable button sends status only.
    const status = text(body, "status");
    await changeAccount(db, actor.id, current.id, {
      role: (body.role === undefined ? current.role : text(body, "role")) as Role,
      language: (body.language === undefined ? current.language ?? "" : text(body, "language")) as "en" | "es" | "",
      disabled: status === "" ? current.disabled : status === "disabled",
    });
    return c.redirect(`${PAGE}?done=saved`, 303);
  });

  return app;
}

/** The :id of an account that exists, else a 404. */
async function accountId(c: Ctx): Promise<string> {
  const found = (await listAccounts(c.get("deps").db)).find((a) => a.id === c.req.param("id"));
  if (!found) throw new HttpError(404, "error.notFound");
  return found.id;
}

function UsersPage({ c, me, accounts, done, error, typed }: { c: Ctx; me: string; accounts: AccountSummary[]; done?: "created" | "saved"; error?: string; typed?: Record<string, string> }) {
  const t = c.get("t");
  const csrf = c.get("csrfToken");
  return (
    <section class="accounts-admin">
      <h1>{t("admin.users.title")}</h1>
      <p>{t("admin.users.intro")}</p>
      {done ? <p class="notice" role="status">{t(done === "created" ? "admin.users.created" : "admin.users.saved")}</p> : null}
      <ul class="account-list">
        {accounts.map((a) => (
          <li>
            <h2>{a.display_name}{a.id === me ? ` (${t("admin.users.you")})` : ""}</h2>
            <p>
              {a.email} · {t(a.disabled ? "admin.users.disabled" : "admin.users.active")} · {t("admin.users.since", { date: a.created })}
              {a.locked ? <> · <strong>{t("admin.users.locked")}</strong></> : null}
              {a.two_factor ? <> · {t("admin.users.twoFactor")}</> : null}
            </p>
            <form method="post" action={`${PAGE}/${a.id}`} class="inline">
              <input type="hidden" name="_csrf" value={csrf} />
              <label>{t("admin.users.role")}<RoleSelect t={t} value={a.role} /></label>
              <label>{t("admin.users.language")}<LanguageSelect t={t} value={a.language ?? ""} /></label>
              <button type="submit" aria-label={t("admin.users.saveFor", { name: a.display_name })}>{t("admin.users.save")}</button>
            </form>
            <form method="post" action={`${PAGE}/${a.id}`} class="inline">
              <input type="hidden" name="_csrf" value={csrf} />
              <input type="hidden" name="status" value={a.disabled ? "active" : "disabled"} />
              <button type="submit" class="secondary" aria-label={t(a.disabled ? "admin.users.enableFor" : "admin.users.disableFor", { name: a.display_name })}>
                {t(a.disabled ? "admin.users.enable" : "admin.users.disable")}
              </button>
            </form>
            {a.locked ? (
              <form method="post" action={`${PAGE}/${a.id}/unlock`} class="inline">
                <input type="hidden" name="_csrf" value={csrf} />
                <button type="submit" class="secondary" aria-label={t("admin.users.unlockFor", { name: a.display_name })}>{t("admin.users.unlock")}</button>
              </form>
            ) : null}
            {a.two_factor && a.id !== me ? (
              <form method="post" action={`${PAGE}/${a.id}/two-factor-off`} class="inline">
                <input type="hidden" name="_csrf" value={csrf} />
                <button type="submit" class="secondary" aria-label={t("admin.users.twoFactorOffFor", { name: a.display_name })}>{t("admin.users.twoFactorOff")}</button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
      <h2 id="create">{t("admin.users.create")}</h2>
      {error ? <p class="error-box" role="alert">{error}</p> : null}
      <form method="post" action={PAGE} class="form-stack" aria-labelledby="create">
        <input type="hidden" name="_csrf" value={csrf} />
        <label>{t("admin.users.name")}<input name="displayName" required maxlength={120} value={typed?.displayName ?? ""} /></label>
        <label>{t("auth.email")}<input type="email" name="email" required maxlength={254} autocomplete="off" value={typed?.email ?? ""} /></label>
        <label>{t("admin.users.role")}<RoleSelect t={t} value={(typed?.role as Role) || "intake"} /></label>
        <label>{t("admin.users.language")}<LanguageSelect t={t} value={typed?.language ?? ""} /></label>
        <label>{t("admin.users.initialPassword")}<input type="password" name="password" required minlength={12} maxlength={1024} autocomplete="new-password" /></label>
        <button type="submit">{t("admin.users.createSubmit")}</button>
      </form>
    </section>
  );
}

function RoleSelect({ t, value }: { t: AppEnv["Variables"]["t"]; value: Role }) {
  return <select name="role">{ROLES.map((role) => <option value={role} selected={role === value}>{t(`role.${role}` as MessageKey)}</option>)}</select>;
}

function LanguageSelect({ t, value }: { t: AppEnv["Variables"]["t"]; value: string }) {
  return (
    <select name="language">
      <option value="" selected={value === ""}>{t("admin.users.languageDefault")}</option>
      <option value="en" selected={value === "en"}>{t("lang.en")}</option>
      <option value="es" selected={value === "es"}>{t("lang.es")}</option>
    </select>
  );
}
