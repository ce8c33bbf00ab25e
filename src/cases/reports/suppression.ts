/**
 * Small-number suppression for the public reports, pure.
 *
 * PRIMARY: a figure computed from 1 or 2 cases is not published; it reads
 * "fewer than 3" (JSON: value null, suppressed "fewer_than_3"). A rare
 * category in a small district can point at one complainant. Zero is shown.
 *
 * COMPLEMENTARY: totals are published, so a lone hidden figure could be worked
 * out by subtraction (total 16; online 10, phone 4, mail "fewer than 3" → mail
 * is 2). Wherever a published sum ("line") would let a reader pin a hidden
 * small figure to one value, the smallest other non-zero figure of that line is
 * hidden as well; it reads "withheld" (suppressed "withheld"), never "fewer than
 * 3", because it is not. The check per line assumes what a reader knows: each
 * "fewer than 3" figure is 1 or 2, each "withheld" one is at least 3, and the
 * hidden ones add up to the total minus the visible ones. Figures a reader can
 * derive from other lines (a line with a single unknown) count as visible.
 * This is the usual statistical-office heuristic, not a full linear-programming
 * audit; tables so small that no choice protects them are listed in `residual`.
 */

export const THRESHOLD = 3;

export type Suppression = "fewer_than_3" | "withheld";

/** One published figure: a number, or null with the reason it is not shown. */
export interface Figure {
  value: number | null;
  suppressed: Suppression | null;
}

interface Cell {
  id: string;
  value: number;
  cases: number;
  fixed: boolean;
  state: "visible" | "primary" | "withheld";
}

interface Line {
  total: string;
  parts: string[];
}

export class FigureSet {
  private readonly cells = new Map<string, Cell>();
  private readonly lines: Line[] = [];
  /** Lines (or figures) no complementary choice could protect: reported, never silently ignored. */
  readonly residual: string[] = [];

  /**
   * A figure and the number of distinct cases behind it. `fixed` figures (the
   * headline totals: received, pending, closed) are never withheld to protect
   * another figure; like every figure, they read "fewer than 3" when 1 or 2
   * cases are behind them.
   */
  add(id: string, value: number, cases: number | ReadonlySet<string>, options: { fixed?: boolean } = {}): this {
    if (this.cells.has(id)) throw new Error(`figure ${id} added twice`);
    const count = typeof cases === "number" ? cases : cases.size;
    this.cells.set(id, { id, value, cases: count, fixed: !!options.fixed, state: "visible" });
    return this;
  }

  /** A published identity: total = sum of parts. */
  line(total: string, parts: string[]): this {
    for (const id of [total, ...parts]) if (!this.cells.has(id)) throw new Error(`line names unknown figure ${id}`);
    this.lines.push({ total, parts });
    return this;
  }

  suppress(): this {
    for (const cell of this.cells.values()) {
      if (cell.cases > 0 && cell.cases < THRESHOLD) cell.state = "primary";
    }
    const acceptedLines = new Set<number>();
    const acceptedCells = new Set<string>();
    for (let guard = 0; guard < 10_000; guard += 1) {
      const problems = this.findProblems(acceptedLines, acceptedCells);
      if (!problems.length) return this;
      // Fix the first problem something can fix; a derived figure is often fixed on the line it came from, not the last one.
      const fixable = problems.map((problem) => ({ problem, candidate: this.candidate(problem) })).find((entry) => entry.candidate);
      if (fixable) {
        fixable.candidate!.state = "withheld";
        continue;
      }
      for (const problem of problems) {
        const line = this.lines[problem.line];
        if (problem.exclude) {
          acceptedCells.add(problem.exclude);
          this.residual.push(`${problem.exclude} can be derived from ${line.total} = ${line.parts.join(" + ")}`);
        } else {
          acceptedLines.add(problem.line);
          this.residual.push(`${line.total} = ${line.parts.join(" + ")}`);
        }
      }
    }
    throw new Error("suppression did not settle");
  }

  /** The smallest shown, non-zero figure of the problem's line that may be withheld. */
  private candidate(problem: { line: number; exclude?: string }): Cell | undefined {
    return this.lines[problem.line].parts
      .map((id) => this.cells.get(id)!)
      .filter((cell) => cell.state === "visible" && cell.value > 0 && !cell.fixed && cell.id !== problem.exclude)
      .sort((a, b) => a.value - b.value)[0];
  }

  figure(id: string): Figure {
    const cell = this.cells.get(id);
    if (!cell) throw new Error(`no figure ${id}`);
    if (cell.state === "visible") return { value: cell.value, suppressed: null };
    return { value: null, suppressed: cell.state === "primary" ? "fewer_than_3" : "withheld" };
  }

  /** What a reader can know: shown figures, and any a line leaves as its only unknown. */
  private derive(): { known: Set<string>; derivedBy: Map<string, number> } {
    const known = new Set([...this.cells.values()].filter((cell) => cell.state === "visible").map((cell) => cell.id));
    const derivedBy = new Map<string, number>();
    for (let changed = true; changed;) {
      changed = false;
      this.lines.forEach((line, index) => {
        const unknown = [line.total, ...line.parts].filter((id) => !known.has(id));
        if (unknown.length === 1) {
          known.add(unknown[0]);
          derivedBy.set(unknown[0], index);
          changed = true;
        }
      });
    }
    return { known, derivedBy };
  }

  /** Hidden small figures a reader can pin down: derived outright, or pinned by a line's sum. */
  private findProblems(acceptedLines: Set<number>, acceptedCells: Set<string>): { line: number; exclude?: string }[] {
    const { known, derivedBy } = this.derive();
    const problems: { line: number; exclude?: string }[] = [];
    for (const cell of this.cells.values()) {
      if (cell.state === "primary" && known.has(cell.id) && !acceptedCells.has(cell.id)) problems.push({ line: derivedBy.get(cell.id)!, exclude: cell.id });
    }
    for (const [index, line] of this.lines.entries()) {
      if (acceptedLines.has(index) || !known.has(line.total)) continue;
      const hidden = line.parts.filter((id) => !known.has(id)).map((id) => this.cells.get(id)!);
      const primary = hidden.filter((cell) => cell.state === "primary").length;
      if (primary === 0) continue;
      const shownSum = line.parts.filter((id) => known.has(id)).reduce((sum, id) => sum + this.cells.get(id)!.value, 0);
      if (!ambiguous(this.cells.get(line.total)!.value - shownSum, primary, hidden.length - primary)) problems.push({ line: index });
    }
    return problems;
  }
}

/**
 * Whether every hidden small figure could be 1 or 2, given that `primary`
 * figures are each 1 or 2, `withheld` ones each at least 3, and all add up to `sum`.
 */
export function ambiguous(sum: number, primary: number, withheld: number): boolean {
  if (withheld === 0) return primary >= 2 && sum >= primary + 1 && sum <= 2 * primary - 1;
  return sum >= 3 * withheld + primary + 1;
}

/**
 * Median: the middle value of the sorted list, or the mean of the two middle
 * values when the count is even.
 */
export function median(values: readonly number[]): number {
  if (!values.length) throw new RangeError("median of nothing");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Percentile by the nearest-rank method: the value at rank ceil(p/100 × n) of
 * the sorted list (1-based). Always one of the observed values.
 */
export function nearestRank(values: readonly number[], p: number): number {
  if (!values.length) throw new RangeError("percentile of nothing");
  if (!(p > 0 && p <= 100)) throw new RangeError("p must be in (0, 100]");
  const sorted = [...values].sort((a, b) => a - b);
  // p × n / 100 in integers first, so no floating-point residue can push the rank up by one.
  return sorted[Math.ceil((p * sorted.length) / 100) - 1];
}

/** Median and 90th percentile, shown only when at least THRESHOLD cases are behind them. */
export function durationFigures(days: readonly number[], unsuppressed = false): { median: Figure; p90: Figure } {
  if (days.length === 0) return { median: { value: null, suppressed: null }, p90: { value: null, suppressed: null } };
  if (days.length < THRESHOLD && !unsuppressed) return { median: { value: null, suppressed: "fewer_than_3" }, p90: { value: null, suppressed: "fewer_than_3" } };
  return { median: { value: median(days), suppressed: null }, p90: { value: nearestRank(days, 90), suppressed: null } };
}
