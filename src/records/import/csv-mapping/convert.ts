/**
 * Turning one CSV cell (or a constant, or several cells joined) into the value a
 * target field holds: text, a date, a whole number, cents, true/false or one of
 * our findings. Everything here is pure; a value that cannot be read throws
 * RowError naming the column, which the runner turns into file, line and column.
 */
import { FINDINGS, type Finding } from "../../vocab.js";
import { RowError } from "../errors.js";
import type { CsvRecord } from "../format.js";
import { clip } from "../values.js";

export type FieldType = "text" | "date" | "integer" | "cents" | "boolean" | "finding";
export type Scalar = string | number | boolean | null;
export type FieldValue = string | number | boolean | null;

export const STRING_TRANSFORMS = ["trim", "upper", "lower"] as const;
export type StringTransform = (typeof STRING_TRANSFORMS)[number];

/** The last step: reads the text as a date, a whole number or an amount of dollars. */
export type Conversion = { kind: "date"; format: string; parse: DateParser } | { kind: "integer" } | { kind: "dollars_to_cents" };

export interface FieldPlan {
  /** The mapping key, e.g. "allegation.final_finding", for messages. */
  key: string;
  type: FieldType;
  source: { column: string } | { constant: Scalar } | { concat: string[]; separator: string };
  trimAll: boolean;
  transforms: StringTransform[];
  map: { name: string | null; values: Record<string, Scalar>; unmapped: { value: Scalar } | "keep" | "error" } | null;
  conversion: Conversion | null;
}

export interface CompiledField {
  key: string;
  type: FieldType;
  /** Columns the field reads, for the header check. */
  columns: string[];
  /** The column named in errors: the field's column, or the first of a concatenation. */
  column: string | null;
  read(record: CsvRecord): FieldValue;
}

export function compileField(plan: FieldPlan): CompiledField {
  const columns = "column" in plan.source ? [plan.source.column] : "concat" in plan.source ? [...plan.source.concat] : [];
  const column = columns[0] ?? null;
  const source = plan.source;
  const raw: (record: CsvRecord) => string | null =
    "column" in source
      ? (record) => record[source.column] ?? null
      : "constant" in source
        ? () => (source.constant === null ? null : String(source.constant))
        : (record) => {
            const parts = source.concat.map((name) => record[name] ?? "").map((part) => (plan.trimAll ? part.trim() : part)).filter((part) => part.trim() !== "");
            return parts.length ? parts.join(source.separator) : null;
          };
  return {
    key: plan.key,
    type: plan.type,
    columns,
    column,
    read(record) {
      let text = raw(record);
      if (text !== null && plan.trimAll) text = text.trim();
      if (text !== null) for (const transform of plan.transforms) text = applyStringTransform(transform, text);
      if (text !== null && text.trim() === "") text = null;
      let value: Scalar = text;
      if (plan.map) value = lookUp(plan, plan.map, text, column);
      if (value === null) return null;
      return convert(value, plan.type, plan.conversion, plan.key, column);
    },
  };
}

function applyStringTransform(transform: StringTransform, text: string): string {
  switch (transform) {
    case "trim":
      return text.trim();
    case "upper":
      return text.toUpperCase();
    case "lower":
      return text.toLowerCase();
  }
}

function lookUp(plan: FieldPlan, map: NonNullable<FieldPlan["map"]>, text: string | null, column: string | null): Scalar {
  const word = text ?? "";
  if (Object.hasOwn(map.values, word)) return map.values[word];
  if (text === null) return null;
  if (map.unmapped === "keep") return text;
  if (map.unmapped !== "error") return map.unmapped.value;
  const mapName = map.name ? `the value map "${map.name}"` : "the value map";
  throw new RowError(column, `"${clip(text)}" is not in ${mapName} used by ${plan.key}: add it to the map (or set unmapped: null to leave words the map does not list empty)`);
}

/**
 * Converts a (mapped) value to the field's type. `conversion` is the mapping's
 * date/integer/dollars_to_cents step; without one, each type has a default.
 */
export function convert(value: Exclude<Scalar, null>, type: FieldType, conversion: Conversion | null, key: string, column: string | null): FieldValue {
  if (conversion?.kind === "date") {
    const iso = conversion.parse(String(value));
    if (iso === null) throw new RowError(column, `"${clip(String(value))}" is not a date in the format ${conversion.format} (${key})`);
    if (iso === "invalid") throw new RowError(column, `"${clip(String(value))}" is not a real calendar date (${key})`);
    return iso;
  }
  if (conversion?.kind === "integer") {
    const number = toInteger(value);
    if (number === null) throw new RowError(column, `"${clip(String(value))}" is not a whole number (${key})`);
    return type === "text" ? String(number) : number;
  }
  if (conversion?.kind === "dollars_to_cents") {
    const cents = dollarsToCents(value);
    if (cents === null) throw new RowError(column, `"${clip(String(value))}" is not an amount of dollars (${key})`);
    return cents;
  }
  switch (type) {
    case "text":
      return String(value);
    case "date": {
      const iso = DEFAULT_DATE(String(value));
      if (iso === null) throw new RowError(column, `"${clip(String(value))}" is not a date in the format YYYY-MM-DD (${key}; for another layout add a transform such as date: MM/DD/YYYY)`);
      if (iso === "invalid") throw new RowError(column, `"${clip(String(value))}" is not a real calendar date (${key})`);
      return iso;
    }
    case "integer": {
      const number = toInteger(value);
      if (number === null) throw new RowError(column, `"${clip(String(value))}" is not a whole number (${key})`);
      return number;
    }
    case "cents": {
      const number = toInteger(value);
      if (number === null) throw new RowError(column, `"${clip(String(value))}" is not a whole number of cents (${key}; for amounts in dollars add the transform dollars_to_cents)`);
      return number;
    }
    case "boolean": {
      const result = toBoolean(value);
      if (result === null) throw new RowError(column, `"${clip(String(value))}" is not true or false (${key}; map the source's words to true and false with a value map)`);
      return result;
    }
    case "finding": {
      if (typeof value === "string" && (FINDINGS as readonly string[]).includes(value)) return value as Finding;
      throw new RowError(column, `"${clip(String(value))}" is not one of our findings (${key}; map the source's words to ${FINDINGS.join(", ")} with a value map)`);
    }
  }
}

function toInteger(value: Exclude<Scalar, null>): number | null {
  if (typeof value === "number") return Number.isSafeInteger(value) ? value : null;
  if (typeof value !== "string") return null;
  const text = value.trim();
  if (!/^-?\d+(\.0+)?$/.test(text)) return null;
  const number = Number.parseInt(text, 10);
  return Number.isSafeInteger(number) ? number : null;
}

/** "$1,250.50", "1250.5", "-300", "(300.00)" as integer cents, never through floating point. */
export function dollarsToCents(value: Exclude<Scalar, null>): number | null {
  if (typeof value === "boolean") return null;
  let text = String(value).replace(/\s/g, "");
  let negative = false;
  const accounting = /^\((.*)\)$/.exec(text);
  if (accounting) [negative, text] = [true, accounting[1]];
  const match = /^(-)?\$?(-)?(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d{1,2}))?$/.exec(text);
  if (!match || (match[3] === undefined && match[4] === undefined)) return null;
  if (match[1] || match[2]) negative = !negative;
  const whole = Number((match[3] ?? "0").replace(/,/g, ""));
  const total = whole * 100 + Number((match[4] ?? "0").padEnd(2, "0"));
  if (!Number.isSafeInteger(total)) return null;
  return negative && total !== 0 ? -total : total;
}

function toBoolean(value: Exclude<Scalar, null>): boolean | null {
  if (typeof value === "boolean") return value;
  const text = String(value).trim().toLowerCase();
  if (["true", "t", "yes", "y", "1"].includes(text)) return true;
  if (["false", "f", "no", "n", "0"].includes(text)) return false;
  return null;
}

/** Returns "YYYY-MM-DD", null when the text does not have the layout, or "invalid" for a day that does not exist. */
export type DateParser = (value: string) => string | null | "invalid";

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/** 1-12 for "Jan", "jan.", "January", "Sept"; 0 for anything else. */
function monthNumber(text: string): number {
  const word = text.toLowerCase();
  const index = MONTHS.findIndex((name) => name === word || name.slice(0, 3) === word || (word === "sept" && name === "september"));
  return index + 1;
}

/**
 * Compiles a date layout such as "MM/DD/YYYY", "DD.MM.YYYY", "YYYY-MM-DD" or
 * "DD MMM YYYY". YYYY is a four-digit year; MM or M a month number (one or two
 * digits); DD or D a day; MMM a month name (Jan, January). Any other character
 * must appear as written. A time after the date (after a space or a T) is ignored.
 * Throws an Error with a reason when the layout is not usable.
 */
export function compileDateFormat(format: string): DateParser {
  const order: ("year" | "month" | "monthName" | "day")[] = [];
  let pattern = "";
  for (let i = 0; i < format.length; ) {
    const rest = format.slice(i);
    const token = /^(YYYY|MMM|MM|M|DD|D)/.exec(rest)?.[1];
    if (token) {
      if (token === "YYYY") [pattern, i] = [pattern + "(\\d{4})", i + 4], order.push("year");
      else if (token === "MMM") [pattern, i] = [pattern + "([A-Za-z]{3,9})\\.?", i + 3], order.push("monthName");
      else if (token.startsWith("M")) [pattern, i] = [pattern + "(\\d{1,2})", i + token.length], order.push("month");
      else [pattern, i] = [pattern + "(\\d{1,2})", i + token.length], order.push("day");
      continue;
    }
    if (/[A-Za-z]/.test(format[i])) throw new Error(`"${format[i]}" is not part of a date layout: use YYYY, MM (or M), DD (or D) and MMM for month names`);
    pattern += format[i].replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    i += 1;
  }
  const count = (part: string) => order.filter((entry) => entry === part).length;
  if (count("year") !== 1) throw new Error("a date layout needs YYYY exactly once");
  if (count("month") + count("monthName") !== 1) throw new Error("a date layout needs the month (MM, M or MMM) exactly once");
  if (count("day") !== 1) throw new Error("a date layout needs the day (DD or D) exactly once");
  const regex = new RegExp(`^${pattern}(?:[ T].*)?$`);
  return (value) => {
    const match = regex.exec(value.trim());
    if (!match) return null;
    let year = 0;
    let month = 0;
    let day = 0;
    order.forEach((part, index) => {
      const text = match[index + 1];
      if (part === "year") year = Number(text);
      else if (part === "day") day = Number(text);
      else if (part === "month") month = Number(text);
      else month = monthNumber(text);
    });
    if (month === 0) return null;
    const iso = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
    const check = new Date(`${iso}T00:00:00Z`);
    if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== iso) return "invalid";
    return iso;
  };
}

const DEFAULT_DATE = compileDateFormat("YYYY-MM-DD");
