import type { Db, Queryable } from "../../db/db.js";
import type { RowSink } from "./sink.js";
import type { SourceFile } from "./source.js";

export interface RunContext {
  db: Db;
  tx: Queryable;
  sink: RowSink;
  runId: string;
  /** Room for a format's own state across files (e.g. linked officer ids). */
  state: Map<string, unknown>;
  /**
   * A file's records before its turn (in prepare), read as the runner reads
   * every file. The runner keeps them and replays them at the file's turn
   * instead of reading the file again.
   */
  readAhead(source: SourceFile): AsyncIterable<CsvRecord>;
}

export interface RowInfo {
  /** The line in the file where the record ends (header is line 1). */
  line: number;
  /** The data row's number, 1 for the first row after the header. */
  index: number;
}

export type CsvRecord = Record<string, string | undefined>;

export interface FileHandler {
  /** Stages the rows this record produces in ctx.sink; throws RowError for a bad value. */
  onRow(record: CsvRecord, row: RowInfo): void | Promise<void>;
}

/** One kind of source file, as `oversight import <format>` names it. */
export interface ImportFormat {
  name: string;
  /** Runs once before any rows, over the files not yet imported (e.g. linking officers across files). */
  prepare?(files: SourceFile[], ctx: RunContext): Promise<void>;
  /** Checks the header (throw RowError naming a missing column) and returns the row handler. */
  openFile(file: SourceFile, header: string[], ctx: RunContext): FileHandler;
  /** Runs before each file's turn, e.g. linking officers before the first file that names them. */
  beforeFile?(file: SourceFile, ctx: RunContext): Promise<void>;
  /** Orders the files, e.g. complaints before the allegations that point at them. */
  order?(files: SourceFile[]): SourceFile[];
  /** Extra figures for the reconciliation report. */
  finish?(ctx: RunContext): Promise<Record<string, unknown>>;
}

/** Throws a RowError unless every required column is in the header. */
export function requireColumns(header: readonly string[], required: readonly string[]): string[] {
  return required.filter((column) => !header.includes(column));
}
