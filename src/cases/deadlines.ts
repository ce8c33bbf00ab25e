/**
 * The office's clocks, computed (never stored) from a case's dates:
 * acknowledgement in 7 days, first contact in 48 hours, classification in 30
 * days, and the discipline window from the incident (180 days, 1 year or 18
 * months by city), paused by tolling events.
 */
export type DisciplineWindow = "180d" | "1y" | "18m";
/** Why the discipline clock may pause (the demands' tolling rules). */
export const TOLLING_KINDS = ["criminal_case", "waiver", "litigation"] as const;

export type DeadlineKind = "acknowledgement" | "first_contact" | "classification" | "discipline";
export type DeadlineStatus = "met" | "missed" | "due" | "overdue" | "paused" | "not_applicable";

export interface DeadlineInput {
  receivedAt: string;
  incidentDate: string | null;
  acknowledgedAt: string | null;
  firstContactAt: string | null;
  classifiedAt: string | null;
  /** When the department's final decision was recorded, which stops the discipline clock. */
  finalDecisionAt: string | null;
  /** Whether anyone can be contacted at all (anonymous complaints without contact cannot). */
  contactable: boolean;
  tolling: { startsOn: string; endsOn: string | null }[];
}

export interface Deadline {
  kind: DeadlineKind;
  dueAt: string | null;
  status: DeadlineStatus;
  doneAt: string | null;
  /** Days the clock was paused by tolling (discipline only). */
  tolledDays?: number;
}

const DAY = 86_400_000;

export function computeDeadlines(input: DeadlineInput, window: DisciplineWindow, now: Date): Deadline[] {
  const received = new Date(input.receivedAt);
  return [
    simple("acknowledgement", addMs(received, 7 * DAY), input.acknowledgedAt, now),
    input.contactable ? simple("first_contact", addMs(received, 2 * DAY), input.firstContactAt, now) : notApplicable("first_contact"),
    simple("classification", addMs(received, 30 * DAY), input.classifiedAt, now),
    discipline(input, window, now),
  ];
}

function simple(kind: DeadlineKind, due: Date, doneAt: string | null, now: Date): Deadline {
  if (doneAt) return { kind, dueAt: due.toISOString(), status: new Date(doneAt) <= due ? "met" : "missed", doneAt };
  return { kind, dueAt: due.toISOString(), status: now > due ? "overdue" : "due", doneAt: null };
}

const notApplicable = (kind: DeadlineKind): Deadline => ({ kind, dueAt: null, status: "not_applicable", doneAt: null });

/**
 * The window runs from the incident; every day inside a tolling period (counted
 * once where periods overlap) pushes the end back a day. An open tolling period
 * pauses the clock.
 */
function discipline(input: DeadlineInput, window: DisciplineWindow, now: Date): Deadline {
  if (!input.incidentDate) return notApplicable("discipline");
  const start = new Date(`${input.incidentDate}T00:00:00Z`);
  const baseEnd = windowEnd(start, window);
  const today = utcDay(now);
  const tolledDays = countTolledDays(input.tolling, start, today);
  const due = addMs(baseEnd, tolledDays * DAY);
  const paused = input.tolling.some((period) => period.startsOn <= isoDay(today) && (!period.endsOn || period.endsOn >= isoDay(today)));
  if (input.finalDecisionAt) {
    return { kind: "discipline", dueAt: due.toISOString(), status: new Date(input.finalDecisionAt) <= due ? "met" : "missed", doneAt: input.finalDecisionAt, tolledDays };
  }
  const status: DeadlineStatus = paused ? "paused" : today > due ? "overdue" : "due";
  return { kind: "discipline", dueAt: due.toISOString(), status, doneAt: null, tolledDays };
}

function windowEnd(start: Date, window: DisciplineWindow): Date {
  if (window === "180d") return addMs(start, 180 * DAY);
  const months = window === "1y" ? 12 : 18;
  const end = new Date(start);
  end.setUTCMonth(end.getUTCMonth() + months);
  return end;
}

/** Distinct days covered by tolling periods between the incident and today. */
export function countTolledDays(periods: { startsOn: string; endsOn: string | null }[], from: Date, today: Date): number {
  const ranges = periods
    .map((period) => {
      const start = Math.max(new Date(`${period.startsOn}T00:00:00Z`).getTime(), from.getTime());
      const end = period.endsOn ? new Date(`${period.endsOn}T00:00:00Z`).getTime() : today.getTime();
      return [start, Math.min(end, today.getTime())] as const;
    })
    .filter(([start, end]) => end >= start)
    .sort((a, b) => a[0] - b[0]);
  let days = 0;
  let coveredUntil = -Infinity;
  for (const [start, end] of ranges) {
    const from = Math.max(start, coveredUntil + DAY);
    if (end >= from) days += Math.round((end - from) / DAY) + 1;
    coveredUntil = Math.max(coveredUntil, end);
  }
  return days;
}

const addMs = (date: Date, ms: number) => new Date(date.getTime() + ms);
const utcDay = (date: Date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
const isoDay = (date: Date) => date.toISOString().slice(0, 10);
