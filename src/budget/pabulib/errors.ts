export type PabulibErrorCode =
  | "too-large"
  | "missing-section"
  | "section-order"
  | "bad-header"
  | "column-count"
  | "bad-quote"
  | "missing-meta"
  | "duplicate-meta"
  | "bad-budget"
  | "bad-vote-type"
  | "bad-cost"
  | "duplicate-project"
  | "duplicate-voter"
  | "empty-id"
  | "unknown-project"
  | "bad-points"
  | "bad-vote"
  | "too-many";

/** A malformed .pb file. `line` is 1-based; null only when the file was refused before reading. */
export class PabulibError extends Error {
  override name = "PabulibError";
  constructor(
    readonly code: PabulibErrorCode,
    readonly line: number | null,
    readonly problem: string,
  ) {
    super(line === null ? problem : `line ${line}: ${problem}`);
  }
}
