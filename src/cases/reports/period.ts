/**
 * Report periods: a calendar year ("2026") or a quarter ("2026-Q3"), in UTC
 * (the office's clocks in deadlines.ts count in UTC too). A period is a pair of
 * dates, `from` and `to`, both included; internally it is the half-open
 * interval [from 00:00Z, the day after `to` 00:00Z).
 */
import { z } from "zod";

export interface ReportPeriod {
  /** "2026", "2026-Q3", or "2026-02-01..2026-02-28" for any other range. */
  label: string;
  /** First day, YYYY-MM-DD. */
  from: string;
  /** Last day, YYYY-MM-DD, included. */
  to: string;
}

const DAY = 86_400_000;
export const PERIOD_PATTERN = /^(\d{4})(?:-Q([1-4]))?$/;
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

/** The period a text names, or a sentence saying what is wrong (for a 400 that names the field). */
export function parsePeriod(text: string): { ok: true; period: ReportPeriod } | { ok: false; reason: string } {
  const match = PERIOD_PATTERN.exec(text.trim());
  if (!match) return { ok: false, reason: "use a year (2026) or a quarter (2026-Q3)" };
  const year = Number(match[1]);
  if (year < MIN_YEAR || year > MAX_YEAR) return { ok: false, reason: `the year must be between ${MIN_YEAR} and ${MAX_YEAR}` };
  if (!match[2]) return { ok: true, period: { label: String(year), from: `${year}-01-01`, to: `${year}-12-31` } };
  const quarter = Number(match[2]);
  const start = new Date(Date.UTC(year, (quarter - 1) * 3, 1));
  const next = new Date(Date.UTC(year, quarter * 3, 1));
  return { ok: true, period: { label: `${year}-Q${quarter}`, from: isoDay(start), to: isoDay(new Date(next.getTime() - DAY)) } };
}

/** The default: the current calendar year. */
export function currentYear(now: Date): ReportPeriod {
  return (parsePeriod(String(now.getUTCFullYear())) as { ok: true; period: ReportPeriod }).period;
}

/** The query string of the report routes. Unknown parameters (lang) are ignored. */
export const reportQuerySchema = z.object({
  period: z.string().max(20).optional().superRefine((value, ctx) => {
    if (value === undefined || value === "") return;
    const parsed = parsePeriod(value);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.reason });
  }),
  format: z.enum(["json", "csv"]).optional(),
});

/** The instants the period covers: [start, end). */
export function periodBounds(period: Pick<ReportPeriod, "from" | "to">): { start: Date; end: Date } {
  const start = new Date(`${period.from}T00:00:00Z`);
  const end = new Date(new Date(`${period.to}T00:00:00Z`).getTime() + DAY);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || !/^\d{4}-\d{2}-\d{2}$/.test(period.from) || !/^\d{4}-\d{2}-\d{2}$/.test(period.to)) {
    throw new RangeError("period: from and to must be dates (YYYY-MM-DD)");
  }
  if (end <= start) throw new RangeError("period: to must not be before from");
  return { start, end };
}

/**
 * The periods the picker offers, newest first: each year from the first
 * complaint's to now, and each of its quarters that has begun.
 */
export function availablePeriods(firstYear: number | null, now: Date): ReportPeriod[] {
  const thisYear = now.getUTCFullYear();
  const from = Math.max(MIN_YEAR, Math.min(firstYear ?? thisYear, thisYear));
  const periods: ReportPeriod[] = [];
  for (let year = thisYear; year >= from; year -= 1) {
    periods.push(currentYear(new Date(Date.UTC(year, 0, 1))));
    for (let quarter = 4; quarter >= 1; quarter -= 1) {
      const parsed = parsePeriod(`${year}-Q${quarter}`) as { ok: true; period: ReportPeriod };
      if (periodBounds(parsed.period).start <= now) periods.push(parsed.period);
    }
  }
  return periods;
}

export const isoDay = (date: Date) => date.toISOString().slice(0, 10);
