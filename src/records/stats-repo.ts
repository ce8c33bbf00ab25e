import type { Queryable } from "../db/db.js";

export interface TableCounts {
  agencies: number;
  officers: number;
  complaints: number;
  allegations: number;
  settlements: number;
  forceIncidents: number;
}

export async function countTables(db: Queryable): Promise<TableCounts> {
  const [row] = await db.query<Record<string, number>>(`SELECT
    (SELECT count(*) FROM agencies) AS agencies,
    (SELECT count(*) FROM people) AS officers,
    (SELECT count(*) FROM complaints) AS complaints,
    (SELECT count(*) FROM allegations) AS allegations,
    (SELECT count(*) FROM settlements) AS settlements,
    (SELECT count(*) FROM force_incidents) AS force_incidents`);
  return {
    agencies: row.agencies,
    officers: row.officers,
    complaints: row.complaints,
    allegations: row.allegations,
    settlements: row.settlements,
    forceIncidents: row.force_incidents,
  };
}

export interface ImportRunRow {
  id: string;
  format: string;
  started_at: string;
  finished_at: string | null;
  report: unknown;
}

export async function listImportRuns(db: Queryable): Promise<ImportRunRow[]> {
  return db.query<ImportRunRow>("SELECT id, format, started_at, finished_at, report FROM import_runs ORDER BY started_at");
}
