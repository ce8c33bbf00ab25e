import type { Child } from "hono/jsx";
import { can } from "../auth/authorize.js";
import type { Actor } from "./context.js";
import type { Lang, Translate } from "./i18n/index.js";

export interface PageProps {
  t: Translate;
  lang: Lang;
  title: string;
  actor: Actor;
  demo: boolean;
  csrfToken: string;
  /** The current path and query, to build the language switch links. */
  path: string;
  children?: Child;
}

/** The frame of every page: skip link, header, demo banner, main, footer. */
export function Layout(props: PageProps) {
  const { t, lang } = props;
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${t("site.name")}`}</title>
        <link rel="stylesheet" href="/static/app.css" />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
      </head>
      <body>
        <a class="skip" href="#main">{t("nav.skip")}</a>
        <Header {...props} />
        {props.demo ? <p class="demo-banner" role="note">{t("demo.banner")}</p> : null}
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
        <footer>
          <p>{t("footer.audit")} <a href="/api/v1/audit/tree-head">/api/v1/audit/tree-head</a></p>
          <p><a href="/sources">{t("footer.sources")}</a> · <a href="/api/openapi.json">OpenAPI</a></p>
        </footer>
      </body>
    </html>
  );
}

function Header(props: PageProps) {
  const { t } = props;
  return (
    <header class="site-header">
      <a class="brand" href={`/?lang=${props.lang}`}>{t("site.name")}</a>
      <nav aria-label={t("nav.main")}>
        <ul>
          <li><a href="/officers">{t("nav.officers")}</a></li>
          <li><a href="/complaints">{t("nav.complaints")}</a></li>
          <li><a href="/agencies">{t("nav.agencies")}</a></li>
          <li><a href="/reports/complaints">{t("reports.nav")}</a></li>
          <li><a href="/campaign">{t("campaign.nav")}</a></li>
          <li><a href="/budget">{t("budget.nav.home")}</a></li>
          <li><a href="/petitions">{t("petitions.nav")}</a></li>
          <li><a href="/data">{t("nav.data")}</a></li>
          <li><a href="/complaints/new">{t("nav.fileComplaint")}</a></li>
          {props.actor.kind === "user" && can(props.actor, "cases.read") ? <li><a href="/staff/cases">{t("staff.cases")}</a></li> : null}
        </ul>
      </nav>
      <LanguageSwitch {...props} />
      <AccountLinks {...props} />
    </header>
  );
}

function LanguageSwitch(props: PageProps) {
  const other = props.lang === "en" ? { lang: "es", label: "Español" } : { lang: "en", label: "English" };
  return (
    <a class="lang-switch" href={withLang(props.path, other.lang)} hreflang={other.lang} lang={other.lang}>
      {other.label}
    </a>
  );
}

function AccountLinks(props: PageProps) {
  const { t, actor } = props;
  if (actor.kind === "public") return <a class="account" href="/login">{t("nav.signIn")}</a>;
  return (
    <form class="account" method="post" action="/logout">
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      <span>{t("auth.signedInAs", { name: actor.displayName })}</span>{" "}
      <a href="/account">{t("nav.account")}</a>{" "}
      <button type="submit">{t("nav.signOut")}</button>
    </form>
  );
}

/** The same path with ?lang= set, keeping every other query parameter. */
export function withLang(path: string, lang: string): string {
  const url = new URL(path, "http://local");
  url.searchParams.set("lang", lang);
  return url.pathname + url.search;
}
