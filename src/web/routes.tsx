import { Hono } from "hono";
import { authorize } from "../auth/authorize.js";
import { recordStats } from "../records/service.js";
import type { AppEnv } from "./context.js";
import type { MessageKey } from "./i18n/index.js";
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
    const numbers = new Intl.NumberFormat(c.get("lang"));
    return renderPage(c, t("home.title"), (
      <>
        <h1>{t("home.title")}</h1>
        <p>{t("home.intro")}</p>
        <form class="search" method="get" action="/officers" role="search">
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
  return app;
}
