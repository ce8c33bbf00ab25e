/**
 * The report as one flat list of figures: the CSV's rows, and the ids the page
 * marks its table cells with (data-figure), so a test can prove page, JSON and
 * CSV carry the same figures with the same suppression.
 */
import type { ComplaintsReport, Figure } from "./service.js";

export interface FigureRow {
  period: string;
  section: string;
  group: string;
  key: string;
  /** Empty when the figure is not shown. */
  value: number | "";
  /** "fewer_than_3", "withheld", or empty. */
  suppressed: string;
}

export const figureId = (section: string, group: string, key: string) => `${section}|${group}|${key}`;

export function figureRows(report: ComplaintsReport): FigureRow[] {
  const rows: FigureRow[] = [];
  const add = (section: string, group: string, key: string, figure: Figure) =>
    rows.push({ period: report.period.label, section, group, key, value: figure.value ?? "", suppressed: figure.suppressed ?? "" });
  const r = report;
  add("received", "", "total", r.received.total);
  for (const row of r.received.byChannel) add("received_by_channel", "", row.key, row);
  for (const row of r.received.byDistrict) add("received_by_district", "district", row.key, row);
  add("received_by_district", "pooled", "not_given", r.received.districtNotGiven);
  add("received_by_district", "pooled", "other_districts", r.received.otherDistricts);
  add("pending", "", "total", r.pending.total);
  for (const row of r.pending.byState) add("pending_by_state", "", row.key, row);
  add("closed", "", "total", r.closed.total);
  add("closed", "", "with_findings", r.closed.withFindings);
  add("closed", "", "without_findings", r.closed.withoutFindings);
  for (const row of r.closed.byOutcome) add("closed_by_outcome", "", row.key, row);
  for (const [group, durations] of [["all", r.daysToClose.all], ["with_findings", r.daysToClose.withFindings], ["without_findings", r.daysToClose.withoutFindings]] as const) {
    add("days_to_close", group, "median", durations.median);
    add("days_to_close", group, "p90", durations.p90);
  }
  for (const category of r.findings.board) for (const row of category.findings) add("board_findings", category.category, row.key, row);
  for (const category of r.findings.department) for (const row of category.findings) add("department_findings", category.category, row.key, row);
  add("discipline", "", "sustained_by_board", r.discipline.sustainedByBoard);
  add("discipline", "", "departed_from_board", r.discipline.departedFromBoard);
  for (const row of r.discipline.outcome) add("discipline_outcome", "", row.key, row);
  for (const row of r.discipline.byPenalty) {
    add("discipline_by_penalty", row.penalty ?? "", "recommended", row.recommended);
    add("discipline_by_penalty", row.penalty ?? "", "imposed", row.imposed);
  }
  for (const clock of r.deadlines) for (const row of clock.statuses) add("deadlines", clock.clock, row.key, row);
  add("complaints_per_officer", "", "with_identified_officer", r.complaintsPerOfficer.complaintsWithIdentifiedOfficer);
  add("complaints_per_officer", "", "without_identified_officer", r.complaintsPerOfficer.complaintsWithoutIdentifiedOfficer);
  for (const row of r.complaintsPerOfficer.byComplaints) add("officers_by_complaints", "", row.key, row);
  return rows;
}

