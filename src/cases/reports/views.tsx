import { raw } from "hono/html";
import type { Translate } from "../../web/i18n/index.js";
import type { ReportKey, ReportTranslate } from "./i18n.js";
import type { ReportPeriod } from "./period.js";
import { figureId } from "./rows.js";
import { FINDING_COLUMNS, type ComplaintsReport, type Figure } from "./service.js";

export interface ReportCharts {
  channel: string;
  district: string;
  pending: string;
  outcome: string;
  board: string;
  department: string;
  penalty: string;
  deadlines: string;
  officers: string;
}

interface Props {
  t: Translate;
  rt: ReportTranslate;
  lang: string;
  report: ComplaintsReport;
  periods: ReportPeriod[];
  charts: ReportCharts;
}

const locale = (lang: string) => (lang === "es" ? "es-US" : "en-US");

/** A figure as a person reads it: the number, "fewer than 3", "withheld", or a dash when there is nothing to count. */
export function showFigure(figure: Figure, lang: string, rt: ReportTranslate): string {
  if (figure.suppressed === "fewer_than_3") return rt("reports.fewerThan3");
  if (figure.suppressed === "withheld") return rt("reports.withheld");
  if (figure.value === null) return "—";
  return new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 1 }).format(figure.value);
}

export function periodName(period: Pick<ReportPeriod, "label">, rt: ReportTranslate): string {
  const match = /^(\d{4})(?:-Q([1-4]))?$/.exec(period.label);
  if (!match) return period.label;
  return match[2] ? rt("reports.periodQuarter", { year: match[1], quarter: match[2] }) : rt("reports.periodYear", { year: match[1] });
}

const formatDate = (day: string, lang: string) => new Intl.DateTimeFormat(locale(lang), { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));
const formatInstant = (iso: string, lang: string) => new Intl.DateTimeFormat(locale(lang), { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(new Date(iso));

function Cell({ id, figure, lang, rt }: { id: string; figure: Figure; lang: string; rt: ReportTranslate }) {
  return (
    <td class="num" data-figure={id} data-value={figure.value === null ? "" : String(figure.value)} data-suppressed={figure.suppressed ?? ""}>
      {showFigure(figure, lang, rt)}
    </td>
  );
}

function Table({ t, label, children }: { t: Translate; label: string; children?: unknown }) {
  return (
    <div class="table-scroll" tabindex={0} role="region" aria-label={`${label}. ${t("common.scrollTable")}`}>
      <table>{children as never}</table>
    </div>
  );
}

function ChartSection({ id, title, svg, t, rt, intro, children }: { id: string; title: string; svg: string; t: Translate; rt: ReportTranslate; intro?: string; children?: unknown }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {intro ? <p>{intro}</p> : null}
      {svg ? <figure><div class="chart" role="img" aria-label={title}>{raw(svg)}</div></figure> : <p>{rt("reports.noData")}</p>}
      <details>
        <summary>{t("common.chartData")}</summary>
        <Table t={t} label={title}>{children}</Table>
      </details>
    </section>
  );
}

export function ReportPage({ t, rt, lang, report, periods, charts }: Props) {
  const r = report;
  const label = (key: string) => rt(key as ReportKey);
  const cell = (section: string, group: string, key: string, figure: Figure) => <Cell id={figureId(section, group, key)} figure={figure} lang={lang} rt={rt} />;
  const api = `/api/v1/reports/complaints?period=${encodeURIComponent(r.period.label)}`;
  const windowText = rt(`reports.window.${r.disciplineWindow}` as ReportKey);
  return (
    <>
      <h1>{rt("reports.title")}: {periodName(r.period, rt)}</h1>
      <p>{rt("reports.intro")}</p>
      <form class="search" method="get" action="/reports/complaints">
        <input type="hidden" name="lang" value={lang} />
        <label>
          {rt("reports.period")}
          <select name="period">
            {periods.map((period) => <option value={period.label} selected={period.label === r.period.label}>{periodName(period, rt)}</option>)}
          </select>
        </label>
        <button type="submit">{rt("reports.show")}</button>
      </form>
      <p>
        {rt("reports.periodRange", { from: formatDate(r.period.from, lang), to: formatDate(r.period.to, lang) })}.{" "}
        {r.period.complete ? rt("reports.complete") : rt("reports.inProgress", { date: formatInstant(r.period.asOf, lang) })}
      </p>
      <p class="downloads">
        <a href={`${api}&format=csv`} download>{t("common.downloadCsv")}</a>
        <a href={api}>{t("common.downloadJson")}</a>
        <a href="#definitions">{rt("reports.definitions")}</a>
      </p>
      <ul class="stats">
        <li><span class="figure">{showFigure(r.received.total, lang, rt)}</span>{rt("reports.received")}</li>
        <li><span class="figure">{showFigure(r.pending.total, lang, rt)}</span>{rt("reports.pending")}</li>
        <li><span class="figure">{showFigure(r.closed.total, lang, rt)}</span>{rt("reports.closed")}</li>
        <li><span class="figure">{showFigure(r.closed.withFindings, lang, rt)}</span>{rt("reports.closedWithFindings")}</li>
        <li><span class="figure">{showFigure(r.daysToClose.all.median, lang, rt)}</span>{rt("reports.medianDays")}</li>
        <li><span class="figure">{showFigure(r.daysToClose.all.p90, lang, rt)}</span>{rt("reports.p90Days")}</li>
      </ul>
      <p>{rt("reports.chartNote")}</p>

      <ChartSection id="by-channel" title={rt("reports.receivedByChannel")} svg={charts.channel} t={t} rt={rt}>
        <thead><tr><th scope="col">{rt("reports.channel")}</th><th scope="col" class="num">{rt("reports.complaints")}</th></tr></thead>
        <tbody>
          {r.received.byChannel.map((row) => <tr><th scope="row">{label(`reports.channel.${row.key}`)}</th>{cell("received_by_channel", "", row.key, row)}</tr>)}
          <tr><th scope="row">{rt("reports.received")}</th>{cell("received", "", "total", r.received.total)}</tr>
        </tbody>
      </ChartSection>

      <ChartSection id="by-district" title={rt("reports.receivedByDistrict")} svg={charts.district} t={t} rt={rt}>
        <thead><tr><th scope="col">{rt("reports.district")}</th><th scope="col" class="num">{rt("reports.complaints")}</th></tr></thead>
        <tbody>
          {r.received.byDistrict.map((row) => <tr><th scope="row">{row.key}</th>{cell("received_by_district", "district", row.key, row)}</tr>)}
          <tr><th scope="row">{rt("reports.districtNotGiven")}</th>{cell("received_by_district", "pooled", "not_given", r.received.districtNotGiven)}</tr>
          <tr><th scope="row">{rt("reports.otherDistricts")}</th>{cell("received_by_district", "pooled", "other_districts", r.received.otherDistricts)}</tr>
        </tbody>
      </ChartSection>

      <ChartSection id="pending" title={rt("reports.pendingByState")} svg={charts.pending} t={t} rt={rt}>
        <thead><tr><th scope="col">{rt("reports.state")}</th><th scope="col" class="num">{rt("reports.complaints")}</th></tr></thead>
        <tbody>
          {r.pending.byState.map((row) => <tr><th scope="row">{label(`reports.state.${row.key}`)}</th>{cell("pending_by_state", "", row.key, row)}</tr>)}
          <tr><th scope="row">{rt("reports.pending")}</th>{cell("pending", "", "total", r.pending.total)}</tr>
        </tbody>
      </ChartSection>

      <ChartSection id="closed" title={rt("reports.closedByOutcome")} svg={charts.outcome} t={t} rt={rt}>
        <thead><tr><th scope="col">{rt("reports.outcome")}</th><th scope="col" class="num">{rt("reports.complaints")}</th></tr></thead>
        <tbody>
          {r.closed.byOutcome.map((row) => <tr><th scope="row">{label(`reports.outcome.${row.key}`)}</th>{cell("closed_by_outcome", "", row.key, row)}</tr>)}
          <tr><th scope="row">{rt("reports.closedWithFindings")}</th>{cell("closed", "", "with_findings", r.closed.withFindings)}</tr>
          <tr><th scope="row">{rt("reports.closedWithoutFindings")}</th>{cell("closed", "", "without_findings", r.closed.withoutFindings)}</tr>
          <tr><th scope="row">{rt("reports.closed")}</th>{cell("closed", "", "total", r.closed.total)}</tr>
        </tbody>
      </ChartSection>

      <section aria-labelledby="days">
        <h2 id="days">{rt("reports.daysToClose")}</h2>
        <Table t={t} label={rt("reports.daysToClose")}>
          <thead><tr><th scope="col"></th><th scope="col" class="num">{rt("reports.median")}</th><th scope="col" class="num">{rt("reports.p90")}</th></tr></thead>
          <tbody>
            {([["all", r.daysToClose.all, "reports.days.all"], ["with_findings", r.daysToClose.withFindings, "reports.days.withFindings"], ["without_findings", r.daysToClose.withoutFindings, "reports.days.withoutFindings"]] as const).map(([group, durations, key]) => (
              <tr><th scope="row">{rt(key)}</th>{cell("days_to_close", group, "median", durations.median)}{cell("days_to_close", group, "p90", durations.p90)}</tr>
            ))}
          </tbody>
        </Table>
      </section>

      {([["board", r.findings.board, "reports.boardFindings", charts.board], ["department", r.findings.department, "reports.departmentFindings", charts.department]] as const).map(([which, rows, title, svg]) => (
        <ChartSection id={`${which}-findings`} title={rt(title)} svg={svg} t={t} rt={rt} intro={rt("reports.findingsIntro")}>
          <thead><tr><th scope="col">{rt("reports.category")}</th>{FINDING_COLUMNS.map((column) => <th scope="col" class="num">{label(`reports.finding.${column}`)}</th>)}</tr></thead>
          <tbody>
            {rows.map((row) => <tr><th scope="row">{label(`reports.category.${row.category}`)}</th>{row.findings.map((finding) => cell(`${which}_findings`, row.category, finding.key, finding))}</tr>)}
          </tbody>
        </ChartSection>
      ))}

      <ChartSection id="discipline" title={rt("reports.discipline")} svg={charts.penalty} t={t} rt={rt}>
        <thead><tr><th scope="col">{rt("reports.penalty")}</th><th scope="col" class="num">{rt("reports.recommended")}</th><th scope="col" class="num">{rt("reports.imposed")}</th></tr></thead>
        <tbody>
          {r.discipline.byPenalty.map((row) => (
            <tr><th scope="row">{row.penalty ?? rt("reports.penaltyNone")}</th>{cell("discipline_by_penalty", row.penalty ?? "", "recommended", row.recommended)}{cell("discipline_by_penalty", row.penalty ?? "", "imposed", row.imposed)}</tr>
          ))}
        </tbody>
      </ChartSection>
      <section aria-labelledby="discipline-outcome">
        <h3 id="discipline-outcome">{rt("reports.disciplineOutcome")}</h3>
        <Table t={t} label={rt("reports.disciplineOutcome")}>
          <thead><tr><th scope="col"></th><th scope="col" class="num">{rt("reports.allegations")}</th></tr></thead>
          <tbody>
            {r.discipline.outcome.map((row) => <tr><th scope="row">{label(`reports.disciplineOutcome.${row.key}`)}</th>{cell("discipline_outcome", "", row.key, row)}</tr>)}
            <tr><th scope="row">{rt("reports.sustainedByBoard")}</th>{cell("discipline", "", "sustained_by_board", r.discipline.sustainedByBoard)}</tr>
            <tr><th scope="row">{rt("reports.departedFromBoard")}</th>{cell("discipline", "", "departed_from_board", r.discipline.departedFromBoard)}</tr>
          </tbody>
        </Table>
      </section>

      <ChartSection id="deadlines" title={rt("reports.deadlines")} svg={charts.deadlines} t={t} rt={rt} intro={rt("reports.deadlinesIntro")}>
        <thead><tr><th scope="col">{rt("reports.clock")}</th>{r.deadlines[0].statuses.map((status) => <th scope="col" class="num">{label(`reports.status.${status.key}`)}</th>)}</tr></thead>
        <tbody>
          {r.deadlines.map((clock) => (
            <tr><th scope="row">{rt(`reports.clock.${clock.clock}` as ReportKey, { window: windowText })}</th>{clock.statuses.map((status) => cell("deadlines", clock.clock, status.key, status))}</tr>
          ))}
        </tbody>
      </ChartSection>

      <ChartSection id="officers" title={rt("reports.officers")} svg={charts.officers} t={t} rt={rt} intro={rt("reports.officersIntro")}>
        <thead><tr><th scope="col">{rt("reports.complaintsNaming")}</th><th scope="col" class="num">{rt("reports.officerCount")}</th></tr></thead>
        <tbody>
          {r.complaintsPerOfficer.byComplaints.map((row) => <tr><th scope="row">{row.key}</th>{cell("officers_by_complaints", "", row.key, row)}</tr>)}
          <tr><th scope="row">{rt("reports.withIdentified")}</th>{cell("complaints_per_officer", "", "with_identified_officer", r.complaintsPerOfficer.complaintsWithIdentifiedOfficer)}</tr>
          <tr><th scope="row">{rt("reports.withoutIdentified")}</th>{cell("complaints_per_officer", "", "without_identified_officer", r.complaintsPerOfficer.complaintsWithoutIdentifiedOfficer)}</tr>
        </tbody>
      </ChartSection>

      <section aria-labelledby="definitions">
        <h2 id="definitions">{rt("reports.definitions")}</h2>
        {(["reports.def.period", "reports.def.asOf", "reports.def.pending", "reports.def.closed", "reports.def.days", "reports.def.findings", "reports.def.discipline", "reports.def.deadlines", "reports.def.officers", "reports.def.suppression"] as const).map((key) => <p>{rt(key)}</p>)}
      </section>
    </>
  );
}
