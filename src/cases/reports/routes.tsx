import { Hono, type Context } from "hono";
import { etag } from "hono/etag";
import { authorize } from "../../auth/authorize.js";
import { barChartSvg, type BarSeries } from "../../records/charts.js";
import type { AppEnv } from "../../web/context.js";
import { csvResponse } from "../../web/csv.js";
import { badRequest } from "../../web/errors.js";
import { renderPage } from "../../web/render.js";
import { parseQuery } from "../../web/validate.js";
import { reportTranslator, type ReportKey, type ReportTranslate } from "./i18n.js";
import { availablePeriods, currentYear, parsePeriod, reportQuerySchema, type ReportPeriod } from "./period.js";
import { firstYear } from "./repo.js";
import { figureRows } from "./rows.js";
import { FINDING_COLUMNS, reportFigures, type ComplaintsReport, type KeyedFigure } from "./service.js";
import { periodName, ReportPage, type ReportCharts } from "./views.js";

/**
 * The office's public statistics: a page, a JSON answer and a CSV, all three
 * from the same computed report. Public: every role may read them.
 */
export function reportRoutes(options: { now?: () => Date } = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const now = options.now ?? (() => new Date());
  app.use("/api/v1/reports/*", etag({ weak: true }));

  const load = async (c: Context<AppEnv>): Promise<{ report: ComplaintsReport; format: "json" | "csv" | undefined }> => {
    authorize(c.get("actor"), "records.read");
    const query = parseQuery(c, reportQuerySchema);
    const at = now();
    const period: ReportPeriod = query.period ? (parsePeriod(query.period) as { ok: true; period: ReportPeriod }).period : currentYear(at);
    try {
      const residual: string[] = [];
      const report = await reportFigures(c.get("deps").db, period, at, { residual });
      // Figure ids only: which sums could still narrow a small figure, for the office to know.
      if (residual.length) c.get("deps").logger.warn({ period: period.label, residual }, "report suppression left figures derivable");
      return { report, format: query.format };
    } catch (error) {
      if (error instanceof RangeError) throw badRequest(error.message);
      throw error;
    }
  };
  // District and penalty names are typed by people: the CSV writer defuses formulas in them.
  const csv = (c: Context<AppEnv>, report: ComplaintsReport) => csvResponse(c, `complaints-report-${report.period.label}`, figureRows(report).map((row) => ({ ...row })));

  app.get("/api/v1/reports/complaints", async (c) => {
    const { report, format } = await load(c);
    return format === "csv" ? csv(c, report) : c.json(report);
  });

  app.get("/reports/complaints", async (c) => {
    const { report, format } = await load(c);
    if (format === "csv") return csv(c, report);
    if (format === "json") return c.json(report);
    const rt = reportTranslator(c.get("lang"));
    const [charts, first] = await Promise.all([reportCharts(report, rt), firstYear(c.get("deps").db)]);
    return renderPage(c, `${rt("reports.title")}: ${periodName(report.period, rt)}`, (
      <ReportPage t={c.get("t")} rt={rt} lang={c.get("lang")} report={report} periods={availablePeriods(first, now())} charts={charts} />
    ));
  });
  return app;
}

/** Only figures that are shown become bars: a suppressed figure is not drawn, not even as zero. */
const shown = (rows: { x: string; y: number | null; series?: string }[]): BarSeries[] =>
  rows.filter((row): row is { x: string; y: number; series?: string } => row.y !== null);
const anything = (data: BarSeries[]) => data.some((point) => point.y > 0);

async function chart(data: BarSeries[], options: Parameters<typeof barChartSvg>[1]): Promise<string> {
  return anything(data) ? barChartSvg(data, options) : "";
}

export async function reportCharts(report: ComplaintsReport, rt: ReportTranslate): Promise<ReportCharts> {
  const label = (key: string) => rt(key as ReportKey);
  const simple = (rows: KeyedFigure[], prefix: string) => shown(rows.map((row) => ({ x: label(`${prefix}.${row.key}`), y: row.value })));
  const count = rt("reports.complaints");
  const findingSeries = FINDING_COLUMNS.map((column) => label(`reports.finding.${column}`));
  const findings = (rows: ComplaintsReport["findings"]["board"]) =>
    shown(rows.flatMap((row) => row.findings.map((finding) => ({ x: label(`reports.category.${row.category}`), y: finding.value, series: label(`reports.finding.${finding.key}`) }))));
  const statuses = report.deadlines[0].statuses.map((status) => label(`reports.status.${status.key}`));
  const window = label(`reports.window.${report.disciplineWindow}`);
  const [channel, district, pending, outcome, board, department, penalty, deadlines, officers] = await Promise.all([
    chart(simple(report.received.byChannel, "reports.channel"), { xTitle: rt("reports.channel"), yTitle: count, integer: true }),
    chart(shown([
      ...report.received.byDistrict.map((row) => ({ x: row.key, y: row.value })),
      { x: rt("reports.districtNotGiven"), y: report.received.districtNotGiven.value },
      { x: rt("reports.otherDistricts"), y: report.received.otherDistricts.value },
    ]), { xTitle: rt("reports.district"), yTitle: count, integer: true }),
    chart(simple(report.pending.byState, "reports.state"), { xTitle: rt("reports.state"), yTitle: count, integer: true }),
    chart(simple(report.closed.byOutcome, "reports.outcome"), { xTitle: rt("reports.outcome"), yTitle: count, integer: true }),
    chart(findings(report.findings.board), { xTitle: rt("reports.category"), yTitle: rt("reports.allegations"), integer: true, seriesOrder: findingSeries }),
    chart(findings(report.findings.department), { xTitle: rt("reports.category"), yTitle: rt("reports.allegations"), integer: true, seriesOrder: findingSeries }),
    chart(shown(report.discipline.byPenalty.flatMap((row) => [
      { x: row.penalty ?? rt("reports.penaltyNone"), y: row.recommended.value, series: rt("reports.recommended") },
      { x: row.penalty ?? rt("reports.penaltyNone"), y: row.imposed.value, series: rt("reports.imposed") },
    ])), { xTitle: rt("reports.penalty"), yTitle: rt("reports.allegations"), integer: true, grouped: true, seriesOrder: [rt("reports.recommended"), rt("reports.imposed")] }),
    chart(shown(report.deadlines.flatMap((clock) => clock.statuses.map((status) => ({ x: rt(`reports.clock.${clock.clock}` as ReportKey, { window }), y: status.value, series: label(`reports.status.${status.key}`) })))),
      { xTitle: rt("reports.clock"), yTitle: count, integer: true, seriesOrder: statuses }),
    chart(shown(report.complaintsPerOfficer.byComplaints.map((row) => ({ x: row.key, y: row.value }))), { xTitle: rt("reports.complaintsNaming"), yTitle: rt("reports.officerCount"), integer: true }),
  ]);
  return { channel, district, pending, outcome, board, department, penalty, deadlines, officers };
}
