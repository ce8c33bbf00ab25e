import { writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { setImmediate } from "node:timers/promises";
import { appendAudit } from "../../audit/service.js";
import { csvLines } from "../../web/csv.js";
import { refreshDerived } from "../derived-repo.js";
import type { Db } from "../../db/db.js";
import { ImportError, RowError } from "./errors.js";
import type { FileHandler, ImportFormat, RunContext } from "./format.js";
import { ReadAhead, type CsvEvent, type Reject } from "./records.js";
import * as repo from "./repo.js";
import { RowSink, type TableName } from "./sink.js";
import { describeSource, openText, type SourceFile } from "./source.js";

export interface ImportOptions {
  skipBadRows?: boolean;
  actor?: string;
  onProgress?: (file: string, bytesRead: number, totalBytes: number) => void;
  /** Where rejects files go when the input's folder cannot be written. */
  fallbackRejectsDir?: string;
}

export interface FileReport {
  file: string;
  sha256: string;
  status: "imported" | "already imported";
  rowsRead: number;
  rowsImported: number;
  rowsSkipped: number;
  rejectsFile?: string;
  tables: Partial<Record<TableName, number>>;
}

export interface ImportReport {
  runId: string | null;
  format: string;
  files: FileReport[];
  tables: Partial<Record<TableName, number>>;
  extra: Record<string, unknown>;
}

/**
 * Imports files in one transaction: all of it, or (on any error without
 * skipBadRows) none of it. Files already imported (same sha256) are skipped, so
 * re-running an import changes nothing.
 */
export async function runImport(db: Db, format: ImportFormat, paths: string[], options: ImportOptions = {}): Promise<ImportReport> {
  if (paths.length === 0) throw new ImportError("(no files)", null, null, "name at least one file to import");
  const sources: SourceFile[] = [];
  for (const path of paths) sources.push(await describeSource(path));
  const known = await repo.knownSources(db, sources.map((source) => source.sha256));
  const fresh = dedupe(sources.filter((source) => !known.has(source.sha256)));
  const skippedReports = sources.filter((source) => known.has(source.sha256)).map(alreadyImported);
  if (fresh.length === 0) return { runId: null, format: format.name, files: skippedReports, tables: {}, extra: {} };

  const rejects = new Map<string, Reject[]>();
  const report = await db.transaction(async (tx) => {
    const runId = await repo.createRun(tx, format.name);
    const sink = new RowSink(db, tx, runId);
    const reader = new ReadAhead(options.skipBadRows ?? false, (source, bytes) => options.onProgress?.(source.name, bytes, source.sizeBytes));
    const ctx: RunContext = { db, tx: sink.tx, sink, runId, state: new Map(), readAhead: (source) => reader.records(source) };
    const imported: { source: SourceFile; report: FileReport }[] = [];
    let extra: Record<string, unknown>;
    try {
      await format.prepare?.(fresh, ctx);
      for (const source of format.order ? format.order(fresh) : fresh) {
        const fileRejects: Reject[] = [];
        await format.beforeFile?.(source, ctx);
        imported.push({ source, report: await importFile(format, source, ctx, reader.events(source), options.skipBadRows ?? false, fileRejects) });
        if (fileRejects.length) rejects.set(source.path, fileRejects);
      }
      await sink.flush();
      extra = (await format.finish?.(ctx)) ?? {};
      await sink.flush();
      // Written last, as the files' rows went on loading while the next file was read.
      for (const { source, report } of imported) await repo.recordSource(tx, source, format.name, report.rowsImported, runId);
    } catch (error) {
      // Let the loads still queued end before the transaction rolls back on its connection.
      await sink.settle().catch(() => undefined);
      throw error;
    }
    const files = imported.map((entry) => entry.report);
    await refreshDerived(tx);
    const result: ImportReport = { runId, format: format.name, files: [...files, ...skippedReports], tables: difference(ctx.sink.counts, {}), extra };
    await repo.finishRun(tx, runId, result);
    await appendAudit(tx, {
      actor: options.actor ?? "cli",
      action: "records.import",
      entity: "import_run",
      entityId: runId,
      data: { format: format.name, files: files.map((f) => ({ file: f.file, sha256: f.sha256, rows: f.rowsImported })), tables: result.tables },
    });
    return result;
  });
  await writeRejects(report, rejects, options.fallbackRejectsDir ?? process.cwd());
  return report;
}

async function importFile(format: ImportFormat, source: SourceFile, ctx: RunContext, events: AsyncIterable<CsvEvent>, skipBadRows: boolean, rejects: Reject[]): Promise<FileReport> {
  const before = { ...ctx.sink.counts };
  let handler: FileHandler | null = null;
  let rowsRead = 0;
  let rowsImported = 0;
  for await (const event of events) {
    if ("header" in event) {
      handler = openFile(format, source, event.header, ctx);
      continue;
    }
    rowsRead += 1;
    if ("unreadable" in event) {
      rejects.push(event.unreadable);
      continue;
    }
    const { record, line } = event;
    ctx.sink.provenance = { importRunId: ctx.runId, sourceSha256: source.sha256, sourceRow: rowsRead };
    try {
      await handler!.onRow(record, { line, index: rowsRead });
      ctx.sink.commitRow();
      rowsImported += 1;
    } catch (error) {
      ctx.sink.discardRow();
      if (!(error instanceof RowError)) throw error;
      if (!skipBadRows) throw new ImportError(source.name, line, error.column, error.message);
      rejects.push({ line, reason: error.column ? `${error.column}: ${error.message}` : error.message, record });
    }
    await ctx.sink.maybeFlush();
    // Rows replayed from memory never wait on I/O: let the load in flight send its data now and then.
    if (rowsRead % 256 === 0) await setImmediate();
  }
  if (!handler) throw new ImportError(source.name, 1, null, "the file has no header row");
  // The next file is read while this one's last rows load.
  await ctx.sink.handOff();
  return {
    file: source.name,
    sha256: source.sha256,
    status: "imported",
    rowsRead,
    rowsImported,
    rowsSkipped: rowsRead - rowsImported,
    tables: difference(ctx.sink.counts, before),
  };
}

/** The format's handler for the file; a header it refuses is an error on line 1. */
function openFile(format: ImportFormat, source: SourceFile, header: string[], ctx: RunContext): FileHandler {
  try {
    return format.openFile(source, header, ctx);
  } catch (error) {
    if (error instanceof RowError) throw new ImportError(source.name, 1, error.column, error.message);
    throw error;
  }
}

function difference(after: Partial<Record<TableName, number>>, before: Partial<Record<TableName, number>>) {
  const result: Partial<Record<TableName, number>> = {};
  for (const [table, count] of Object.entries(after) as [TableName, number][]) {
    const added = count - (before[table] ?? 0);
    if (added) result[table] = added;
  }
  return result;
}

function alreadyImported(source: SourceFile): FileReport {
  return { file: source.name, sha256: source.sha256, status: "already imported", rowsRead: 0, rowsImported: 0, rowsSkipped: 0, tables: {} };
}

/** The same file named twice in one command is imported once. */
function dedupe(sources: SourceFile[]): SourceFile[] {
  const seen = new Set<string>();
  return sources.filter((source) => !seen.has(source.sha256) && seen.add(source.sha256));
}

/** Rejected rows go to <input>.rejects.csv with the line and reason, or to the fallback folder. */
async function writeRejects(report: ImportReport, rejects: Map<string, Reject[]>, fallbackDir: string): Promise<void> {
  for (const [path, rows] of rejects) {
    const columns = [...new Set(rows.flatMap((row) => (row.record ? Object.keys(row.record) : [])))];
    // The user's own rows, to fix and import again: written as they came, formulas and all.
    const body = csvLines([
      ["line", "reason", ...columns],
      ...rows.map((row) => [row.line, row.reason, ...columns.map((column) => row.record?.[column] ?? "")]),
    ], { formulas: "keep" });
    const target = await writeBeside(path, body, fallbackDir);
    const file = report.files.find((entry) => entry.file === basename(path));
    if (file) file.rejectsFile = target;
  }
}

async function writeBeside(path: string, body: string, fallbackDir: string): Promise<string> {
  const beside = `${path}.rejects.csv`;
  try {
    await writeFile(beside, body);
    return beside;
  } catch {
    // The input's folder may be read-only (a mounted data set): keep the rejects anyway.
    const fallback = join(fallbackDir, `${basename(path)}.rejects.csv`);
    await writeFile(fallback, body);
    return fallback;
  }
}
