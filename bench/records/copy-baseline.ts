/**
 * The plain-COPY baseline for the importer on PostgreSQL: the rows exactly as
 * the importer left them, loaded into a fresh, migrated database (same tables,
 * same indexes, same foreign keys) with COPY … FROM STDIN in one transaction,
 * as the importer's own run is one transaction.
 *
 * The rows are first dumped from the imported database with
 * COPY (SELECT <every stored column>) TO STDOUT into memory, so the timed part
 * does nothing but COPY.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import postgres from "postgres";
import { connect } from "../../src/db/connect.js";
import { migrate } from "../../src/db/migrate.js";
import { nodeCpuSeconds, processCpuSeconds } from "./cpu.js";
import { noDelaySocket } from "./tcp.js";
import { log } from "./util.js";

/** Every table an import writes, parents before children so foreign keys hold during the load. */
export const LOADED_TABLES = [
  "agencies", "import_runs", "source_files",
  "people", "person_mentions", "employment", "complaints", "complainant_demographics", "allegations", "discipline",
  "settlements", "settlement_officers", "force_incidents", "force_officers",
  "person_stats", "person_badges",
] as const;
/** The tables the importer's RowSink COPYs (src/records/import/sink.ts TABLE_COLUMNS). */
export const SINK_TABLES = new Set(["people", "person_mentions", "employment", "complaints", "complainant_demographics", "allegations", "discipline", "settlements", "settlement_officers", "force_incidents", "force_officers"]);

export interface TableCopy {
  table: string;
  rows: number;
  bytes: number;
  ms: number;
}

export interface BaselineReport {
  tables: TableCopy[];
  /** All tables in LOADED_TABLES, one transaction. */
  totalMs: number;
  totalRows: number;
  /** Only the RowSink tables (no bookkeeping, no derived person_stats/person_badges). */
  sinkMs: number;
  sinkRows: number;
  dumpMs: number;
  /** CPU seconds of this process and of the server backend during the timed COPY (null: server not local). */
  cpu: { nodeSeconds: number; backendSeconds: number | null };
}

async function storedColumns(sql: postgres.Sql, table: string): Promise<string[]> {
  const rows = await sql<{ column_name: string }[]>`
    SELECT column_name FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name = ${table} AND is_generated = 'NEVER'
     ORDER BY ordinal_position`;
  return rows.map((row) => row.column_name);
}

/**
 * Reads a COPY … TO STDOUT stream to the end in flowing mode. Piping it into a
 * slower writer can hang: postgres.js 3.4 pauses the socket on backpressure and,
 * when CopyData and CopyDone arrive in one chunk, never resumes it
 * (porsager/postgres#499, fix proposed in PR #1016). Seen here on the people and
 * employment dumps; flowing mode never applies backpressure.
 */
function drain(readable: Readable): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    readable.on("data", (chunk: Buffer) => chunks.push(chunk));
    readable.once("end", () => resolve(chunks));
    readable.once("error", reject);
  });
}

export async function copyBaseline(sourceUrl: string, targetUrl: string): Promise<BaselineReport> {
  const source = postgres(sourceUrl, { max: 1, onnotice: () => {} });
  const plan: { table: string; columns: string[]; chunks: Buffer[]; rows: number }[] = [];
  try {
    const dumpStart = performance.now();
    for (const table of LOADED_TABLES) {
      const columns = await storedColumns(source, table);
      if (!columns.length) continue;
      const [{ n }] = await source.unsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`);
      if (!n) continue;
      log(`baseline: dumping ${table} (${n} rows)`);
      const readable = await source.unsafe(`COPY (SELECT ${columns.join(", ")} FROM ${table}) TO STDOUT WITH (FORMAT csv)`).readable();
      plan.push({ table, columns, chunks: await drain(readable), rows: n });
    }
    const dumpMs = performance.now() - dumpStart;

    // The same schema and indexes as the importer had: the project's migrations on a fresh database.
    const fresh = await connect({ databaseUrl: targetUrl });
    await migrate(fresh);
    await fresh.close();

    // TCP_NODELAY as libpq (psql) sets it; see tcp.ts for what happens without it.
    const target = postgres(targetUrl, { max: 1, onnotice: () => {}, socket: noDelaySocket } as postgres.Options<Record<string, postgres.PostgresType>>);
    const tables: TableCopy[] = [];
    const [{ pid }] = await target<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
    const backendBefore = await processCpuSeconds(pid);
    const nodeBefore = nodeCpuSeconds();
    const start = performance.now();
    let backendCpuSeconds: number | null = null;
    try {
      await target.begin(async (tx) => {
        for (const item of plan) {
          const t = performance.now();
          const writable = await tx.unsafe(`COPY ${item.table} (${item.columns.join(", ")}) FROM STDIN WITH (FORMAT csv)`).writable();
          await pipeline(Readable.from(item.chunks), writable);
          tables.push({ table: item.table, rows: item.rows, bytes: item.chunks.reduce((sum, chunk) => sum + chunk.length, 0), ms: performance.now() - t });
        }
      });
      const backendAfter = await processCpuSeconds(pid);
      backendCpuSeconds = backendBefore === null || backendAfter === null ? null : backendAfter - backendBefore;
    } finally {
      await target.end({ timeout: 5 });
    }
    const totalMs = performance.now() - start;
    const nodeCpu = nodeCpuSeconds() - nodeBefore;
    const sink = tables.filter((entry) => SINK_TABLES.has(entry.table));
    return {
      tables,
      totalMs,
      totalRows: tables.reduce((sum, entry) => sum + entry.rows, 0),
      sinkMs: sink.reduce((sum, entry) => sum + entry.ms, 0),
      sinkRows: sink.reduce((sum, entry) => sum + entry.rows, 0),
      dumpMs,
      cpu: { nodeSeconds: nodeCpu, backendSeconds: backendCpuSeconds },
    };
  } finally {
    await source.end({ timeout: 5 });
  }
}
