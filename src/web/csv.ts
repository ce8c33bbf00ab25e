/**
 * The one CSV writer: every download and export (the records API and pages,
 * `oversight export`, the campaign's lists, public reports, petition signatures,
 * import rejects files) is written here, so every one defuses spreadsheet formulas
 * the same way.
 */
import type { Context } from "hono";
import { stringify } from "csv-stringify/sync";

/**
 * Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP's
 * advice for CSV injection): a cell that begins with `=`, `+`, `-`, `@`, a tab or a
 * carriage return. Only text: a JavaScript number (say -3) is a figure, not something
 * a person typed, and is written as it is.
 *
 *   spreadsheetSafe('=HYPERLINK("http://x","y")') === `'=HYPERLINK("http://x","y")`
 */
export function spreadsheetSafe(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * Rows as CSV lines (RFC 4180: CRLF, quotes doubled), every text cell made safe
 * with `spreadsheetSafe`. `formulas: "keep"` writes text exactly as given: only for
 * a file meant to be read back by the importer (a rejects file holds the user's own
 * rows to fix and import again, and an apostrophe would change them).
 */
export function csvLines(rows: readonly (readonly unknown[])[], options: { formulas?: "defuse" | "keep" } = {}): string {
  const keep = options.formulas === "keep";
  return stringify(rows as unknown[][], {
    record_delimiter: "\r\n",
    // csv-stringify quotes a field holding the whole delimiter only: a lone LF or CR must be quoted too.
    quoted_match: /[\r\n]/,
    cast: { string: (value) => (keep ? value : spreadsheetSafe(value)) },
  });
}

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
export function csvTable(items: Record<string, unknown>[]): string {
  const rows = items.map((item) => flatten(item));
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return csvLines([columns, ...rows.map((row) => columns.map((column) => row[column] ?? ""))]);
}

/** A CSV download of `items` (see `csvTable`). */
export function csvResponse(c: Context, filename: string, items: Record<string, unknown>[]) {
  return c.body(csvTable(items), 200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${filename}.csv"`,
  });
}
