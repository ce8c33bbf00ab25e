import { open } from "node:fs/promises";
import { constants as zlibConstants, gunzipSync } from "node:zlib";
import { parse as parseCsv } from "csv-parse/sync";
import { RowError } from "./errors.js";
import { requireColumns, type CsvRecord, type FileHandler, type ImportFormat, type RunContext } from "./format.js";
import type { SourceFile } from "./source.js";
import { clip, date, integer, slugify, text } from "./values.js";

/**
 * FiveThirtyEight / The Marshall Project police-misconduct settlements
 * (github.com/fivethirtyeight/police-settlements, <city>/final/<city>_edited.csv).
 *
 * Two kinds of file share the folder:
 *  - settlement files (`chicago_edited.csv`, …): one settlement or judgment per row,
 *    paid by the city government. Headers differ from city to city; the columns
 *    every one of them has are required (SETTLEMENT_COLUMNS), the rest are read when present.
 *  - officer files (`baton_rouge_police_edited.csv`, …, five cities): one officer
 *    named in a case per row (`police_officer`, or `Police Officer` in New Orleans),
 *    keyed by the case's docket number. Each row becomes settlement_officers rows
 *    with the name exactly as written and person_id null: the source names officers,
 *    it does not identify them, so no person is linked here. A docket shared by several
 *    settlements of the city links the officer to each of them.
 *
 * Real-data quirks this importer tolerates (anything else unreadable is a RowError):
 *  - Money with more than two decimals: two Los Angeles rows hold "750.0599" and
 *    "1499999.9999" (floating-point residue of 750.06 and 1,500,000 in the city's export).
 *    They are rounded half-up to the cent and counted in the report's
 *    `amountsRoundedToCent` figure, so the row is kept with its evident value.
 *  - Roanoke's officer file has no docket numbers (neither has its settlement file):
 *    an officer row without a docket is matched on calendar_year (and closed_date when
 *    given) to the one settlement of that city that has no docket either; if that
 *    is not exactly one settlement, the row is a RowError.
 *  - Cambridge's officer file lists several officers in one field, separated by commas
 *    ("Ann Dimascio, John Crowley, …"): it is split into one name each, keeping
 *    suffixes such as ", Jr." with the name before them.
 *  - Docket numbers written as floats by pandas ("636699.0" in Baton Rouge, Philadelphia,
 *    Cleveland) are kept as written, since both of Baton Rouge's files spell them the same way.
 *  - Columns some cities lack or name differently: claim_number is Richmond's case_number,
 *    status is Paterson's claim_status (else lawsuit_status); absent ones are null.
 *  - Placeholder officer names ("Unknown", "John Doe No. 1", "Anonymous Cambridge Police
 *    Officers") are kept as written; the report counts them as `officerPlaceholders`.
 */

/** The columns every settlement file in the FiveThirtyEight set has, of those this importer reads. */
export const SETTLEMENT_COLUMNS = [
  "city",
  "state",
  "calendar_year",
  "incident_date",
  "filed_date",
  "closed_date",
  "amount_awarded",
  "other_expenses",
  "total_incurred",
  "case_outcome",
  "docket_number",
  "court",
  "matter_name",
  "location",
  "summary_allegations",
] as const;

const OFFICER_FILE_COLUMNS = ["city", "state", "docket_number"] as const;

type FileKind = "settlements" | "officers";

interface Figures {
  settlementFiles: number;
  officerFiles: number;
  officerNames: number;
  officerPlaceholders: number;
  amountsRoundedToCent: Record<string, number>;
}

interface KnownSettlement {
  id: string;
  docket_number: string | null;
  calendar_year: number | null;
  closed_date: string | null;
}

const FIGURES = "settlements:figures";

export function settlementsFormat(): ImportFormat {
  /** File kinds found by prepare(), so order() can put settlement files before officer files. */
  const kinds = new Map<string, FileKind>();
  return {
    name: "settlements",
    async prepare(files) {
      for (const file of files) kinds.set(file.sha256, kindOf((await sniffHeader(file)) ?? []));
    },
    order(files) {
      const rank = (file: SourceFile) => (kinds.get(file.sha256) === "officers" ? 1 : 0);
      return [...files].sort((a, b) => rank(a) - rank(b));
    },
    openFile(_file, header, ctx) {
      const figures = figuresOf(ctx);
      if (kindOf(header) === "officers") {
        figures.officerFiles += 1;
        return officerHandler(header, ctx, figures);
      }
      const missing = requireColumns(header, SETTLEMENT_COLUMNS);
      if (missing.length) {
        throw new RowError(missing[0], `missing required column${missing.length > 1 ? "s" : ""} ${missing.map((c) => `"${c}"`).join(", ")} (a settlements file needs ${SETTLEMENT_COLUMNS.join(", ")}; an officers file needs ${OFFICER_FILE_COLUMNS.join(", ")}, police_officer)`);
      }
      figures.settlementFiles += 1;
      return settlementHandler(header, ctx, figures);
    },
    async finish(ctx) {
      return { ...figuresOf(ctx) };
    },
  };
}

function figuresOf(ctx: RunContext): Figures {
  let figures = ctx.state.get(FIGURES) as Figures | undefined;
  if (!figures) {
    figures = { settlementFiles: 0, officerFiles: 0, officerNames: 0, officerPlaceholders: 0, amountsRoundedToCent: {} };
    ctx.state.set(FIGURES, figures);
  }
  return figures;
}

/** The officer-name column of an officer file: `police_officer` or `Police Officer`. */
function officerColumn(header: readonly string[]): string | undefined {
  return header.find((column) => column.toLowerCase().replace(/[\s_]+/g, "_") === "police_officer");
}

function kindOf(header: readonly string[]): FileKind {
  return officerColumn(header) && !header.includes("amount_awarded") ? "officers" : "settlements";
}

// ---------------------------------------------------------------------------
// Settlement files

function settlementHandler(header: readonly string[], ctx: RunContext, figures: Figures): FileHandler {
  const has = (column: string) => header.includes(column);
  const statusColumn = ["status", "claim_status", "lawsuit_status"].find(has);
  const claimColumn = ["claim_number", "case_number"].find(has);
  return {
    async onRow(record) {
      const place = cityAndState(record);
      const values = {
        calendar_year: integer(record, "calendar_year"),
        incident_date: date(record, "incident_date"),
        filed_date: date(record, "filed_date"),
        closed_date: date(record, "closed_date"),
        amount_cents: money(record, "amount_awarded"),
        other_expenses_cents: money(record, "other_expenses"),
        total_cents: money(record, "total_incurred"),
        case_outcome: text(record, "case_outcome"),
        docket_number: text(record, "docket_number"),
        claim_number: claimColumn ? text(record, claimColumn) : null,
        court: text(record, "court"),
        matter_name: text(record, "matter_name"),
        location: text(record, "location"),
        summary_allegations: text(record, "summary_allegations"),
        status: statusColumn ? text(record, statusColumn) : null,
      };
      const agencyId = await ctx.sink.agency(place.slug, place.name, place.city, place.state);
      // Nothing below can throw: count the tolerated quirks only for rows that are kept.
      for (const [column, amount] of [["amount_awarded", values.amount_cents], ["other_expenses", values.other_expenses_cents], ["total_incurred", values.total_cents]] as const) {
        if (amount?.rounded) figures.amountsRoundedToCent[column] = (figures.amountsRoundedToCent[column] ?? 0) + 1;
      }
      ctx.sink.add("settlements", {
        ...values,
        agency_id: agencyId,
        amount_cents: values.amount_cents?.cents ?? null,
        other_expenses_cents: values.other_expenses_cents?.cents ?? null,
        total_cents: values.total_cents?.cents ?? null,
        payer: place.name,
      });
    },
  };
}

interface Place {
  city: string;
  state: string;
  slug: string;
  name: string;
}

/** The city government that paid: slug `chicago-il-city`, name "City of Chicago, IL". */
function cityAndState(record: CsvRecord): Place {
  const city = text(record, "city");
  if (!city) throw new RowError("city", "the city that paid is missing");
  const rawState = text(record, "state");
  if (!rawState) throw new RowError("state", "the state is missing");
  if (!/^[A-Za-z]{2}$/.test(rawState)) throw new RowError("state", `"${clip(rawState)}" is not a two-letter state abbreviation`);
  const state = rawState.toUpperCase();
  // Washington, DC's government is the District of Columbia, not a city.
  const name = state === "DC" ? "District of Columbia" : `City of ${city}, ${state}`;
  return { city, state, slug: `${slugify(city)}-${slugify(state)}-city`, name };
}

/**
 * Money as integer cents, like values.cents(), but tolerating more than two
 * decimals (floating-point residue such as "1499999.9999"), rounded half-up to the cent.
 */
export function money(record: CsvRecord, column: string): { cents: number; rounded: boolean } | null {
  const value = text(record, column);
  if (value === null) return null;
  const match = /^(-)?\$?(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d+))?$/.exec(value.replace(/\s/g, ""));
  if (!match || (match[2] === undefined && match[3] === undefined)) throw new RowError(column, `"${clip(value)}" is not an amount of money`);
  const whole = Number((match[2] ?? "0").replace(/,/g, ""));
  const decimals = match[3] ?? "";
  const rounded = decimals.length > 2;
  const fraction = Number(decimals.slice(0, 2).padEnd(2, "0")) + (rounded && Number(decimals[2]) >= 5 ? 1 : 0);
  const total = whole * 100 + fraction;
  if (!Number.isSafeInteger(total)) throw new RowError(column, `"${clip(value)}" is too large`);
  return { cents: match[1] ? -total : total, rounded };
}

// ---------------------------------------------------------------------------
// Officer files

function officerHandler(header: readonly string[], ctx: RunContext, figures: Figures): FileHandler {
  const nameColumn = officerColumn(header)!;
  const missing = requireColumns(header, OFFICER_FILE_COLUMNS);
  if (missing.length) throw new RowError(missing[0], `missing required column "${missing[0]}" (an officers file needs ${OFFICER_FILE_COLUMNS.join(", ")}, ${nameColumn})`);
  const hasYear = header.includes("calendar_year");
  const hasClosed = header.includes("closed_date");
  /** The settlements already written for each agency (this run's earlier files included). */
  const known = new Map<string, KnownSettlement[]>();
  return {
    async onRow(record) {
      const place = cityAndState(record);
      const raw = text(record, nameColumn);
      if (!raw) throw new RowError(nameColumn, "no officer name");
      const names = splitNames(raw);
      const docket = text(record, "docket_number");
      const year = hasYear ? integer(record, "calendar_year") : null;
      const closed = hasClosed ? date(record, "closed_date") : null;

      let settlements = known.get(place.slug);
      if (!settlements) {
        settlements = await ctx.tx.query<KnownSettlement>(
          `SELECT s.id, s.docket_number, s.calendar_year, s.closed_date::text AS closed_date
             FROM settlements s JOIN agencies a ON a.id = s.agency_id WHERE a.slug = $1`,
          [place.slug],
        );
        known.set(place.slug, settlements);
      }
      let matches: KnownSettlement[];
      if (docket) {
        matches = settlements.filter((s) => s.docket_number === docket);
        if (matches.length === 0) {
          throw new RowError("docket_number", `no settlement of ${place.name} has docket number "${clip(docket)}" (import the city's settlements file first, or with this one)`);
        }
      } else {
        matches = settlements.filter((s) => s.docket_number === null && (year === null || s.calendar_year === year) && (closed === null || s.closed_date === closed));
        if (matches.length !== 1) {
          throw new RowError("docket_number", `no docket number, and ${matches.length === 0 ? "no" : matches.length} settlement${matches.length === 1 ? "" : "s"} of ${place.name} without one match${year !== null ? ` calendar year ${year}` : ""}${closed ? ` and closed date ${closed}` : ""}: cannot tell which case names this officer`);
        }
      }
      for (const settlement of matches) {
        for (const name of names) ctx.sink.add("settlement_officers", { settlement_id: settlement.id, person_id: null, name_as_written: name });
      }
      figures.officerNames += names.length;
      figures.officerPlaceholders += names.filter(isPlaceholder).length;
    },
  };
}

const SUFFIX = /^(jr|sr|ii|iii|iv|v)\.?$/i;

/** "Ann Dimascio, John Crowley" → two names; "Charles Blacknell, Jr." stays one. */
export function splitNames(value: string): string[] {
  const names: string[] = [];
  for (const part of value.split(",").map((p) => p.trim()).filter(Boolean)) {
    if (SUFFIX.test(part) && names.length) names[names.length - 1] += `, ${part}`;
    else names.push(part);
  }
  return names;
}

function isPlaceholder(name: string): boolean {
  return /^(unknown|(john|jane) doe\b.*|anonymous\b.*|unidentified\b.*)$/i.test(name);
}

// ---------------------------------------------------------------------------

/**
 * The header of a file without reading the rest: the first 64 KB (gunzipped as far
 * as it goes), up to the first line break. Null when it cannot tell (binary, no
 * line break, bad CSV): the import itself then reports the problem.
 */
async function sniffHeader(file: SourceFile): Promise<string[] | null> {
  let bytes: Buffer;
  const handle = await open(file.path, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
    bytes = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  try {
    if (file.gzipped) bytes = gunzipSync(bytes, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch {
    return null;
  }
  if (bytes.includes(0)) return null;
  const textValue = bytes.toString("utf8");
  const end = textValue.search(/\r?\n/);
  if (end < 0) return null;
  try {
    const [header] = parseCsv(textValue.slice(0, end), { bom: true }) as string[][];
    return header ? header.map((column) => column.trim()) : null;
  } catch {
    return null;
  }
}
