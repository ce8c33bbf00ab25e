import type { Context } from "hono";
import { stringify } from "csv-stringify/sync";

/** Flattens nested objects to dotted columns ("agency.slug") and arrays to "; "-joined text. */
export function flatten(value: Record<string, unknown>, prefix = "", out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [key, inner] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (inner && typeof inner === "object" && !Array.isArray(inner)) flatten(inner as Record<string, unknown>, name, out);
    else if (Array.isArray(inner)) out[name] = inner.map((item) => (typeof item === "object" ? JSON.stringify(item) : String(item))).join("; ");
    else out[name] = inner;
  }
  return out;
}

/** Items as CSV with a header row from the union of their flattened fields. */
export function toCsv(items: Record<string, unknown>[]): string {
  const rows = items.map((item) => flatten(item));
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return stringify([columns, ...rows.map((row) => columns.map((column) => row[column] ?? ""))]);
}

export function csvResponse(c: Context, filename: string, items: Record<string, unknown>[]) {
  return c.body(toCsv(items), 200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${filename}.csv"`,
  });
}
