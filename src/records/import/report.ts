import type { ImportReport } from "./runner.js";

/** The reconciliation report as plain text: per file, per table, and the format's own figures. */
export function formatReport(report: ImportReport): string {
  const lines: string[] = [];
  lines.push(`Import (${report.format})${report.runId ? `, run ${report.runId}` : ": nothing new to import"}`);
  lines.push("");
  lines.push(row("file", "status", "read", "imported", "skipped"));
  for (const file of report.files) {
    lines.push(row(file.file, file.status, file.rowsRead, file.rowsImported, file.rowsSkipped));
    if (file.rejectsFile) lines.push(`    rejected rows written to ${file.rejectsFile}`);
  }
  const totals = report.files.reduce((sum, f) => ({ read: sum.read + f.rowsRead, imported: sum.imported + f.rowsImported, skipped: sum.skipped + f.rowsSkipped }), { read: 0, imported: 0, skipped: 0 });
  lines.push(row("total", "", totals.read, totals.imported, totals.skipped));
  if (Object.keys(report.tables).length) {
    lines.push("", "rows written per table:");
    for (const [table, count] of Object.entries(report.tables)) lines.push(`  ${table.padEnd(28)} ${String(count).padStart(9)}`);
  }
  for (const [key, value] of Object.entries(report.extra)) {
    lines.push("", `${key}:`, ...JSON.stringify(value, null, 2).split("\n").map((line) => `  ${line}`));
  }
  return lines.join("\n");
}

function row(file: string, status: string, read: number | string, imported: number | string, skipped: number | string): string {
  return `${file.slice(0, 56).padEnd(56)} ${status.padEnd(17)} ${String(read).padStart(9)} ${String(imported).padStart(9)} ${String(skipped).padStart(8)}`;
}
