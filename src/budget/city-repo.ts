/** SQL for the city budget: budget years and their lines. The only place with that SQL. */
import type { Queryable } from "../db/db.js";
import type { AmountPrecision, GeneralFundBasis, LineBasis } from "./schema.js";

export interface YearRow {
  id: string;
  city: string;
  fiscal_year: number;
  label: string;
  general_fund_cents: number | null;
  general_fund_basis: GeneralFundBasis | null;
  general_fund_source: string | null;
  note_en: string | null;
  note_es: string | null;
}

export interface LineRow {
  id: string;
  year_id: string;
  position: number;
  department: string;
  category: string;
  amount_cents: number;
  precision: AmountPrecision;
  is_police: boolean;
  basis: LineBasis;
  source: string | null;
  note_en: string | null;
  note_es: string | null;
}

const YEAR_COLUMNS = "id, city, fiscal_year, label, general_fund_cents, general_fund_basis, general_fund_source, note_en, note_es";
const LINE_COLUMNS = "id, year_id, position, department, category, amount_cents, precision, is_police, basis, source, note_en, note_es";

export async function listYears(db: Queryable): Promise<YearRow[]> {
  return db.query<YearRow>(`SELECT ${YEAR_COLUMNS} FROM budget_years ORDER BY city, fiscal_year`);
}

export async function findYear(db: Queryable, id: string): Promise<YearRow | null> {
  const [row] = await db.query<YearRow>(`SELECT ${YEAR_COLUMNS} FROM budget_years WHERE id = $1`, [id]);
  return row ?? null;
}

export async function findYearByCity(db: Queryable, city: string, fiscalYear: number): Promise<YearRow | null> {
  const [row] = await db.query<YearRow>(`SELECT ${YEAR_COLUMNS} FROM budget_years WHERE city = $1 AND fiscal_year = $2`, [city, fiscalYear]);
  return row ?? null;
}

export async function lockYear(tx: Queryable, id: string): Promise<YearRow | null> {
  const [row] = await tx.query<YearRow>(`SELECT ${YEAR_COLUMNS} FROM budget_years WHERE id = $1 FOR UPDATE`, [id]);
  return row ?? null;
}

export async function insertYear(tx: Queryable, year: Omit<YearRow, "id">): Promise<string> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO budget_years (city, fiscal_year, label, general_fund_cents, general_fund_basis, general_fund_source, note_en, note_es)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [year.city, year.fiscal_year, year.label, year.general_fund_cents, year.general_fund_basis, year.general_fund_source, year.note_en, year.note_es],
  );
  return row.id;
}

export async function updateGeneralFund(tx: Queryable, id: string, cents: number | null, basis: GeneralFundBasis | null, source: string | null): Promise<void> {
  await tx.query("UPDATE budget_years SET general_fund_cents = $2, general_fund_basis = $3, general_fund_source = $4 WHERE id = $1", [id, cents, basis, source]);
}

export async function linesOfYears(db: Queryable, yearIds: readonly string[]): Promise<LineRow[]> {
  if (yearIds.length === 0) return [];
  return db.query<LineRow>(`SELECT ${LINE_COLUMNS} FROM budget_lines WHERE year_id = ANY($1::uuid[]) ORDER BY year_id, position`, [yearIds]);
}

export async function findLine(db: Queryable, id: string): Promise<LineRow | null> {
  const [row] = await db.query<LineRow>(`SELECT ${LINE_COLUMNS} FROM budget_lines WHERE id = $1`, [id]);
  return row ?? null;
}

export async function nextLinePosition(tx: Queryable, yearId: string): Promise<number> {
  const [row] = await tx.query<{ next: number }>("SELECT COALESCE(MAX(position), 0) + 1 AS next FROM budget_lines WHERE year_id = $1", [yearId]);
  return Number(row.next);
}

export async function insertLines(tx: Queryable, yearId: string, lines: readonly Omit<LineRow, "id" | "year_id">[]): Promise<void> {
  // One statement per 500 lines: imports of a whole budget stay quick on both engines.
  for (let start = 0; start < lines.length; start += 500) {
    const chunk = lines.slice(start, start + 500);
    const params: unknown[] = [];
    const values = chunk.map((line) => {
      const base = params.length;
      params.push(yearId, line.position, line.department, line.category, line.amount_cents, line.precision, line.is_police, line.basis, line.source, line.note_en, line.note_es);
      return `(${Array.from({ length: 11 }, (_, i) => `$${base + i + 1}`).join(", ")})`;
    });
    await tx.query(
      `INSERT INTO budget_lines (year_id, position, department, category, amount_cents, precision, is_police, basis, source, note_en, note_es) VALUES ${values.join(", ")}`,
      params,
    );
  }
}

export async function deleteLine(tx: Queryable, yearId: string, lineId: string): Promise<boolean> {
  const rows = await tx.query("DELETE FROM budget_lines WHERE id = $1 AND year_id = $2 RETURNING id", [lineId, yearId]);
  return rows.length > 0;
}

export async function deleteLinesOfYear(tx: Queryable, yearId: string): Promise<number> {
  const rows = await tx.query("DELETE FROM budget_lines WHERE year_id = $1 RETURNING id", [yearId]);
  return rows.length;
}
