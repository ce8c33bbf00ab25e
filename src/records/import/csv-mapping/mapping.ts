/**
 * The mapping file: what one CSV row means. Read from YAML or JSON, checked with
 * zod for its shape and then for its meaning (a field has exactly one source, a
 * value map exists, a date layout is usable, every mapped word is a finding, …).
 * Every problem names the mapping key at fault, e.g. `allegation.final_finding.map`.
 * See docs/import-mapping.md.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { RowError } from "../errors.js";
import { compileDateFormat, compileField, convert, STRING_TRANSFORMS, type CompiledField, type Conversion, type FieldPlan, type FieldType, type Scalar, type StringTransform } from "./convert.js";

export const KINDS = ["allegations", "complaints", "settlements", "force_incidents", "officers"] as const;
export type Kind = (typeof KINDS)[number];

/** The target fields of each section and the type each holds. */
export const SECTION_FIELDS = {
  complaint: {
    external_id: "text", received_date: "date", incident_date: "date", closed_date: "date", location: "text", beat: "text",
    district: "text", channel: "text", case_type: "text", investigating_agency: "text", complainant_type: "text", summary: "text",
  },
  allegation: {
    category_code: "text", category: "text", investigator_finding: "finding", board_finding: "finding", final_finding: "finding",
    recommended_penalty: "text", final_penalty: "text", suspension_days: "integer", rank_at_time: "text", unit_at_time: "text",
  },
  officer: {
    first_name: "text", middle_name: "text", last_name: "text", suffix: "text", full_name: "text", birth_year: "integer",
    race: "text", gender: "text", badge: "text", appointed_date: "date",
  },
  employment: { badge: "text", rank: "text", unit: "text", start_date: "date", end_date: "date", separation_reason: "text" },
  settlement: {
    calendar_year: "integer", incident_date: "date", filed_date: "date", closed_date: "date", amount_cents: "cents",
    other_expenses_cents: "cents", total_cents: "cents", payer: "text", case_outcome: "text", docket_number: "text",
    claim_number: "text", court: "text", matter_name: "text", location: "text", summary_allegations: "text", status: "text",
  },
  force_incident: {
    external_id: "text", occurred_date: "date", location: "text", city: "text", state: "text", force_type: "text", injury: "text", fatal: "boolean",
  },
  force_officer: { rank_at_time: "text", unit_at_time: "text", duty_status: "text", injured: "text" },
} as const satisfies Record<string, Record<string, FieldType>>;

export type SectionName = keyof typeof SECTION_FIELDS;
const SECTION_NAMES = Object.keys(SECTION_FIELDS) as SectionName[];
/** Keys a section holds besides its target fields. */
const SECTION_EXTRAS: Partial<Record<SectionName, string[]>> = { officer: ["key"], force_incident: ["details"] };
const REQUIRED_FIELDS: Partial<Record<SectionName, string[]>> = { complaint: ["external_id"], force_incident: ["external_id"] };

/** Which sections a kind reads; the first list must be present. */
export const KIND_SECTIONS: Record<Kind, { required: SectionName[]; optional: SectionName[] }> = {
  allegations: { required: ["complaint"], optional: ["allegation", "officer"] },
  complaints: { required: ["complaint"], optional: [] },
  settlements: { required: ["settlement"], optional: ["officer"] },
  force_incidents: { required: ["force_incident"], optional: ["force_officer", "officer"] },
  officers: { required: ["officer"], optional: ["employment"] },
};

const FIELD_SPEC_KEYS = ["column", "constant", "concat", "separator", "transform", "map", "unmapped", "keep_unmapped"];
const TOP_LEVEL_KEYS = ["version", "description", "kind", "agency", "trim", "value_maps", ...SECTION_NAMES];
const SLUG = /^[a-z0-9][a-z0-9-]*$/;
const KEY_KIND = /^[a-z0-9][a-z0-9_-]*$/;

// ---------------------------------------------------------------- the shape (zod)

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()], { error: "should be text, a number, true, false or null" });
const transform = z.union([z.enum(["trim", "upper", "lower", "integer", "dollars_to_cents"]), z.strictObject({ date: z.string().min(1) })], {
  error: "is not a transform: use trim, upper, lower, integer, dollars_to_cents or date: <layout> (for example date: MM/DD/YYYY)",
});
const fieldObject = z.strictObject(
  {
    column: z.string().trim().min(1, "should name a column").optional(),
    constant: scalar.optional(),
    concat: z.array(z.string().trim().min(1, "should name a column")).min(1, "should list at least one column").optional(),
    separator: z.string().optional(),
    transform: z.array(transform).optional(),
    map: z.union([z.string().min(1), z.record(z.string(), scalar)], { error: "should be the name of a value map, or a map written here (word: value)" }).optional(),
    unmapped: scalar.optional(),
    keep_unmapped: z.boolean().optional(),
  },
  { error: (issue) => (issue.code === "invalid_type" ? "should be a column name, or an object with column, constant or concat" : undefined) },
);
const field = z.preprocess((value) => (typeof value === "string" ? { column: value } : value), fieldObject);
type FieldSpec = z.infer<typeof fieldObject>;

const keySpec = z.strictObject(
  {
    kind: z.string().regex(KEY_KIND, "should be a short name in lower case (letters, digits, - or _), e.g. badge or employee_id"),
    column: z.string().trim().min(1, "should name a column").optional(),
    columns: z.array(field).min(1, "should list at least one column").optional(),
    transform: z.array(z.enum(STRING_TRANSFORMS, { error: "should be trim, upper or lower (put other transforms on one column)" })).optional(),
  },
  { error: (issue) => (issue.code === "invalid_type" ? "should be an object with kind and column (or columns)" : undefined) },
);
type KeySpec = z.infer<typeof keySpec>;

function section(name: SectionName) {
  const required = new Set(REQUIRED_FIELDS[name] ?? []);
  const shape: Record<string, z.ZodType> = {};
  for (const fieldName of Object.keys(SECTION_FIELDS[name])) shape[fieldName] = required.has(fieldName) ? field : field.optional();
  if (name === "officer") shape.key = keySpec.optional();
  if (name === "force_incident") shape.details = z.array(z.string().trim().min(1, "should name a column")).optional();
  return z.strictObject(shape, { error: (issue) => (issue.code === "invalid_type" ? "should be an object of target fields" : undefined) }).optional();
}

const mappingSchema = z.strictObject(
  {
    version: z.literal(1, { error: "should be 1" }).optional(),
    description: z.string().optional(),
    kind: z.enum(KINDS, { error: `should be one of ${KINDS.join(", ")}` }),
    agency: z.strictObject(
      {
        slug: z.string().regex(SLUG, "should be a short name in lower case with dashes, e.g. cedar-hollow-pd"),
        name: z.string().trim().min(1, "should not be empty"),
        city: z.string().trim().min(1).nullable().optional(),
        state: z.string().trim().min(1).nullable().optional(),
      },
      { error: (issue) => (issue.code === "invalid_type" ? "should be an object with slug, name, city and state" : undefined) },
    ),
    trim: z.boolean().optional(),
    value_maps: z.record(z.string().min(1), z.record(z.string(), scalar, { error: "should be a map of words to values" })).optional(),
    ...Object.fromEntries(SECTION_NAMES.map((name) => [name, section(name)])),
  },
  { error: (issue) => (issue.code === "invalid_type" ? "the mapping should be an object (key: value lines)" : undefined) },
);

type RawMapping = z.infer<typeof mappingSchema> & Partial<Record<SectionName, Record<string, unknown>>>;

// ---------------------------------------------------------------- errors

export interface MappingIssue {
  /** The mapping key at fault, e.g. "allegation.final_finding.map", or "(file)" for a syntax error. */
  key: string;
  message: string;
}

/** A mapping that cannot be used; names the mapping file and the key at fault. */
export class MappingError extends Error {
  readonly key: string;
  constructor(
    readonly file: string,
    readonly issues: MappingIssue[],
  ) {
    const lines = issues.slice(0, 12).map((issue) => `${issue.key}: ${issue.message}`);
    if (issues.length > 12) lines.push(`… and ${issues.length - 12} more`);
    super(issues.length === 1 ? `mapping ${file}: ${lines[0]}` : `mapping ${file} has ${issues.length} problems:\n  ${lines.join("\n  ")}`);
    this.key = issues[0]?.key ?? "";
  }
}

/** Writes a path as a mapping key: allegation.final_finding.map, value_maps.findings."Not Sustained". */
export function keyOf(path: readonly PropertyKey[]): string {
  let key = "";
  for (const part of path) {
    if (typeof part === "number") key += `[${part}]`;
    else {
      const text = String(part);
      key += (key ? "." : "") + (/^[A-Za-z_][A-Za-z0-9_]*$/.test(text) ? text : JSON.stringify(text));
    }
  }
  return key || "(top level)";
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): MappingIssue[] {
  const path = issue.path;
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((unknown) => ({ key: keyOf([...path, unknown]), message: `unknown key; ${allowedKeysAt(path, raw)}` }));
  }
  if (path.length && issue.code !== "custom" && valueAt(raw, path) === undefined) {
    return [{ key: keyOf(path), message: "is missing (required)" }];
  }
  return [{ key: keyOf(path), message: issue.message }];
}

function allowedKeysAt(path: readonly PropertyKey[], raw: unknown): string {
  if (path.length === 0) return `the mapping's keys are ${TOP_LEVEL_KEYS.join(", ")}`;
  const [first] = path;
  if (path.length === 1 && first === "agency") return "agency keys are slug, name, city, state";
  if (path.length === 1 && SECTION_NAMES.includes(first as SectionName)) {
    const name = first as SectionName;
    return `${name} fields are ${[...Object.keys(SECTION_FIELDS[name]), ...(SECTION_EXTRAS[name] ?? [])].join(", ")}`;
  }
  if (path.length === 2 && first === "officer" && path[1] === "key") return "officer.key holds kind, column (or columns) and transform";
  if (valueAt(raw, path) && typeof valueAt(raw, path) === "object") return `a field holds ${FIELD_SPEC_KEYS.join(", ")}`;
  return "remove it";
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const part of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[part as string];
  }
  return value;
}

// ---------------------------------------------------------------- the meaning

export interface OfficerKey {
  kind: string;
  /** person_mentions.source for this agency and key: csv:<agency-slug>:<kind>. */
  source: string;
  parts: CompiledField[];
}

export interface CompiledMapping {
  file: string;
  sha256: string;
  description: string | null;
  kind: Kind;
  agency: { slug: string; name: string; city: string | null; state: string | null };
  sections: Partial<Record<SectionName, Record<string, CompiledField>>>;
  officerKey: OfficerKey | null;
  /** force_incident.details: columns kept as they are, as JSON. */
  details: string[];
  /** Every column the mapping reads, with the first mapping key that reads it. */
  columns: Map<string, string>;
}

/** Reads and checks a mapping file (YAML, or JSON when it ends in .json). */
export async function loadMapping(path: string): Promise<CompiledMapping> {
  const file = basename(path);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new MappingError(file, [{ key: "(file)", message: "the mapping file does not exist or cannot be read" }]);
  }
  return parseMapping(text, file);
}

export function parseMapping(text: string, file: string): CompiledMapping {
  let raw: unknown;
  try {
    raw = extname(file).toLowerCase() === ".json" ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const what = extname(file).toLowerCase() === ".json" ? "JSON" : "YAML";
    throw new MappingError(file, [{ key: "(file)", message: `not valid ${what}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}` }]);
  }
  const parsed = mappingSchema.safeParse(raw);
  if (!parsed.success) throw new MappingError(file, parsed.error.issues.flatMap((issue) => describeIssue(issue, raw)));
  const sha256 = createHash("sha256").update(text).digest("hex");
  return compileMapping(parsed.data as RawMapping, file, sha256);
}

function compileMapping(mapping: RawMapping, file: string, sha256: string): CompiledMapping {
  const issues: MappingIssue[] = [];
  const trimAll = mapping.trim ?? true;
  const valueMaps = mapping.value_maps ?? {};
  const rules = KIND_SECTIONS[mapping.kind];
  for (const name of rules.required) if (!mapping[name]) issues.push({ key: name, message: `is missing (kind ${mapping.kind} needs ${rules.required.join(" and ")})` });
  for (const name of SECTION_NAMES) {
    if (mapping[name] && !rules.required.includes(name) && !rules.optional.includes(name)) {
      const allowed = [...rules.required, ...rules.optional];
      issues.push({ key: name, message: `is not used by kind ${mapping.kind} (it reads ${allowed.join(", ")})` });
    }
  }

  const sections: CompiledMapping["sections"] = {};
  for (const name of [...rules.required, ...rules.optional]) {
    const spec = mapping[name];
    if (!spec) continue;
    const compiled: Record<string, CompiledField> = {};
    for (const [fieldName, type] of Object.entries(SECTION_FIELDS[name]) as [string, FieldType][]) {
      const fieldSpec = spec[fieldName] as FieldSpec | undefined;
      if (fieldSpec === undefined) continue;
      const result = compileFieldSpec([name, fieldName], fieldSpec, type, valueMaps, trimAll, issues);
      if (result) compiled[fieldName] = result;
    }
    sections[name] = compiled;
  }

  let officerKey: OfficerKey | null = null;
  const officer = mapping.officer as (Record<string, unknown> & { key?: KeySpec }) | undefined;
  if (officer) {
    if (officer.key) officerKey = compileKey(officer.key, mapping.agency.slug, valueMaps, trimAll, issues);
    else if (mapping.kind !== "settlements") {
      issues.push({ key: "officer.key", message: "is missing (required): say which column(s) identify an officer, so the same officer across rows and files becomes one person" });
    }
  }

  const details = ((mapping.force_incident as { details?: string[] } | undefined)?.details ?? []).map((column) => column.trim());
  if (issues.length) throw new MappingError(file, issues);

  const columns = new Map<string, string>();
  for (const [name, fields] of Object.entries(sections)) {
    for (const [fieldName, compiled] of Object.entries(fields)) for (const column of compiled.columns) if (!columns.has(column)) columns.set(column, `${name}.${fieldName}`);
  }
  officerKey?.parts.forEach((part) => part.columns.forEach((column) => columns.has(column) || columns.set(column, part.key)));
  details.forEach((column, index) => columns.has(column) || columns.set(column, `force_incident.details[${index}]`));

  return {
    file,
    sha256,
    description: mapping.description ?? null,
    kind: mapping.kind,
    agency: { slug: mapping.agency.slug, name: mapping.agency.name, city: mapping.agency.city ?? null, state: mapping.agency.state ?? null },
    sections,
    officerKey,
    details,
    columns,
  };
}

function compileKey(spec: KeySpec, agencySlug: string, valueMaps: Record<string, Record<string, Scalar>>, trimAll: boolean, issues: MappingIssue[]): OfficerKey | null {
  const base = ["officer", "key"];
  if ((spec.column === undefined) === (spec.columns === undefined)) {
    issues.push({ key: keyOf(base), message: "needs either column (one column) or columns (a list), not both" });
    return null;
  }
  const partSpecs: FieldSpec[] = spec.column !== undefined ? [{ column: spec.column }] : (spec.columns as FieldSpec[]);
  const parts: CompiledField[] = [];
  partSpecs.forEach((part, index) => {
    const path = spec.column !== undefined ? [...base, "column"] : [...base, "columns", index];
    const withKeyTransforms: FieldSpec = { ...part, transform: [...(spec.transform ?? []), ...(part.transform ?? [])] };
    const compiled = compileFieldSpec(path, withKeyTransforms, "text", valueMaps, trimAll, issues);
    if (compiled) parts.push(compiled);
  });
  return { kind: spec.kind, source: `csv:${agencySlug}:${spec.kind}`, parts };
}

function compileFieldSpec(
  path: (string | number)[],
  spec: FieldSpec,
  type: FieldType,
  valueMaps: Record<string, Record<string, Scalar>>,
  trimAll: boolean,
  issues: MappingIssue[],
): CompiledField | null {
  const key = keyOf(path);
  const before = issues.length;
  const fail = (suffix: string | null, message: string) => issues.push({ key: suffix ? `${key}.${suffix}` : key, message });

  const sources = (["column", "constant", "concat"] as const).filter((name) => Object.hasOwn(spec, name) && spec[name] !== undefined);
  if (sources.length !== 1) fail(null, sources.length === 0 ? "needs a source: column, constant or concat" : `has ${sources.join(" and ")}: give only one source`);
  if (spec.separator !== undefined && spec.concat === undefined) fail("separator", "only goes with concat");

  const transforms: StringTransform[] = [];
  let conversion: Conversion | null = null;
  (spec.transform ?? []).forEach((step, index) => {
    const at = `transform[${index}]`;
    if (conversion) return fail(at, `comes after ${conversion.kind === "date" ? "date" : conversion.kind}: a date, integer or dollars_to_cents step must be the last transform`);
    if (typeof step === "object") {
      if (type !== "date" && type !== "text") return fail(at, `a date does not fit ${key}, which holds ${describeType(type)}`);
      try {
        conversion = { kind: "date", format: step.date, parse: compileDateFormat(step.date) };
      } catch (error) {
        fail(`${at}.date`, `"${step.date}" is not a usable date layout: ${(error as Error).message}`);
      }
    } else if (step === "integer") {
      if (type !== "integer" && type !== "cents" && type !== "text") return fail(at, `integer does not fit ${key}, which holds ${describeType(type)}`);
      conversion = { kind: "integer" };
    } else if (step === "dollars_to_cents") {
      if (type !== "cents") return fail(at, `dollars_to_cents only fits an amount field (…_cents); ${key} holds ${describeType(type)}`);
      conversion = { kind: "dollars_to_cents" };
    } else transforms.push(step);
  });

  let map: FieldPlan["map"] = null;
  if (spec.map !== undefined) {
    const named = typeof spec.map === "string" ? spec.map : null;
    const values = named === null ? (spec.map as Record<string, Scalar>) : valueMaps[named];
    if (!values) fail("map", `names a value map "${named}" that value_maps does not define${Object.keys(valueMaps).length ? ` (it defines ${Object.keys(valueMaps).join(", ")})` : ""}`);
    if (spec.unmapped !== undefined && spec.keep_unmapped) fail("keep_unmapped", "cannot go with unmapped: choose one");
    if (spec.keep_unmapped && type !== "text") fail("keep_unmapped", `only fits a text field; ${key} holds ${describeType(type)}, so every word must be mapped (or use unmapped: null)`);
    const unmapped: NonNullable<FieldPlan["map"]>["unmapped"] = spec.keep_unmapped ? "keep" : spec.unmapped !== undefined ? { value: spec.unmapped } : "error";
    if (values) {
      map = { name: named, values, unmapped };
      // Every value the map can produce must fit the field.
      const mapPath = named === null ? [...path, "map"] : ["value_maps", named];
      for (const [word, value] of Object.entries(values)) checkValue(value, type, conversion, key, keyOf([...mapPath, word]), issues);
      if (typeof unmapped === "object") checkValue(unmapped.value, type, conversion, key, `${key}.unmapped`, issues);
    }
  } else {
    if (spec.unmapped !== undefined) fail("unmapped", "only goes with map");
    if (spec.keep_unmapped !== undefined) fail("keep_unmapped", "only goes with map");
  }
  if (issues.length > before) return null;

  const source: FieldPlan["source"] =
    spec.column !== undefined ? { column: spec.column } : spec.concat !== undefined ? { concat: spec.concat, separator: spec.separator ?? " " } : { constant: spec.constant ?? null };
  const compiled = compileField({ key, type, source, trimAll, transforms, map, conversion });
  if ("constant" in source) {
    try {
      compiled.read({});
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      fail("constant", error.message);
      return null;
    }
  }
  return compiled;
}

function checkValue(value: Scalar, type: FieldType, conversion: Conversion | null, fieldKey: string, at: string, issues: MappingIssue[]): void {
  if (value === null) return;
  try {
    convert(value, type, conversion, fieldKey, null);
  } catch (error) {
    if (!(error instanceof RowError)) throw error;
    issues.push({ key: at, message: `${JSON.stringify(value)} does not fit ${fieldKey}: ${error.message}` });
  }
}

function describeType(type: FieldType): string {
  switch (type) {
    case "text":
      return "text";
    case "date":
      return "a date";
    case "integer":
      return "a whole number";
    case "cents":
      return "an amount in cents";
    case "boolean":
      return "true or false";
    case "finding":
      return "a finding";
  }
}
