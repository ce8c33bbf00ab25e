/**
 * Encodes values as one line of PostgreSQL COPY CSV. NULL is an unquoted empty
 * field and every string is quoted, so an empty string stays distinct from NULL.
 */
export function toCopyCsvLine(values: readonly unknown[]): string {
  return values.map(encodeField).join(",") + "\n";
}

function encodeField(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "boolean") return value ? "t" : "f";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return `"${text.replace(/"/g, '""')}"`;
}
