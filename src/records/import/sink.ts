import { randomUUID } from "node:crypto";
import type { Db, Queryable } from "../../db/db.js";

/** The columns each records table is loaded with, in COPY order. */
const TABLE_COLUMNS = {
  people: ["id", "first_name", "middle_name", "last_name", "suffix", "full_name", "birth_year", "race", "gender"],
  person_mentions: ["id", "person_id", "source", "local_id", "attributes", "link_rule", "import_run_id"],
  employment: ["id", "person_id", "mention_id", "agency_id", "badge", "rank", "unit", "start_date", "end_date", "separation_reason", "import_run_id", "source_sha256", "source_row"],
  complaints: ["id", "agency_id", "external_id", "received_date", "incident_date", "closed_date", "location", "beat", "district", "channel", "case_type", "investigating_agency", "complainant_type", "summary", "search_text", "import_run_id", "source_sha256", "source_row"],
  complainant_demographics: ["complaint_id", "race", "gender", "age_band", "count", "import_run_id", "source_sha256"],
  allegations: ["id", "complaint_id", "person_id", "mention_id", "category_code", "category", "investigator_finding", "board_finding", "final_finding", "recommended_penalty", "final_penalty", "suspension_days", "rank_at_time", "unit_at_time", "import_run_id", "source_sha256", "source_row"],
  discipline: ["id", "person_id", "allegation_id", "kind", "days", "with_pay", "decided_date", "import_run_id", "source_sha256", "source_row"],
  settlements: ["id", "agency_id", "calendar_year", "incident_date", "filed_date", "closed_date", "amount_cents", "other_expenses_cents", "total_cents", "payer", "case_outcome", "docket_number", "claim_number", "court", "matter_name", "location", "summary_allegations", "status", "import_run_id", "source_sha256", "source_row"],
  settlement_officers: ["settlement_id", "person_id", "name_as_written"],
  force_incidents: ["id", "agency_id", "external_id", "source_kind", "occurred_date", "location", "city", "state", "force_type", "injury", "fatal", "details", "import_run_id", "source_sha256", "source_row"],
  force_officers: ["incident_id", "person_id", "mention_id", "rank_at_time", "unit_at_time", "duty_status", "injured", "import_run_id", "source_sha256", "source_row"],
} as const;

export type TableName = keyof typeof TABLE_COLUMNS;
/** Parents before children, so foreign keys hold at every flush. */
const FLUSH_ORDER = Object.keys(TABLE_COLUMNS) as TableName[];
export const FLUSH_EVERY = 20_000;
/** Batches that may wait behind the one loading: about 40,000 rows held in memory at most. */
const QUEUED_BATCHES = 6;

export interface Provenance {
  importRunId: string;
  sourceSha256: string | null;
  sourceRow: number | null;
}

/**
 * Buffers the rows one source row produces, keeps them apart until the row is
 * known to be good (commitRow) or bad (discardRow), and bulk-loads them with COPY.
 * Ids are made here, so children can point at parents before anything is written.
 *
 * On PostgreSQL a full buffer is loaded while parsing goes on into a fresh one
 * (the server works while Node parses), and a few more may queue behind it.
 * Only one COPY is in flight at a time, and `tx` waits for the queue before any
 * other statement, so nothing interleaves with a COPY on the transaction's connection. PGlite runs on this thread, so there
 * it loads in place.
 */
export class RowSink {
  private pending = new Map<TableName, unknown[][]>();
  private staged: [TableName, unknown[]][] = [];
  private pendingCount = 0;
  /** Loads started and not yet waited for, oldest first; each runs after the one before it. */
  private queued: Promise<void>[] = [];
  /** Rows committed per table, in the tables' load order (parents first) whatever order they came in. */
  readonly counts: Partial<Record<TableName, number>> = Object.fromEntries(FLUSH_ORDER.map((table) => [table, 0]));
  private readonly agencyIds = new Map<string, string>();
  provenance: Provenance;
  /** The transaction, for formats' own statements: each waits for the load in flight. */
  readonly tx: Queryable;

  constructor(
    private readonly db: Db,
    private readonly rawTx: Queryable,
    importRunId: string,
  ) {
    this.provenance = { importRunId, sourceSha256: null, sourceRow: null };
    this.tx = {
      query: async (text, params) => {
        await this.settle();
        return rawTx.query(text, params);
      },
      exec: async (text) => {
        await this.settle();
        return rawTx.exec(text);
      },
    };
  }

  /** Stages one row; fills id and provenance columns the table has. Returns the row's id. */
  add(table: TableName, values: Record<string, unknown>): string {
    const id = (values.id as string | undefined) ?? randomUUID();
    const full: Record<string, unknown> = {
      id,
      import_run_id: this.provenance.importRunId,
      source_sha256: this.provenance.sourceSha256,
      source_row: this.provenance.sourceRow,
      ...values,
    };
    this.staged.push([table, TABLE_COLUMNS[table].map((column) => full[column] ?? null)]);
    return id;
  }

  commitRow(): void {
    for (const [table, row] of this.staged) {
      let rows = this.pending.get(table);
      if (!rows) this.pending.set(table, (rows = []));
      rows.push(row);
      this.counts[table]! += 1;
    }
    this.pendingCount += this.staged.length;
    this.staged = [];
  }

  discardRow(): void {
    this.staged = [];
  }

  /** Loads buffered rows once enough have gathered; call after each committed row. */
  async maybeFlush(): Promise<void> {
    if (this.pendingCount >= FLUSH_EVERY) await this.handOff();
  }

  /**
   * Starts loading everything buffered. On PostgreSQL it does not wait for the
   * load: batches queue behind the one loading (up to QUEUED_BATCHES), so the
   * server keeps working while Node reads and links. The next settle() or
   * statement on `tx` waits for them all. On PGlite it loads in place.
   */
  async handOff(): Promise<void> {
    if (this.db.kind !== "postgres") return this.flush();
    if (this.pendingCount === 0) return;
    if (this.queued.length >= QUEUED_BATCHES) await this.queued.shift();
    const batch = this.pending;
    this.pending = new Map();
    this.pendingCount = 0;
    // Each batch loads after the one before it; a failure skips the rest and surfaces at the next wait.
    const previous = this.queued.at(-1) ?? Promise.resolve();
    const load = previous.then(() => this.load(batch));
    // A failure surfaces at the next wait; this only keeps it from being reported as unhandled first.
    load.catch(() => undefined);
    this.queued.push(load);
  }

  /** Loads everything buffered and waits until it is written. */
  async flush(): Promise<void> {
    await this.settle();
    const batch = this.pending;
    this.pending = new Map();
    this.pendingCount = 0;
    await this.load(batch);
  }

  /** Waits for the loads queued, if any, and rethrows the first error. */
  async settle(): Promise<void> {
    const last = this.queued.at(-1);
    this.queued = [];
    await last;
  }

  private async load(batch: Map<TableName, unknown[][]>): Promise<void> {
    for (const table of FLUSH_ORDER) {
      const rows = batch.get(table);
      if (rows?.length) await this.db.copyRows(this.rawTx, table, TABLE_COLUMNS[table], rows);
    }
  }

  /** Finds or creates an agency by slug; agencies are few, so they are written at once. */
  async agency(slug: string, name: string, city: string | null, state: string | null): Promise<string> {
    const cached = this.agencyIds.get(slug);
    if (cached) return cached;
    const [row] = await this.tx.query<{ id: string }>(
      `INSERT INTO agencies (slug, name, city, state) VALUES ($1, $2, $3, $4)
       ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug RETURNING id`,
      [slug, name, city, state],
    );
    this.agencyIds.set(slug, row.id);
    return row.id;
  }
}
