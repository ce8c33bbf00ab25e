import type { Queryable } from "../../db/db.js";
import type { SourceFile } from "./source.js";

export async function knownSources(db: Queryable, hashes: string[]): Promise<Set<string>> {
  const rows = await db.query<{ sha256: string }>("SELECT sha256 FROM source_files WHERE sha256 = ANY($1::text[])", [hashes]);
  return new Set(rows.map((row) => row.sha256));
}

export async function createRun(tx: Queryable, format: string): Promise<string> {
  const [row] = await tx.query<{ id: string }>("INSERT INTO import_runs (format) VALUES ($1) RETURNING id", [format]);
  return row.id;
}

export async function finishRun(tx: Queryable, runId: string, report: unknown): Promise<void> {
  await tx.query("UPDATE import_runs SET finished_at = now(), report = $2 WHERE id = $1", [runId, JSON.stringify(report)]);
}

export async function recordSource(tx: Queryable, source: SourceFile, format: string, rows: number, runId: string): Promise<void> {
  await tx.query(
    "INSERT INTO source_files (sha256, name, format, size_bytes, rows, import_run_id) VALUES ($1, $2, $3, $4, $5, $6)",
    [source.sha256, source.name, format, source.sizeBytes, rows, runId],
  );
}
