/**
 * The one storage interface. PGlite and PostgreSQL each implement it, so every
 * repository and test runs unchanged on both.
 */
export type Row = Record<string, unknown>;

export interface Queryable {
  /** Runs one parameterised statement ($1, $2, …) and returns its rows. */
  query<T = Row>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs one or more statements without parameters (migrations, DDL). */
  exec(text: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: "pglite" | "postgres";
  /** Runs fn in one transaction: all of it commits, or none of it. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Bulk-loads rows with COPY … FROM STDIN (CSV). Faster than INSERTs for imports;
   * must be called inside a transaction's Queryable when atomicity matters.
   */
  copyRows(tx: Queryable, table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<void>;
  /**
   * PGlite only: every file of the data directory as one tar, taken while no
   * statement runs, so it is a crash-consistent copy (an open transaction is
   * rolled back when it is opened). The backup reads it.
   */
  dumpFiles?(): Promise<Uint8Array>;
  close(): Promise<void>;
}
