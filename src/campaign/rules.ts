/**
 * The campaign's rules, pure: how a roll call decides a motion, and how a promise
 * of monthly meetings compares with the meetings recorded.
 *
 * Voting follows Robert's Rules of Order, Newly Revised (12th ed.):
 * - Quorum (§40): a majority of the membership (here: of the body's seats) unless
 *   the bylaws fix another number (`quorum` on the body). Members present are every
 *   seat not marked absent: a member who abstains or recuses is still present.
 * - Votes cast (§44:1): yes and no only. Abstentions, recusals and absences are
 *   not votes cast.
 * - Without a quorum no motion can be decided: the result is `no_quorum`, whatever
 *   the count.
 * - Thresholds (§44):
 *   - majority_cast (the default): more than half of the votes cast, i.e. yes > no;
 *     a tie fails; no votes cast fails.
 *   - majority_present: more than half of the members present who may vote (present
 *     minus recused), so an abstention counts like a no.
 *   - majority_membership: more than half of all seats (3 of 5), however many attend.
 *   - two_thirds_cast: at least two thirds of the votes cast (yes ≥ 2 × no), and at
 *     least one vote cast.
 */
import type { MeetingStatus, MotionResult, Threshold, Vote } from "./schema.js";

export interface BodyRules {
  seats: number;
  /** A fixed quorum from the bylaws; null means a majority of the seats. */
  quorum: number | null;
}

export interface Tally {
  yes: number;
  no: number;
  abstain: number;
  recused: number;
  absent: number;
}

export interface Decision {
  result: MotionResult;
  tally: Tally;
  /** Members present: every seat not absent. */
  present: number;
  quorum: number;
  /** yes + no. */
  votesCast: number;
  /** Yes votes the threshold required (0 when there was no quorum to count against). */
  needed: number;
  threshold: Threshold;
}

/** The quorum: the bylaws' number, or a majority of the seats. */
export function quorumOf(body: BodyRules): number {
  return body.quorum ?? Math.floor(body.seats / 2) + 1;
}

/** Counts a roll call. Seats missing from `votes` count as absent. */
export function tallyVotes(seats: number, votes: readonly Vote[]): Tally {
  if (votes.length > seats) throw new RangeError(`${votes.length} votes for ${seats} seats`);
  const tally: Tally = { yes: 0, no: 0, abstain: 0, recused: 0, absent: seats - votes.length };
  for (const vote of votes) tally[vote] += 1;
  return tally;
}

/** Yes votes needed under a threshold, given who is present and who voted. */
export function yesNeeded(threshold: Threshold, seats: number, tally: Tally): number {
  const cast = tally.yes + tally.no;
  const mayVote = seats - tally.absent - tally.recused;
  switch (threshold) {
    case "majority_cast":
      return Math.floor(cast / 2) + 1;
    case "majority_present":
      return Math.floor(mayVote / 2) + 1;
    case "majority_membership":
      return Math.floor(seats / 2) + 1;
    case "two_thirds_cast":
      return Math.max(1, Math.ceil((2 * cast) / 3));
  }
}

/**
 * Decides a motion from its roll call.
 *
 * @example decideMotion({ seats: 5, quorum: null }, "majority_cast", ["yes", "yes", "no", "absent", "recused"])
 *   // → passed: 3 present of a quorum of 3, 2 yes > 1 no
 */
export function decideMotion(body: BodyRules, threshold: Threshold, votes: readonly Vote[]): Decision {
  const tally = tallyVotes(body.seats, votes);
  const present = body.seats - tally.absent;
  const quorum = quorumOf(body);
  const votesCast = tally.yes + tally.no;
  if (present < quorum) return { result: "no_quorum", tally, present, quorum, votesCast, needed: 0, threshold };
  const needed = yesNeeded(threshold, body.seats, tally);
  const passed = tally.yes >= needed;
  return { result: passed ? "passed" : "failed", tally, present, quorum, votesCast, needed, threshold };
}

/** One sentence, in English, for the API and the audit log: why the motion passed or failed. */
export function explainDecision(decision: Decision): string {
  const { tally, present, quorum, needed } = decision;
  const counts = `${tally.yes} yes, ${tally.no} no, ${tally.abstain} abstaining, ${tally.recused} recused, ${tally.absent} absent`;
  if (decision.result === "no_quorum") return `No quorum: ${present} present, ${quorum} needed (${counts}).`;
  const verdict = decision.result === "passed" ? "Passed" : "Failed";
  return `${verdict}: ${tally.yes} yes of ${needed} needed (${decision.threshold}); quorum ${present} of ${quorum} (${counts}).`;
}

// ---------------------------------------------------------------------------
// Promised vs held

export interface PromiseWindow {
  perMonth: number;
  /** YYYY-MM: the first month the promise covers. */
  sinceMonth: string;
  /** YYYY-MM: the last month it covers; null while it stands. */
  untilMonth: string | null;
}

export interface MeetingDate {
  heldOn: string;
  status: MeetingStatus;
}

export interface MonthRow {
  month: string;
  promised: number;
  held: number;
  skipped: number;
  cancelled: number;
  scheduled: number;
}

export interface PromiseSummary {
  months: MonthRow[];
  totals: Omit<MonthRow, "month">;
  /** Months in which fewer meetings were held than promised. */
  monthsShort: number;
}

/** YYYY-MM of a date, or of today. */
export const monthOf = (date: string | Date = new Date()) => (typeof date === "string" ? date.slice(0, 7) : date.toISOString().slice(0, 7));

/** Every month from first to last, inclusive; empty when last is before first. */
export function monthsBetween(first: string, last: string): string[] {
  const months: string[] = [];
  let [year, month] = first.split("-").map(Number);
  const [lastYear, lastMonth] = last.split("-").map(Number);
  while (year < lastYear || (year === lastYear && month <= lastMonth)) {
    months.push(`${year}-${String(month).padStart(2, "0")}`);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

/**
 * Per month of the promise (from its first month through its last, or through
 * `throughMonth` while it stands, never past `throughMonth`): how many meetings
 * were promised, and how many of the meetings linked to it were held, skipped,
 * cancelled or are still scheduled. Meetings outside the window are not counted.
 */
export function promisedVsHeld(promise: PromiseWindow, meetings: readonly MeetingDate[], throughMonth: string = monthOf()): PromiseSummary {
  const last = promise.untilMonth && promise.untilMonth < throughMonth ? promise.untilMonth : throughMonth;
  const rows = new Map(monthsBetween(promise.sinceMonth, last).map((month) => [month, { month, promised: promise.perMonth, held: 0, skipped: 0, cancelled: 0, scheduled: 0 }]));
  for (const meeting of meetings) {
    const row = rows.get(monthOf(meeting.heldOn));
    if (row) row[meeting.status] += 1;
  }
  const months = [...rows.values()];
  const totals = { promised: 0, held: 0, skipped: 0, cancelled: 0, scheduled: 0 };
  for (const row of months) for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += row[key];
  return { months, totals, monthsShort: months.filter((row) => row.held < row.promised).length };
}
