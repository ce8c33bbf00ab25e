import { parse } from "csv-parse";
import { ImportError } from "../errors.js";
import { openText, type SourceFile } from "../source.js";

/**
 * The kinds of file in the Invisible Institute's CPDP exports, told apart by
 * their columns (file names change between releases; columns are the contract).
 */
export const CPDP_KINDS = ["roster", "complaints", "accused-recommended", "accused-penalty", "complainants", "trr-main", "trr-officers"] as const;
export type CpdpKind = (typeof CPDP_KINDS)[number];

const SIGNATURES: [CpdpKind, string[]][] = [
  ["accused-recommended", ["cr_id", "recommended_finding", "final_finding", "final_penalty"]],
  ["accused-penalty", ["cr_id", "finding", "penalty", "days"]],
  ["complaints", ["cr_id", "incident_date", "complaint_date", "closed_date"]],
  ["complainants", ["cr_id", "race", "gender", "birth_year"]],
  ["trr-officers", ["trr_id", "first_name", "last_name", "trr_date"]],
  ["trr-main", ["trr_id", "trr_status", "trr_date"]],
  ["roster", ["appointed_date", "resignation_date", "first_name", "last_name"]],
];

/** Which CPDP file this header belongs to, or null. */
export function kindOf(header: readonly string[]): CpdpKind | null {
  for (const [kind, columns] of SIGNATURES) {
    if (columns.every((column) => header.includes(column))) return kind;
  }
  return null;
}

/** Files with officers in them carry a file-local officer id column ending in _ID. */
export function officerIdColumn(header: readonly string[]): string | null {
  return [...header].reverse().find((column) => column.endsWith("_ID")) ?? null;
}

export const OFFICER_KINDS: ReadonlySet<CpdpKind> = new Set(["roster", "accused-recommended", "accused-penalty", "trr-officers"]);

/** The file's name without .csv(.gz): the matcher's source name for its officer mentions. */
export function stemOf(source: SourceFile): string {
  return source.name.replace(/\.csv(\.gz)?$/i, "");
}

/** Reads just the header row. */
export async function readHeader(source: SourceFile): Promise<string[]> {
  const parser = openText(source).pipe(parse({ bom: true, to_line: 1 }));
  try {
    for await (const row of parser as AsyncIterable<string[]>) return row.map((column) => column.trim());
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError(source.name, 1, null, "the header row cannot be read as CSV");
  }
  throw new ImportError(source.name, 1, null, "the file has no header row");
}

export const ACCUSED_KINDS: ReadonlySet<CpdpKind> = new Set(["accused-recommended", "accused-penalty"]);

/**
 * Parents before what points at them, and the files without officers first:
 * they load while the officers are linked, before the first file that names one.
 * The use-of-force reports come first of all: they need nothing from the other
 * files, so they load while the accused files are read for the complaints.
 */
export function kindOrder(kind: CpdpKind): number {
  // The penalty schema before the recommended one: its rows wait for their partners there (see rows.ts).
  return ["trr-main", "complaints", "complainants", "roster", "accused-penalty", "accused-recommended", "trr-officers"].indexOf(kind);
}
