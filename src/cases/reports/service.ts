/**
 * The office's public statistics for a period: every figure is computed here,
 * suppressed here (suppression.ts), and published as one object that the page,
 * the JSON API and the CSV all render. Definitions: README.md in this folder.
 */
import type { Db } from "../../db/db.js";
import { findingIsWeaker, penaltySeverity } from "../../records/vocab.js";
import { computeDeadlines, type DeadlineKind, type DeadlineStatus, type DisciplineWindow } from "../deadlines.js";
import { INTAKE_CATEGORIES } from "../schema.js";
import { disciplineWindow } from "../staff-view.js";
import { STATES } from "../workflow.js";
import { isoDay, periodBounds, type ReportPeriod } from "./period.js";
import * as repo from "./repo.js";
import { durationFigures, FigureSet, THRESHOLD, type Figure } from "./suppression.js";

export const CHANNELS = ["online", "phone", "mail", "in_person", "email"] as const;
export const PENDING_STATES = STATES.filter((state) => !(repo.CLOSED_STATES as readonly string[]).includes(state));
/** How a case closed: only "findings" (through the board and the department's decision) closes with findings. */
export const OUTCOMES = ["findings", "mediated", "contact_log", "referred_out", "closed_no_finding"] as const;
export const WITHOUT_FINDINGS = ["mediated", "contact_log", "referred_out", "closed_no_finding"] as const;
export const CATEGORIES = INTAKE_CATEGORIES;
/** Finding columns; "other" gathers no_affidavit, closed_no_finding, pending and other. */
export const FINDING_COLUMNS = ["sustained", "not_sustained", "exonerated", "unfounded", "other"] as const;
export const DISCIPLINE_OUTCOMES = ["followed", "weaker", "not_comparable", "no_final_decision"] as const;
export const CLOCKS: readonly DeadlineKind[] = ["acknowledgement", "first_contact", "classification", "discipline"];
export const CLOCK_STATUSES = ["met", "missed", "overdue", "open", "not_applicable"] as const;
export const OFFICER_BUCKETS = ["1", "2", "3", "4", "5+"] as const;

export type { Figure } from "./suppression.js";
export interface KeyedFigure extends Figure {
  key: string;
}
export interface Durations {
  median: Figure;
  p90: Figure;
}
export interface CategoryFindings {
  category: string;
  findings: KeyedFigure[];
}
export interface PenaltyRow {
  /** The penalty's text as recorded (the discipline matrix's words, or the department's); null: none recorded. */
  penalty: string | null;
  recommended: Figure;
  imposed: Figure;
}

/** The published report: the JSON API answers exactly this. */
export interface ComplaintsReport {
  report: "complaints";
  period: {
    label: string;
    from: string;
    to: string;
    /** False while the period is still running: figures are then as of `asOf`. */
    complete: boolean;
    /** The instant the figures describe: the end of the period, or now. */
    asOf: string;
  };
  /** The discipline window the clocks use (office setting). */
  disciplineWindow: DisciplineWindow;
  /** Figures from fewer than this many cases are not shown. */
  suppressionThreshold: number;
  received: { total: Figure; byChannel: KeyedFigure[]; byDistrict: KeyedFigure[]; districtNotGiven: Figure; otherDistricts: Figure };
  pending: { total: Figure; byState: KeyedFigure[] };
  closed: { total: Figure; withFindings: Figure; withoutFindings: Figure; byOutcome: KeyedFigure[] };
  daysToClose: { all: Durations; withFindings: Durations; withoutFindings: Durations };
  findings: { board: CategoryFindings[]; department: CategoryFindings[] };
  discipline: { sustainedByBoard: Figure; outcome: KeyedFigure[]; departedFromBoard: Figure; byPenalty: PenaltyRow[] };
  deadlines: { clock: DeadlineKind; statuses: KeyedFigure[] }[];
  complaintsPerOfficer: { byComplaints: KeyedFigure[]; complaintsWithIdentifiedOfficer: Figure; complaintsWithoutIdentifiedOfficer: Figure };
}

const DAY = 86_400_000;

/** A count with the set of cases behind it. */
class Tally {
  private readonly map = new Map<string, { value: number; cases: Set<string> }>();
  /** Adds `by` to the figure, and the cases behind it. */
  add(key: string, cases: string | Iterable<string>, by = 1) {
    const entry = this.map.get(key) ?? { value: 0, cases: new Set<string>() };
    entry.value += by;
    for (const id of typeof cases === "string" ? [cases] : cases) entry.cases.add(id);
    this.map.set(key, entry);
  }
  value(key: string) {
    return this.map.get(key)?.value ?? 0;
  }
  cases(key: string): ReadonlySet<string> {
    return this.map.get(key)?.cases ?? new Set();
  }
  keys() {
    return [...this.map.keys()];
  }
}

const category = (value: string) => ((CATEGORIES as readonly string[]).includes(value) ? value : "other");
const findingColumn = (value: string) => ((FINDING_COLUMNS as readonly string[]).includes(value) ? value : "other");

function outcomeOf(row: repo.ClosingRow): (typeof OUTCOMES)[number] {
  if (row.to_state === "referred_out") return "referred_out";
  if (row.to_state === "closed_no_finding") return "closed_no_finding";
  if (row.from_state === "mediation") return "mediated";
  if (row.from_state === "contact_log") return "contact_log";
  // The workflow reaches "closed" otherwise only from final_disposition.
  return "findings";
}

/** Whole days from received to closed, rounded down (closed 36 hours after receipt: 1 day). */
export const daysBetween = (fromMs: number, toMs: number) => Math.floor((toMs - fromMs) / DAY);

/**
 * Computes the report for a period (both dates included, UTC). Figures describe
 * the period as of its end, or as of `now` while it is still running.
 * `unsuppressed` skips small-number suppression: for staff and tests only,
 * never for a public answer. `residual`, when given, receives the tables the
 * suppression could not fully protect (figure ids only), for a log line.
 */
export async function reportFigures(
  db: Db, period: { from: string; to: string; label?: string }, now = new Date(), options: { unsuppressed?: boolean; residual?: string[] } = {},
): Promise<ComplaintsReport> {
  const { start, end } = periodBounds(period);
  if (start > now) throw new RangeError("period: has not started yet");
  const asOf = end < now ? end : now;
  const [received, states, closings, officerPairs, window] = await Promise.all([
    repo.receivedCases(db, start, asOf), repo.statesAt(db, asOf), repo.closedIn(db, start, asOf), repo.officerCases(db, start, asOf), disciplineWindow(db),
  ]);
  const [tolling, allegations] = await Promise.all([
    repo.tollingFor(db, received.map((row) => row.id)), repo.allegationsFor(db, closings.map((row) => row.id)),
  ]);

  const figures = new FigureSet();
  const ids = <T extends string>(prefix: string, keys: readonly T[]) => keys.map((key) => `${prefix}.${key}`);

  // Received, by channel and district.
  const channels = new Tally();
  const districts = new Map<string, { spellings: Map<string, number>; cases: Set<string> }>();
  const notGiven = new Set<string>();
  for (const row of received) {
    channels.add(row.channel, row.id);
    const text = row.district?.trim();
    if (!text) {
      notGiven.add(row.id);
      continue;
    }
    const key = text.toLowerCase();
    const entry = districts.get(key) ?? { spellings: new Map(), cases: new Set() };
    entry.spellings.set(text, (entry.spellings.get(text) ?? 0) + 1);
    entry.cases.add(row.id);
    districts.set(key, entry);
  }
  figures.add("received.total", received.length, received.length, { fixed: true });
  for (const channel of CHANNELS) figures.add(`received.channel.${channel}`, channels.value(channel), channels.cases(channel));
  // A district is named only when at least THRESHOLD cases share it; the rest are pooled unnamed.
  const named = [...districts.values()]
    .filter((entry) => entry.cases.size >= THRESHOLD)
    .map((entry) => ({ name: [...entry.spellings.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0], cases: entry.cases }))
    .sort((a, b) => a.name.localeCompare(b.name, "en"));
  const pooled = new Set([...districts.values()].filter((entry) => entry.cases.size < THRESHOLD).flatMap((entry) => [...entry.cases]));
  named.forEach((district, index) => figures.add(`received.district.${index}`, district.cases.size, district.cases));
  figures.add("received.districtNotGiven", notGiven.size, notGiven);
  figures.add("received.otherDistricts", pooled.size, pooled);
  figures.line("received.total", ids("received.channel", CHANNELS));
  figures.line("received.total", [...named.map((_, index) => `received.district.${index}`), "received.districtNotGiven", "received.otherDistricts"]);

  // Pending at the end of the period, by state.
  const pendingByState = new Map(states.map((row) => [row.state, row.cases]));
  const pendingTotal = PENDING_STATES.reduce((sum, state) => sum + (pendingByState.get(state) ?? 0), 0);
  figures.add("pending.total", pendingTotal, pendingTotal, { fixed: true });
  for (const state of PENDING_STATES) figures.add(`pending.state.${state}`, pendingByState.get(state) ?? 0, pendingByState.get(state) ?? 0);
  figures.line("pending.total", ids("pending.state", PENDING_STATES));

  // Closed in the period: outcomes and days to close.
  const outcomes = new Tally();
  const days: Record<"all" | "withFindings" | "withoutFindings", number[]> = { all: [], withFindings: [], withoutFindings: [] };
  for (const row of closings) {
    const outcome = outcomeOf(row);
    outcomes.add(outcome, row.id);
    const elapsed = daysBetween(row.received_ms, row.closed_ms);
    days.all.push(elapsed);
    days[outcome === "findings" ? "withFindings" : "withoutFindings"].push(elapsed);
  }
  const withoutCases = new Set(WITHOUT_FINDINGS.flatMap((outcome) => [...outcomes.cases(outcome)]));
  figures.add("closed.total", closings.length, closings.length, { fixed: true });
  for (const outcome of OUTCOMES) figures.add(`closed.outcome.${outcome}`, outcomes.value(outcome), outcomes.cases(outcome));
  figures.add("closed.withoutFindings", withoutCases.size, withoutCases);
  figures.line("closed.total", ids("closed.outcome", OUTCOMES));
  figures.line("closed.total", ["closed.outcome.findings", "closed.withoutFindings"]);
  figures.line("closed.withoutFindings", ids("closed.outcome", WITHOUT_FINDINGS));

  // Findings by category, on the allegations of cases closed in the period.
  const board = new Tally();
  const department = new Tally();
  const discipline = new Tally();
  const recommended = new Tally();
  const imposed = new Tally();
  const departed = new Tally();
  const penalties = new Map<string, string | null>();
  for (const allegation of allegations) {
    const cat = category(allegation.category);
    if (allegation.board_finding) board.add(`${cat}.${findingColumn(allegation.board_finding)}`, allegation.case_id);
    if (allegation.final_finding) department.add(`${cat}.${findingColumn(allegation.final_finding)}`, allegation.case_id);
    if (allegation.board_finding && allegation.deviated) departed.add("all", allegation.case_id);
    if (allegation.board_finding !== "sustained") continue;
    discipline.add(disciplineOutcome(allegation), allegation.case_id);
    const rec = penaltyKey(allegation.recommended_penalty);
    const imp = penaltyKey(allegation.final_finding ? allegation.final_penalty : null);
    penalties.set(rec, allegation.recommended_penalty?.trim() || null);
    penalties.set(imp, allegation.final_finding ? allegation.final_penalty?.trim() || null : null);
    recommended.add(rec, allegation.case_id);
    imposed.add(imp, allegation.case_id);
  }
  for (const cat of CATEGORIES) {
    for (const column of FINDING_COLUMNS) {
      figures.add(`findings.board.${cat}.${column}`, board.value(`${cat}.${column}`), board.cases(`${cat}.${column}`));
      figures.add(`findings.department.${cat}.${column}`, department.value(`${cat}.${column}`), department.cases(`${cat}.${column}`));
    }
  }
  const sustainedCases = new Set(DISCIPLINE_OUTCOMES.flatMap((outcome) => [...discipline.cases(outcome)]));
  const sustainedTotal = DISCIPLINE_OUTCOMES.reduce((sum, outcome) => sum + discipline.value(outcome), 0);
  figures.add("discipline.sustainedByBoard", sustainedTotal, sustainedCases);
  for (const outcome of DISCIPLINE_OUTCOMES) figures.add(`discipline.outcome.${outcome}`, discipline.value(outcome), discipline.cases(outcome));
  figures.add("discipline.departedFromBoard", departed.value("all"), departed.cases("all"));
  const penaltyKeys = [...penalties.keys()].sort(byPenalty(penalties));
  penaltyKeys.forEach((key, index) => {
    figures.add(`discipline.penalty.${index}.recommended`, recommended.value(key), recommended.cases(key));
    figures.add(`discipline.penalty.${index}.imposed`, imposed.value(key), imposed.cases(key));
  });
  figures.line("discipline.sustainedByBoard", CATEGORIES.map((cat) => `findings.board.${cat}.sustained`));
  figures.line("discipline.sustainedByBoard", ids("discipline.outcome", DISCIPLINE_OUTCOMES));
  figures.line("discipline.sustainedByBoard", penaltyKeys.map((_, index) => `discipline.penalty.${index}.recommended`));
  figures.line("discipline.sustainedByBoard", penaltyKeys.map((_, index) => `discipline.penalty.${index}.imposed`));

  // Deadlines, for the cases received in the period, as of the period's end.
  const clocks = new Tally();
  for (const row of received) {
    const deadlines = computeDeadlines(clockInput(row, tolling.filter((t) => t.case_id === row.id), asOf), window, asOf);
    for (const deadline of deadlines) clocks.add(`${deadline.kind}.${statusKey(deadline.status)}`, row.id);
  }
  for (const clock of CLOCKS) {
    for (const status of CLOCK_STATUSES) figures.add(`deadlines.${clock}.${status}`, clocks.value(`${clock}.${status}`), clocks.cases(`${clock}.${status}`));
    figures.line("received.total", ids(`deadlines.${clock}`, CLOCK_STATUSES));
  }

  // Complaints per identified officer (counts of officers, never who).
  const perOfficer = new Map<string, Set<string>>();
  for (const pair of officerPairs) perOfficer.set(pair.person_id, (perOfficer.get(pair.person_id) ?? new Set()).add(pair.case_id));
  const buckets = new Tally();
  for (const cases of perOfficer.values()) {
    // One more officer in the bucket; the cases behind the figure are all of theirs.
    buckets.add(cases.size >= 5 ? "5+" : String(cases.size), cases);
  }
  const withOfficer = new Set(officerPairs.map((pair) => pair.case_id));
  const withoutOfficer = new Set(received.map((row) => row.id).filter((id) => !withOfficer.has(id)));
  for (const bucket of OFFICER_BUCKETS) figures.add(`officers.bucket.${bucket}`, buckets.value(bucket), buckets.cases(bucket));
  figures.add("officers.withIdentified", withOfficer.size, withOfficer);
  figures.add("officers.withoutIdentified", withoutOfficer.size, withoutOfficer);
  // No total of officers is published: in small numbers it would pin a hidden bucket (2 officers; bucket 3 shows 1 → bucket 1 is 1).
  figures.line("received.total", ["officers.withIdentified", "officers.withoutIdentified"]);

  if (!options.unsuppressed) {
    figures.suppress();
    options.residual?.push(...figures.residual);
  }
  const f = (id: string) => figures.figure(id);
  const keyed = (prefix: string, keys: readonly string[]): KeyedFigure[] => keys.map((key) => ({ key, ...f(`${prefix}.${key}`) }));
  const byCategory = (which: "board" | "department"): CategoryFindings[] =>
    CATEGORIES.map((cat) => ({ category: cat, findings: keyed(`findings.${which}.${cat}`, FINDING_COLUMNS) }));

  return {
    report: "complaints",
    period: { label: period.label ?? `${period.from}..${period.to}`, from: period.from, to: period.to, complete: end <= now, asOf: asOf.toISOString() },
    disciplineWindow: window,
    suppressionThreshold: THRESHOLD,
    received: {
      total: f("received.total"),
      byChannel: keyed("received.channel", CHANNELS),
      byDistrict: named.map((district, index) => ({ key: district.name, ...f(`received.district.${index}`) })),
      districtNotGiven: f("received.districtNotGiven"),
      otherDistricts: f("received.otherDistricts"),
    },
    pending: { total: f("pending.total"), byState: keyed("pending.state", PENDING_STATES) },
    closed: { total: f("closed.total"), withFindings: f("closed.outcome.findings"), withoutFindings: f("closed.withoutFindings"), byOutcome: keyed("closed.outcome", OUTCOMES) },
    daysToClose: { all: durationFigures(days.all, options.unsuppressed), withFindings: durationFigures(days.withFindings, options.unsuppressed), withoutFindings: durationFigures(days.withoutFindings, options.unsuppressed) },
    findings: { board: byCategory("board"), department: byCategory("department") },
    discipline: {
      sustainedByBoard: f("discipline.sustainedByBoard"),
      outcome: keyed("discipline.outcome", DISCIPLINE_OUTCOMES),
      departedFromBoard: f("discipline.departedFromBoard"),
      byPenalty: penaltyKeys.map((key, index) => ({ penalty: penalties.get(key) ?? null, recommended: f(`discipline.penalty.${index}.recommended`), imposed: f(`discipline.penalty.${index}.imposed`) })),
    },
    deadlines: CLOCKS.map((clock) => ({ clock, statuses: keyed(`deadlines.${clock}`, CLOCK_STATUSES) })),
    complaintsPerOfficer: {
      byComplaints: keyed("officers.bucket", OFFICER_BUCKETS),
      complaintsWithIdentifiedOfficer: f("officers.withIdentified"),
      complaintsWithoutIdentifiedOfficer: f("officers.withoutIdentified"),
    },
  };
}

/**
 * What the department did with an allegation the board sustained: "weaker" when
 * it did not sustain it, or imposed a lighter penalty than recommended (none at
 * all counts as lighter); "not_comparable" when a penalty's words have no known
 * severity; "followed" otherwise (the recommended penalty or a heavier one).
 */
export function disciplineOutcome(allegation: Pick<repo.AllegationFigures, "final_finding" | "recommended_penalty" | "final_penalty">): (typeof DISCIPLINE_OUTCOMES)[number] {
  if (!allegation.final_finding) return "no_final_decision";
  if (findingIsWeaker("sustained", allegation.final_finding)) return "weaker";
  const before = penaltySeverity(allegation.recommended_penalty);
  const after = allegation.final_penalty?.trim() ? penaltySeverity(allegation.final_penalty) : 0;
  if (before === null || after === null) return "not_comparable";
  return after < before ? "weaker" : "followed";
}

const penaltyKey = (text: string | null) => text?.trim().toUpperCase() || "";

/** Heaviest first; penalties of unknown severity next, by name; "none recorded" last. */
function byPenalty(texts: Map<string, string | null>) {
  return (a: string, b: string) => {
    if (!a || !b) return a ? -1 : b ? 1 : 0;
    const sa = penaltySeverity(texts.get(a)) ?? -1;
    const sb = penaltySeverity(texts.get(b)) ?? -1;
    return sb - sa || (a < b ? -1 : a > b ? 1 : 0);
  };
}

const statusKey = (status: DeadlineStatus): (typeof CLOCK_STATUSES)[number] => (status === "due" || status === "paused" ? "open" : status);

/** The clocks' inputs as they stood at `asOf`: anything recorded later had not happened yet. */
function clockInput(row: repo.ReceivedRow, tolling: { starts_on: string; ends_on: string | null }[], asOf: Date) {
  const before = (value: number | null) => (value !== null && value < asOf.getTime() ? new Date(value).toISOString() : null);
  const lastDay = isoDay(new Date(asOf.getTime() - 1));
  return {
    receivedAt: new Date(row.received_ms).toISOString(),
    incidentDate: row.incident_date,
    acknowledgedAt: before(row.acknowledged_ms),
    firstContactAt: before(row.first_contact_ms),
    classifiedAt: before(row.classified_ms),
    finalDecisionAt: before(row.final_decision_ms),
    contactable: row.contactable,
    tolling: tolling
      .filter((period) => period.starts_on <= lastDay)
      .map((period) => ({ startsOn: period.starts_on, endsOn: period.ends_on && period.ends_on <= lastDay ? period.ends_on : null })),
  };
}
