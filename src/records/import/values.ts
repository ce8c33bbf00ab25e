import { RowError } from "./errors.js";

/**
 * Value parsers shared by every format. Each returns null for an empty field and
 * throws RowError naming the column for a value it cannot read.
 */
export function text(record: Record<string, string | undefined>, column: string): string | null {
  const value = record[column]?.trim();
  return value ? value : null;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$/;
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** Accepts YYYY-MM-DD (optionally with a time) and M/D/YYYY; checks the day exists. */
export function date(record: Record<string, string | undefined>, column: string): string | null {
  const value = text(record, column);
  if (value === null) return null;
  let parts: [string, string, string] | null = null;
  const iso = ISO_DATE.exec(value);
  if (iso) parts = [iso[1], iso[2], iso[3]];
  const us = US_DATE.exec(value);
  if (us) parts = [us[3], us[1].padStart(2, "0"), us[2].padStart(2, "0")];
  if (!parts) throw new RowError(column, `"${clip(value)}" is not a date (expected YYYY-MM-DD)`);
  const result = parts.join("-");
  const check = new Date(`${result}T00:00:00Z`);
  if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== result) {
    throw new RowError(column, `"${clip(value)}" is not a real calendar date`);
  }
  return result;
}

/** Whole numbers written as "1971" or "1971.0" (as pandas exports them). */
export function integer(record: Record<string, string | undefined>, column: string): number | null {
  const value = text(record, column);
  if (value === null) return null;
  if (!/^-?\d+(\.0+)?$/.test(value)) throw new RowError(column, `"${clip(value)}" is not a whole number`);
  return Number.parseInt(value, 10);
}

/** Dollar amounts ("1,250.50", "$300") as integer cents, never floating point. */
export function cents(record: Record<string, string | undefined>, column: string): number | null {
  const value = text(record, column);
  if (value === null) return null;
  const match = /^(-)?\$?([\d,]+)(?:\.(\d{1,2}))?$/.exec(value.replace(/\s/g, ""));
  if (!match) throw new RowError(column, `"${clip(value)}" is not an amount of money`);
  const whole = Number(match[2].replace(/,/g, ""));
  const fraction = Number((match[3] ?? "0").padEnd(2, "0"));
  const total = whole * 100 + fraction;
  if (!Number.isSafeInteger(total)) throw new RowError(column, `"${clip(value)}" is too large`);
  return match[1] ? -total : total;
}

export function boolean(record: Record<string, string | undefined>, column: string): boolean | null {
  const value = text(record, column)?.toLowerCase();
  if (value === undefined || value === null) return null;
  if (["true", "t", "yes", "y", "1"].includes(value)) return true;
  if (["false", "f", "no", "n", "0"].includes(value)) return false;
  throw new RowError(column, `"${clip(value)}" is not true or false`);
}

/** Keeps error messages short when a field holds something huge. */
export function clip(value: string, max = 60): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

export function slugify(value: string): string {
  return value.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}
