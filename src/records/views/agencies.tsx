import { raw } from "hono/html";
import type { Translate } from "../../web/i18n/index.js";
import type { PresentedAgencyDetail, presentAgency } from "../present.js";
import { formatMoney, formatNumber } from "./parts.js";

type AgencyItem = ReturnType<typeof presentAgency>;

export function AgencyList({ t, lang, agencies }: { t: Translate; lang: string; agencies: AgencyItem[] }) {
  return (
    <>
      <h1>{t("agencies.title")}</h1>
      <p class="downloads"><a href="/api/v1/agencies?format=csv" download>{t("common.downloadCsv")}</a><a href="/api/v1/agencies">{t("common.downloadJson")}</a></p>
      <div class="table-scroll" tabindex={0} role="region" aria-label={t("common.scrollTable")}><table>
        <thead><tr><th scope="col">{t("officers.agency")}</th><th scope="col" class="num">{t("table.officers")}</th><th scope="col" class="num">{t("table.complaints")}</th><th scope="col" class="num">{t("table.settlements")}</th><th scope="col" class="num">{t("table.forceIncidents")}</th></tr></thead>
        <tbody>{agencies.map((a) => (
          <tr>
            <th scope="row"><a href={`/agencies/${a.slug}?lang=${lang}`}>{a.name}</a></th>
            <td class="num"><a href={`/officers?agency=${a.slug}&lang=${lang}`}>{formatNumber(a.officers, lang)}</a></td>
            <td class="num"><a href={`/complaints?agency=${a.slug}&lang=${lang}`}>{formatNumber(a.complaints, lang)}</a></td>
            <td class="num"><a href={`/api/v1/settlements?agency=${a.slug}`}>{formatNumber(a.settlements, lang)}</a></td>
            <td class="num">{formatNumber(a.forceIncidents, lang)}</td>
          </tr>
        ))}</tbody>
      </table></div>
    </>
  );
}

export interface AgencyCharts {
  byYear: string;
  sustained: string;
  settlements: string;
}

export function AgencyDetailView({ t, lang, agency, charts }: { t: Translate; lang: string; agency: PresentedAgencyDetail; charts: AgencyCharts }) {
  const years = [...new Set(agency.complaintsByYearAndCategory.map((row) => row.year))];
  const complaintsPerYear = years.map((year) => ({ year, total: agency.complaintsByYearAndCategory.filter((row) => row.year === year).reduce((sum, row) => sum + row.complaints, 0) }));
  return (
    <>
      <h1>{agency.name}</h1>
      <ul class="stats">
        <li><a href={`/officers?agency=${agency.slug}&lang=${lang}`}><span class="figure">{formatNumber(agency.officers, lang)}</span>{t("table.officers")}</a></li>
        <li><a href={`/complaints?agency=${agency.slug}&lang=${lang}`}><span class="figure">{formatNumber(agency.complaints, lang)}</span>{t("table.complaints")}</a></li>
        <li><a href={`/api/v1/settlements?agency=${agency.slug}`}><span class="figure">{formatNumber(agency.settlements, lang)}</span>{t("table.settlements")}</a></li>
        <li><span class="figure">{formatNumber(agency.forceIncidents, lang)}</span>{t("table.forceIncidents")}</li>
      </ul>
      <ChartSection id="by-year" title={t("agencies.byYear")} svg={charts.byYear} t={t}>
        <thead><tr><th scope="col">{t("agencies.year")}</th><th scope="col" class="num">{t("table.complaints")}</th></tr></thead>
        <tbody>{complaintsPerYear.map((row) => <tr><th scope="row">{row.year}</th><td class="num"><a href={`/complaints?agency=${agency.slug}&year=${row.year}&lang=${lang}`}>{row.total}</a></td></tr>)}</tbody>
      </ChartSection>
      <ChartSection id="sustained" title={t("agencies.sustainedShare")} svg={charts.sustained} t={t}>
        <thead><tr><th scope="col">{t("agencies.year")}</th><th scope="col" class="num">{t("officers.allegations")}</th><th scope="col" class="num">{t("officers.sustained")}</th><th scope="col" class="num">{t("agencies.share")}</th></tr></thead>
        <tbody>{agency.sustainedByYear.map((row) => <tr><th scope="row">{row.year}</th><td class="num">{row.allegations}</td><td class="num"><a href={`/complaints?agency=${agency.slug}&year=${row.year}&finding=sustained&lang=${lang}`}>{row.sustained}</a></td><td class="num">{(row.share * 100).toFixed(1)}%</td></tr>)}</tbody>
      </ChartSection>
      <section aria-labelledby="penalties">
        <h2 id="penalties">{t("agencies.penalties")}</h2>
        <div class="table-scroll" tabindex={0} role="region" aria-label={t("common.scrollTable")}><table>
          <thead><tr><th scope="col">{t("profile.recommendedPenalty")}</th><th scope="col">{t("profile.finalPenalty")}</th><th scope="col" class="num">{t("officers.allegations")}</th></tr></thead>
          <tbody>{agency.recommendedVersusImposed.slice(0, 30).map((row) => <tr><td>{row.recommended ?? "—"}</td><td>{row.imposed ?? "—"}{row.weaker ? <strong class="weaker"> ▼ {t("profile.weaker")}</strong> : null}</td><td class="num">{row.allegations}</td></tr>)}</tbody>
        </table></div>
      </section>
      <ChartSection id="settlements" title={t("agencies.settlementsByYear")} svg={charts.settlements} t={t}>
        <thead><tr><th scope="col">{t("agencies.year")}</th><th scope="col" class="num">{t("agencies.count")}</th><th scope="col" class="num">{t("agencies.total")}</th></tr></thead>
        <tbody>{agency.settlementsByYear.map((row) => <tr><th scope="row">{row.year}</th><td class="num"><a href={`/api/v1/settlements?agency=${agency.slug}&year=${row.year}`}>{row.settlements}</a></td><td class="num">{formatMoney(row.amountCents, lang)}</td></tr>)}</tbody>
      </ChartSection>
    </>
  );
}

function ChartSection({ id, title, svg, t, children }: { id: string; title: string; svg: string; t: Translate; children?: unknown }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {svg ? <figure><div class="chart" role="img" aria-label={title}>{raw(svg)}</div></figure> : <p>{t("common.none")}</p>}
      <details>
        <summary>{t("common.chartData")}</summary>
        <table>{children as never}</table>
      </details>
    </section>
  );
}
