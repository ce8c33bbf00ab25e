import { appendAudit } from "../audit/service.js";
import { caseRows } from "./vouched-rows.js";
import type { Db, Queryable } from "../db/db.js";
import { penaltySeverity } from "../records/vocab.js";
import { HttpError } from "../web/errors.js";
import { DEFAULT_DISCIPLINE_MATRIX } from "./board.js";
import type { DisciplineWindow } from "./deadlines.js";
import * as repo from "./repo.js";
import { INTAKE_CATEGORIES, type IntakeCategory } from "./schema.js";

/** The discipline windows cities use, counted from the incident. */
export const DISCIPLINE_WINDOWS = ["180d", "1y", "18m"] as const satisfies readonly DisciplineWindow[];
export const DEFAULT_DISCIPLINE_WINDOW: DisciplineWindow = "1y";
const MAX_PENALTY = 200;

export type DisciplineMatrix = Record<IntakeCategory, string>;

export interface OfficeSettings {
  disciplineWindow: DisciplineWindow;
  disciplineMatrix: DisciplineMatrix;
}

/** One thing wrong with submitted settings. `row` is the matrix's category (as typed, for an unknown one). */
export type SettingsProblem =
  | { field: "discipline_window"; problem: "unknown_window"; value: string }
  | { field: "discipline_matrix"; problem: "not_a_table" }
  | { field: "discipline_matrix"; row: string; problem: "unknown_category" | "missing_penalty" | "too_long" | "unranked_penalty"; value?: string }
  | { field: "input"; problem: "nothing_to_change" };

/** Settings refused: every problem found, each naming its field or row. Nothing was written. */
export class SettingsError extends HttpError {
  constructor(readonly problems: SettingsProblem[]) {
    super(400, "error.badRequest", problems.map(describeProblem).join("; "));
  }
}

/** The problem in English, for the API's answer (the pages translate SettingsProblem themselves). */
export function describeProblem(p: SettingsProblem): string {
  switch (p.problem) {
    case "unknown_window": return `discipline_window: "${p.value}" is not a window the office offers (${DISCIPLINE_WINDOWS.join(", ")})`;
    case "not_a_table": return "discipline_matrix: give an object of category → penalty";
    case "unknown_category": return `discipline_matrix.${p.row}: unknown category (known: ${INTAKE_CATEGORIES.join(", ")})`;
    case "missing_penalty": return `discipline_matrix.${p.row}: write the recommended penalty`;
    case "too_long": return `discipline_matrix.${p.row}: at most ${MAX_PENALTY} characters`;
    case "unranked_penalty": return `discipline_matrix.${p.row}: "${p.value}" is not a penalty the office can rank; write e.g. "100 - REPRIMAND", "10 DAY SUSPENSION" or "SEPARATION"`;
    case "nothing_to_change": return "input: give discipline_window, discipline_matrix or both";
  }
}

/** The office's settings as stored, with the defaults for anything never set. */
export async function officeSettings(db: Queryable): Promise<OfficeSettings> {
  const [window, matrix] = await Promise.all([
    repo.getSetting<DisciplineWindow>(db, "discipline_window"),
    repo.getSetting<Partial<DisciplineMatrix>>(db, "discipline_matrix"),
  ]);
  return {
    disciplineWindow: window && (DISCIPLINE_WINDOWS as readonly string[]).includes(window) ? window : DEFAULT_DISCIPLINE_WINDOW,
    disciplineMatrix: { ...(DEFAULT_DISCIPLINE_MATRIX as DisciplineMatrix), ...matrix },
  };
}

export interface SettingsInput {
  discipline_window?: unknown;
  discipline_matrix?: unknown;
}

/**
 * Checks everything first and writes nothing unless all of it is valid: the
 * window, and a matrix with a rankable penalty for every category (a penalty
 * the office cannot rank would hide a department's lighter decision).
 */
export function validateSettings(input: SettingsInput): { window?: DisciplineWindow; matrix?: DisciplineMatrix } {
  const problems: SettingsProblem[] = [];
  const out: { window?: DisciplineWindow; matrix?: DisciplineMatrix } = {};
  if (input.discipline_window === undefined && input.discipline_matrix === undefined) throw new SettingsError([{ field: "input", problem: "nothing_to_change" }]);
  if (input.discipline_window !== undefined) {
    const value = String(input.discipline_window);
    if ((DISCIPLINE_WINDOWS as readonly string[]).includes(value)) out.window = value as DisciplineWindow;
    else problems.push({ field: "discipline_window", problem: "unknown_window", value: value.slice(0, 40) });
  }
  if (input.discipline_matrix !== undefined) {
    const given = input.discipline_matrix;
    if (typeof given !== "object" || given === null || Array.isArray(given)) {
      problems.push({ field: "discipline_matrix", problem: "not_a_table" });
    } else {
      const entries = given as Record<string, unknown>;
      for (const row of Object.keys(entries)) {
        if (!(INTAKE_CATEGORIES as readonly string[]).includes(row)) problems.push({ field: "discipline_matrix", row: row.slice(0, 60), problem: "unknown_category" });
      }
      const matrix = {} as DisciplineMatrix;
      for (const row of INTAKE_CATEGORIES) {
        const penalty = typeof entries[row] === "string" ? (entries[row] as string).trim() : "";
        if (!penalty) problems.push({ field: "discipline_matrix", row, problem: "missing_penalty" });
        else if (penalty.length > MAX_PENALTY) problems.push({ field: "discipline_matrix", row, problem: "too_long" });
        else if (penaltySeverity(penalty) === null) problems.push({ field: "discipline_matrix", row, problem: "unranked_penalty", value: penalty });
        else matrix[row] = penalty;
      }
      out.matrix = matrix;
    }
  }
  if (problems.length) throw new SettingsError(problems);
  return out;
}

/** Saves the window, the matrix or both in one transaction with one audit entry. */
export async function saveOfficeSettings(db: Db, actor: string, input: SettingsInput): Promise<OfficeSettings> {
  const valid = validateSettings(input);
  return db.transaction(async (tx) => {
    if (valid.window) await repo.setSetting(tx, "discipline_window", valid.window);
    if (valid.matrix) await repo.setSetting(tx, "discipline_matrix", valid.matrix);
    const written = [...(valid.window ? ["discipline_window"] : []), ...(valid.matrix ? ["discipline_matrix"] : [])];
    await appendAudit(tx, { actor, action: "office.settings", entity: "office", rows: caseRows("office_settings", written), data: { discipline_window: valid.window, discipline_matrix: valid.matrix } });
    return officeSettings(tx);
  });
}
