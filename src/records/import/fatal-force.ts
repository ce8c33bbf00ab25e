import { RowError } from "./errors.js";
import { requireColumns, type ImportFormat, type RunContext } from "./format.js";
import { boolean, clip, date, integer, text } from "./values.js";

/**
 * The Washington Post's database of fatal police shootings, first schema (v1,
 * github.com/washingtonpost/data-police-shootings, fatal-police-shootings-data.csv
 * up to 2022). One row per person shot and killed by an on-duty officer; each
 * becomes a force_incidents row with source_kind 'wapo-fatal-shootings',
 * external_id = the Post's id, fatal = true. v1 has no agency column, so agency_id
 * stays null. The person's name is public in this data set and is kept in
 * details.subject_name.
 *
 * Real-data quirk tolerated: the Post writes "TK TK" (newsroom shorthand for "to
 * come") where the name is not yet known — 194 rows in the 2020-07 file, two of them
 * as "TK Tk". Those get subject_name null and are counted in the report's
 * `unnamedSubjects` figure. Everything else must read cleanly: a bad date, age or
 * True/False flag is a RowError.
 *
 * An id already imported (by an earlier run from another version of the file, or
 * earlier in this run) is a RowError naming it, so --skip-bad-rows can load just the
 * new rows of a later version.
 */

export const SOURCE_KIND = "wapo-fatal-shootings";

export const FATAL_FORCE_COLUMNS = [
  "id",
  "name",
  "date",
  "manner_of_death",
  "armed",
  "age",
  "gender",
  "race",
  "city",
  "state",
  "signs_of_mental_illness",
  "threat_level",
  "flee",
  "body_camera",
] as const;

interface RunState {
  /** id → where it was seen: "an earlier import" or "<file> line N". */
  seen: Map<string, string>;
  unnamedSubjects: number;
}

const STATE = "fatal-force:state";

export function fatalForceFormat(): ImportFormat {
  return {
    name: "fatal-force",
    async prepare(_files, ctx) {
      const rows = await ctx.tx.query<{ external_id: string }>("SELECT external_id FROM force_incidents WHERE source_kind = $1", [SOURCE_KIND]);
      ctx.state.set(STATE, { seen: new Map(rows.map((row) => [row.external_id, "an earlier import"])), unnamedSubjects: 0 } satisfies RunState);
    },
    openFile(file, header, ctx) {
      const missing = requireColumns(header, FATAL_FORCE_COLUMNS);
      if (missing.length) {
        throw new RowError(missing[0], `missing required column${missing.length > 1 ? "s" : ""} ${missing.map((c) => `"${c}"`).join(", ")} (expected the Washington Post v1 columns: ${FATAL_FORCE_COLUMNS.join(",")})`);
      }
      const state = stateOf(ctx);
      return {
        onRow(record, row) {
          const id = text(record, "id");
          if (!id) throw new RowError("id", "the id is missing");
          const earlier = state.seen.get(id);
          if (earlier) throw new RowError("id", `id ${clip(id)} was already imported (${earlier})`);
          const name = text(record, "name");
          const unnamed = name !== null && /^tk tk$/i.test(name);
          const details = {
            subject_name: unnamed ? null : name,
            armed: text(record, "armed"),
            age: integer(record, "age"),
            gender: text(record, "gender"),
            race: text(record, "race"),
            signs_of_mental_illness: boolean(record, "signs_of_mental_illness"),
            threat_level: text(record, "threat_level"),
            flee: text(record, "flee"),
            body_camera: boolean(record, "body_camera"),
          };
          const values = {
            external_id: id,
            source_kind: SOURCE_KIND,
            agency_id: null,
            occurred_date: date(record, "date"),
            city: text(record, "city"),
            state: text(record, "state"),
            force_type: text(record, "manner_of_death"),
            fatal: true,
            details: JSON.stringify(details),
          };
          // Nothing below can throw: record the id and the quirk only for rows that are kept.
          state.seen.set(id, `${file.name} line ${row.line}`);
          if (unnamed) state.unnamedSubjects += 1;
          ctx.sink.add("force_incidents", values);
        },
      };
    },
    async finish(ctx) {
      return { unnamedSubjects: stateOf(ctx).unnamedSubjects };
    },
  };
}

function stateOf(ctx: RunContext): RunState {
  const state = ctx.state.get(STATE) as RunState | undefined;
  if (!state) throw new Error("fatal-force: prepare() did not run");
  return state;
}
