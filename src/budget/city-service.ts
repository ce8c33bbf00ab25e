/**
 * The city budget: budget years with the general fund total and lines by department and
 * category; the police share against the 20% cap; what-if scenarios. Every write runs in
 * one transaction with its audit entry. Amounts are integer cents.
 */
import { parse as parseCsv } from "csv-parse/sync";
import { appendAudit } from "../audit/service.js";
import type { Db } from "../db/db.js";
import * as repo from "./city-repo.js";
import { BudgetError } from "./errors.js";
import { amountToMoveCents, capCents, CAP_PERCENT, parseAmountToCents, shareBasisPoints, splitByWeights } from "./money.js";
import {
  csvMappingSchema,
  dollarsToCents,
  generalFundSchema,
  lineInputSchema,
  PB_CATEGORIES,
  yearInputSchema,
  type AmountPrecision,
  type CsvMapping,
  type GeneralFundBasis,
  type LineBasis,
  type LineInput,
  type PbCategory,
  type WhatIfQuery,
  type YearInput,
} from "./schema.js";

export type { LineRow, YearRow } from "./city-repo.js";

export interface PoliceTotal {
  cents: number;
  /** The weakest precision of the police lines: one "about" line makes the total "about". */
  precision: AmountPrecision;
  bases: LineBasis[];
  lines: number;
}

export interface YearSummary {
  year: repo.YearRow;
  lines: repo.LineRow[];
  police: PoliceTotal | null;
  /** Share of the general fund in basis points; null when the total (or the police figure) is unknown. */
  shareBps: number | null;
  capCents: number | null;
  toMoveCents: number | null;
  /** Lines already in the four People's Budget categories. */
  categoryCents: Record<PbCategory, number>;
}

/** Which People's Budget category a line's category text belongs to, in English or Spanish. */
export function pbCategoryOf(text: string): PbCategory | null {
  const t = text.trim().toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  if (/^(housing|vivienda)/.test(t)) return "housing";
  if (/^(health|salud|atencion medica|atencion de salud)/.test(t)) return "healthcare";
  if (/^(sustainable infrastructure|infrastructure|infraestructura)/.test(t)) return "infrastructure";
  if (/^(education|educacion)/.test(t)) return "education";
  return null;
}

function combinePrecision(a: AmountPrecision, b: AmountPrecision): AmountPrecision {
  if (a === "about" || b === "about") return "about";
  if (a === "at_least" || b === "at_least") return "at_least";
  return "exact";
}

export function summarize(year: repo.YearRow, lines: repo.LineRow[]): YearSummary {
  const policeLines = lines.filter((line) => line.is_police);
  const police: PoliceTotal | null = policeLines.length
    ? {
        cents: policeLines.reduce((sum, line) => sum + line.amount_cents, 0),
        precision: policeLines.reduce<AmountPrecision>((p, line) => combinePrecision(p, line.precision), "exact"),
        bases: [...new Set(policeLines.map((line) => line.basis))],
        lines: policeLines.length,
      }
    : null;
  const gf = year.general_fund_cents;
  const categoryCents = Object.fromEntries(PB_CATEGORIES.map((c) => [c, 0])) as Record<PbCategory, number>;
  for (const line of lines) {
    const category = line.is_police ? null : pbCategoryOf(line.category);
    if (category) categoryCents[category] += line.amount_cents;
  }
  return {
    year,
    lines,
    police,
    shareBps: gf && police ? shareBasisPoints(police.cents, gf) : null,
    capCents: gf ? capCents(gf) : null,
    toMoveCents: gf && police ? amountToMoveCents(police.cents, gf) : null,
    categoryCents,
  };
}

/** Every budget year with its lines and the police share, oldest first per city. */
export async function budgetYears(db: Db): Promise<YearSummary[]> {
  const years = await repo.listYears(db);
  const lines = await repo.linesOfYears(db, years.map((y) => y.id));
  return years.map((year) => summarize(year, lines.filter((line) => line.year_id === year.id)));
}

export async function budgetYear(db: Db, id: string): Promise<YearSummary | null> {
  const year = await repo.findYear(db, id);
  if (!year) return null;
  return summarize(year, await repo.linesOfYears(db, [id]));
}

export async function createYear(db: Db, actor: string, input: YearInput): Promise<string> {
  const v = yearInputSchema.parse(input);
  const cents = dollarsToCents(v.general_fund);
  return db.transaction(async (tx) => {
    if (await repo.findYearByCity(tx, v.city, v.fiscal_year)) throw new BudgetError(409, "budget.error.yearExists", { year: v.fiscal_year, city: v.city }, "year-exists");
    const id = await repo.insertYear(tx, {
      city: v.city, fiscal_year: v.fiscal_year, label: v.label ?? `FY${v.fiscal_year}`,
      general_fund_cents: cents, general_fund_basis: cents === null ? null : (v.general_fund_basis ?? null), general_fund_source: cents === null ? null : v.general_fund_source,
      note_en: v.note_en, note_es: v.note_es,
    });
    await appendAudit(tx, { actor, action: "budget.year.create", entity: "budget_year", entityId: id, data: { city: v.city, fiscalYear: v.fiscal_year, generalFundCents: cents } });
    return id;
  });
}

/** Sets (or clears, with an empty amount) the general fund total of a year. */
export async function setGeneralFund(db: Db, actor: string, yearId: string, input: { general_fund: string; general_fund_basis?: string; general_fund_source?: string }): Promise<void> {
  const v = generalFundSchema.parse(input);
  const cents = dollarsToCents(v.general_fund);
  await db.transaction(async (tx) => {
    if (!(await repo.lockYear(tx, yearId))) throw new BudgetError(404, "budget.error.noYear");
    await repo.updateGeneralFund(tx, yearId, cents, cents === null ? null : (v.general_fund_basis as GeneralFundBasis), cents === null ? null : v.general_fund_source);
    await appendAudit(tx, { actor, action: "budget.year.generalFund", entity: "budget_year", entityId: yearId, data: { generalFundCents: cents, basis: cents === null ? null : v.general_fund_basis } });
  });
}

export async function addLine(db: Db, actor: string, yearId: string, input: LineInput): Promise<string> {
  const v = lineInputSchema.parse(input);
  const cents = dollarsToCents(v.amount)!;
  return db.transaction(async (tx) => {
    if (!(await repo.lockYear(tx, yearId))) throw new BudgetError(404, "budget.error.noYear");
    const position = await repo.nextLinePosition(tx, yearId);
    await repo.insertLines(tx, yearId, [{
      position, department: v.department, category: v.category, amount_cents: cents, precision: v.precision, is_police: v.is_police,
      basis: v.basis, source: v.source, note_en: v.note_en, note_es: v.note_es,
    }]);
    const [line] = (await repo.linesOfYears(tx, [yearId])).filter((l) => l.position === position);
    await appendAudit(tx, { actor, action: "budget.line.add", entity: "budget_line", entityId: line.id, data: { yearId, department: v.department, amountCents: cents, police: v.is_police } });
    return line.id;
  });
}

export async function removeLine(db: Db, actor: string, yearId: string, lineId: string): Promise<void> {
  await db.transaction(async (tx) => {
    if (!(await repo.lockYear(tx, yearId))) throw new BudgetError(404, "budget.error.noYear");
    if (!(await repo.deleteLine(tx, yearId, lineId))) throw new BudgetError(404, "budget.error.noLine");
    await appendAudit(tx, { actor, action: "budget.line.delete", entity: "budget_line", entityId: lineId, data: { yearId } });
  });
}

export const CSV_MAX_BYTES = 2 * 1024 * 1024;
const CSV_MAX_ROWS = 20_000;

export interface CsvImportReport {
  lines: number;
  totalCents: number;
  policeCents: number;
  generalFundSet: boolean;
}

/**
 * Imports budget lines from CSV text with a column mapping (README.md, "CSV import"). All or
 * nothing: the first bad row is refused with its line number and column, and nothing changes.
 */
export async function importCsv(db: Db, actor: string, yearId: string, csvText: string, mappingInput: CsvMapping, fileName = "upload.csv"): Promise<CsvImportReport> {
  const mapping = csvMappingSchema.parse(mappingInput);
  if (Buffer.byteLength(csvText, "utf8") > CSV_MAX_BYTES) throw new BudgetError(413, "budget.error.csvTooLarge", { limit: "2 MB" }, "too-large");
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(csvText, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: false, info: true }) as never;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new BudgetError(400, "budget.error.csvUnreadable", { line: line ?? 1, problem: (error as Error).message.replace(/^Invalid Record Length: /, "").slice(0, 200) }, "csv-unreadable");
  }
  if (records.length === 0) throw new BudgetError(400, "budget.error.csvEmpty", {}, "csv-empty");
  if (records.length - 1 > CSV_MAX_ROWS) throw new BudgetError(413, "budget.error.csvTooManyRows", { limit: CSV_MAX_ROWS }, "too-many-rows");
  const header = records[0].record.map((h) => h.trim().toLowerCase());
  const column = (name: string, required: boolean): number => {
    if (!name) return -1;
    const index = header.indexOf(name.trim().toLowerCase());
    if (index < 0 && required) throw new BudgetError(400, "budget.error.csvMissingColumn", { column: name, found: records[0].record.join(", ").slice(0, 200) }, "missing-column");
    return index;
  };
  const departmentAt = column(mapping.department_column, true);
  const amountAt = column(mapping.amount_column, true);
  // The default "category" column is optional; a column named on purpose must exist.
  const categoryAt = column(mapping.category_column, mapping.category_column !== "" && mapping.category_column.toLowerCase() !== "category");
  const policeMatch = mapping.police_match.toLowerCase();
  const source = mapping.source ? `${mapping.source} (${fileName})` : fileName;

  const parsed = records.slice(1).map(({ record, info }) => {
    const line = info.lines;
    const department = record[departmentAt]?.trim() ?? "";
    if (!department) throw new BudgetError(400, "budget.error.csvRow", { line, column: mapping.department_column, problem: "is empty" }, "bad-row");
    if (department.length > 200) throw new BudgetError(400, "budget.error.csvRow", { line, column: mapping.department_column, problem: "is longer than 200 characters" }, "bad-row");
    const amountText = record[amountAt] ?? "";
    const cents = parseAmountToCents(amountText, mapping.amount_unit);
    if (cents === null) throw new BudgetError(400, "budget.error.csvRow", { line, column: mapping.amount_column, problem: `"${amountText.slice(0, 40)}" is not an amount in ${mapping.amount_unit} (no negative numbers)` }, "bad-row");
    const category = categoryAt >= 0 ? (record[categoryAt]?.trim() ?? "").slice(0, 200) : "";
    return { line, department, category, cents, police: department.toLowerCase().includes(policeMatch) };
  });

  return db.transaction(async (tx) => {
    if (!(await repo.lockYear(tx, yearId))) throw new BudgetError(404, "budget.error.noYear");
    const replaced = mapping.replace ? await repo.deleteLinesOfYear(tx, yearId) : 0;
    let position = await repo.nextLinePosition(tx, yearId);
    await repo.insertLines(tx, yearId, parsed.map((row) => ({
      position: position++, department: row.department, category: row.category, amount_cents: row.cents, precision: "exact" as const,
      is_police: row.police, basis: "import" as const, source: `${source}, line ${row.line}`, note_en: null, note_es: null,
    })));
    const totalCents = parsed.reduce((sum, row) => sum + row.cents, 0);
    const policeCents = parsed.filter((row) => row.police).reduce((sum, row) => sum + row.cents, 0);
    if (mapping.set_total) {
      if (totalCents <= 0) throw new BudgetError(400, "budget.error.csvZeroTotal", {}, "zero-total");
      await repo.updateGeneralFund(tx, yearId, totalCents, "official", `Sum of the lines imported from ${source}`);
    }
    await appendAudit(tx, { actor, action: "budget.lines.import", entity: "budget_year", entityId: yearId, data: { file: fileName, lines: parsed.length, replaced, totalCents, policeCents, setTotal: mapping.set_total } });
    return { lines: parsed.length, totalCents, policeCents, generalFundSet: mapping.set_total };
  });
}

// What-if ---------------------------------------------------------------------------------

export interface WhatIfResult {
  query: WhatIfQuery;
  summary: YearSummary;
  moveCents: number;
  /** Cents each category receives, in PB_CATEGORIES order; they add up to moveCents exactly. */
  allocation: Record<PbCategory, number>;
  policeBefore: number;
  policeAfter: number;
  /** The general fund used: the year's, or the scenario's assumption; null when neither. */
  generalFund: { cents: number; assumed: boolean } | null;
  shareBeforeBps: number | null;
  shareAfterBps: number | null;
  capCents: number | null;
  /** Still to move to meet the cap after the scenario (0: the cap is met). */
  remainingToMoveCents: number | null;
  /** Before the scenario, what would have to move. */
  toMoveBeforeCents: number | null;
  categoryBefore: Record<PbCategory, number>;
  categoryAfter: Record<PbCategory, number>;
}

/**
 * Moves `move` dollars from the police to the four categories, in whole cents: the split
 * uses the largest-remainder method, so the parts add up to the amount moved exactly.
 */
export function whatIf(summary: YearSummary, query: WhatIfQuery): WhatIfResult {
  if (!summary.police) throw new BudgetError(400, "budget.error.noPolice", { year: summary.year.label }, "no-police");
  const moveCents = query.move * 100;
  if (moveCents > summary.police.cents) throw new BudgetError(400, "budget.error.moveTooLarge", { field: "move", police: summary.police.cents / 100 }, "move-too-large");
  const weights = PB_CATEGORIES.map((c) => query[c]);
  const parts = splitByWeights(moveCents, weights);
  const allocation = Object.fromEntries(PB_CATEGORIES.map((c, i) => [c, parts[i]])) as Record<PbCategory, number>;
  const gfCents = query.gf !== undefined ? query.gf * 100 : summary.year.general_fund_cents;
  const generalFund = gfCents ? { cents: gfCents, assumed: query.gf !== undefined } : null;
  if (generalFund && summary.police.cents > generalFund.cents) throw new BudgetError(400, "budget.error.gfTooSmall", { field: "gf" }, "gf-too-small");
  const policeAfter = summary.police.cents - moveCents;
  const categoryAfter = Object.fromEntries(PB_CATEGORIES.map((c) => [c, summary.categoryCents[c] + allocation[c]])) as Record<PbCategory, number>;
  return {
    query,
    summary,
    moveCents,
    allocation,
    policeBefore: summary.police.cents,
    policeAfter,
    generalFund,
    shareBeforeBps: generalFund ? shareBasisPoints(summary.police.cents, generalFund.cents) : null,
    shareAfterBps: generalFund ? shareBasisPoints(policeAfter, generalFund.cents) : null,
    capCents: generalFund ? capCents(generalFund.cents) : null,
    remainingToMoveCents: generalFund ? amountToMoveCents(policeAfter, generalFund.cents) : null,
    toMoveBeforeCents: generalFund ? amountToMoveCents(summary.police.cents, generalFund.cents) : null,
    categoryBefore: summary.categoryCents,
    categoryAfter,
  };
}

/** The query string of a scenario, in a fixed order, for the link people share. */
export function whatIfQueryString(query: Partial<WhatIfQuery> & { year: string; move: number }, lang?: string): string {
  const params = new URLSearchParams();
  params.set("year", query.year);
  params.set("move", String(query.move));
  for (const c of PB_CATEGORIES) params.set(c, String(query[c] ?? 25));
  if (query.gf !== undefined) params.set("gf", String(query.gf));
  if (lang) params.set("lang", lang);
  return params.toString();
}

export { CAP_PERCENT };
