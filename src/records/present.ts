import type { recordStats } from "./service.js";

/** What /api/v1/stats answers: counts per table and, per import run, its report. */
export function presentStats(stats: Awaited<ReturnType<typeof recordStats>>) {
  return {
    tables: stats.tables,
    importRuns: stats.importRuns.map((run) => ({
      id: run.id,
      format: run.format,
      startedAt: run.started_at,
      finishedAt: run.finished_at,
      report: run.report,
    })),
  };
}
