import { Hono } from "hono";
import { authorize } from "../auth/authorize.js";
import { recordStats } from "../records/service.js";
import type { AppEnv } from "./context.js";
import type { MessageKey } from "./i18n/index.js";
import { openApiDocument } from "./openapi.js";
import { renderPage } from "./render.js";

const STAT_LABELS: [keyof Awaited<ReturnType<typeof recordStats>>["tables"], MessageKey, string][] = [
  ["officers", "table.officers", "/officers"],
  ["complaints", "table.complaints", "/complaints"],
  ["allegations", "table.allegations", "/complaints"],
  ["settlements", "table.settlements", "/agencies"],
  ["forceIncidents", "table.forceIncidents", "/agencies"],
  ["agencies", "table.agencies", "/agencies"],
];

/** Site-wide pages: the home page. */
export function siteRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/", async (c) => {
    authorize(c.get("actor"), "records.read");
    const t = c.get("t");
    const stats = await recordStats(c.get("deps").db);
    const numbers = new Intl.NumberFormat(c.get("lang") === "es" ? "es-US" : "en-US");
    return renderPage(c, t("home.title"), (
      <>
        <h1>{t("home.title")}</h1>
        <p>{t("home.intro")}</p>
        <form class="search" method="get" action="/officers" role="search">
          <input type="hidden" name="lang" value={c.get("lang")} />
          <label>{t("home.searchOfficers")}<input type="search" name="q" /></label>
          <button type="submit">{t("common.search")}</button>
        </form>
        <h2>{t("home.stats")}</h2>
        <ul class="stats">
          {STAT_LABELS.map(([key, label, href]) => (
            <li><a href={href}><span class="figure">{numbers.format(stats.tables[key])}</span>{t(label)}</a></li>
          ))}
        </ul>
      </>
    ));
  });
  app.get("/api/openapi.json", (c) => c.json(openApiDocument()));

  app.get("/data", (c) => {
    const t = c.get("t");
    const paths = Object.keys(openApiDocument().paths);
    return renderPage(c, t("data.title"), (
      <>
        <h1>{t("data.title")}</h1>
        <p>{t("data.intro")}</p>
        <p><a href="/api/openapi.json">OpenAPI (JSON)</a> · <a href="/sources">{t("footer.sources")}</a></p>
        <ul>{paths.map((path) => <li><code>{path}</code></li>)}</ul>
        <p class="downloads">
          <a href="/api/v1/officers?per_page=500&format=csv" download>{t("table.officers")} — CSV</a>
          <a href="/api/v1/complaints?per_page=500&format=csv" download>{t("table.complaints")} — CSV</a>
          <a href="/api/v1/allegations?per_page=500&format=csv" download>{t("table.allegations")} — CSV</a>
          <a href="/api/v1/settlements?per_page=500&format=csv" download>{t("table.settlements")} — CSV</a>
        </p>
      </>
    ));
  });
  return app;
}
