/** A problem with one value or row, naming the column when one is at fault. */
export class RowError extends Error {
  constructor(
    readonly column: string | null,
    message: string,
  ) {
    super(message);
  }
}

/** An import that cannot go on: names the file, line and column; nothing was written. */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly column: string | null,
    readonly reason: string,
  ) {
    super(`${file}${line !== null ? `, line ${line}` : ""}${column ? `, column "${column}"` : ""}: ${reason}`);
  }
}
