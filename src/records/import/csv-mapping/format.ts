/**
 * `oversight import csv --mapping <file> <paths...>`: any city's CSV release,
 * read through a mapping file (docs/import-mapping.md) instead of new code.
 *
 * One row makes one record of the mapping's kind. Rows are read completely
 * (every value converted, every word mapped) before anything is staged, so a bad
 * row never leaves half a record, a cached id or a count behind.
 */
import { RowError } from "../errors.js";
import type { CsvRecord, FileHandler, ImportFormat, RowInfo, RunContext } from "../format.js";
import type { SourceFile } from "../source.js";
import type { CompiledField, FieldValue } from "./convert.js";
import { loadMapping, type CompiledMapping, type SectionName } from "./mapping.js";

export { MappingError, loadMapping, parseMapping } from "./mapping.js";

const STATE = "csv-mapping";

/** Loads and checks the mapping (throws MappingError naming the key at fault), then reads files with it. */
export async function csvMappingFormat(mappingPath: string): Promise<ImportFormat> {
  return mappingFormat(await loadMapping(mappingPath));
}

export function mappingFormat(mapping: CompiledMapping): ImportFormat {
  const stateOf = (ctx: RunContext) => {
    const state = ctx.state.get(STATE);
    if (!(state instanceof RunState)) throw new Error("csv mapping: prepare() did not run");
    return state;
  };
  return {
    name: "csv",
    async prepare(_files, ctx) {
      ctx.state.set(STATE, await RunState.open(mapping, ctx));
    },
    openFile(file, header, ctx) {
      checkHeader(mapping, header);
      const state = stateOf(ctx);
      return { onRow: (record, row) => state.row(file, record, row) } satisfies FileHandler;
    },
    async finish(ctx) {
      return { csv_mapping: await stateOf(ctx).finish() };
    },
  };
}

/** Every column the mapping names must be in the file's header. */
function checkHeader(mapping: CompiledMapping, header: string[]): void {
  // The CSV reader keeps only the last of two same-named columns, so a mapped name must be unique.
  const twice = [...mapping.columns].find(([column]) => header.indexOf(column) !== header.lastIndexOf(column));
  if (twice) throw new RowError(twice[0], `the header has more than one column named "${twice[0]}" (read by ${twice[1]}), so the mapping cannot tell which one is meant`);
  const missing = [...mapping.columns].filter(([column]) => !header.includes(column));
  if (!missing.length) return;
  const [column, key] = missing[0];
  const near = header.find((name) => name.toLowerCase().replace(/[\s_]+/g, "") === column.toLowerCase().replace(/[\s_]+/g, ""));
  const others = missing.length > 1 ? `; also missing: ${missing.slice(1, 6).map(([name]) => `"${name}"`).join(", ")}${missing.length > 6 ? ", …" : ""}` : "";
  throw new RowError(column, `the file has no column "${column}", which the mapping names at ${key}${near ? ` (the file has "${near}")` : ""}${others}`);
}

type Values = Record<string, FieldValue>;

interface Officer {
  /** The key's value (parts joined with "|"), or null when a part is empty. */
  key: string | null;
  attrs: Values;
}

/** A person as rows point at them: the person, and the mention (source + key) they came through. */
interface PersonRef {
  id: string;
  mentionId: string;
}

interface PersonEntry extends PersonRef {
  /** Only for people this run created: their details, merged over all rows (first non-empty value wins). */
  created?: { attrs: Values; badges: Set<string>; written: string; key: string };
}

interface ParentEntry {
  id: string;
  fromEarlierImport: boolean;
  where: string;
  written: Record<string, unknown>;
  merged: Record<string, unknown>;
}

interface Conflict {
  record: string;
  field: string;
  kept: unknown;
  ignored: unknown;
  where: string;
}

/** Per-run state: the agency, people by key, complaints and incidents by id, counts for the report. */
class RunState {
  private readonly people = new Map<string, PersonEntry>();
  private readonly reusedPeople = new Set<string>();
  private readonly complaints = new Map<string, ParentEntry>();
  /** kind complaints: where each complaint id was first read in this run. */
  private readonly complaintRows = new Map<string, string>();
  private readonly incidents = new Map<string, ParentEntry>();
  private readonly spells = new Set<string>();
  private readonly conflicts: Conflict[] = [];
  private conflictCount = 0;
  private rowsWithoutOfficer = 0;
  private spellsAlreadyKnown = 0;
  private peopleCreated = 0;

  private constructor(
    private readonly mapping: CompiledMapping,
    private readonly ctx: RunContext,
    private readonly agencyId: string,
    private readonly earlierPeople: Map<string, PersonRef>,
    private readonly earlierComplaints: Map<string, string>,
    private readonly earlierIncidents: Map<string, string>,
  ) {}

  private get incidentSourceKind(): string {
    return `csv:${this.mapping.agency.slug}`;
  }

  static async open(mapping: CompiledMapping, ctx: RunContext): Promise<RunState> {
    const { slug, name, city, state } = mapping.agency;
    const agencyId = await ctx.sink.agency(slug, name, city, state);
    const pairs = async (sql: string, params: unknown[]) =>
      new Map((await ctx.tx.query<{ k: string; id: string }>(sql, params)).map((row) => [row.k, row.id] as const));
    const people = new Map<string, PersonRef>();
    if (mapping.officerKey) {
      // A person merged into another by an admin is followed to the one it was merged into.
      const rows = await ctx.tx.query<{ local_id: string; mention_id: string; person_id: string }>(
        `SELECT m.local_id, m.id AS mention_id, coalesce(p.merged_into, m.person_id) AS person_id
           FROM person_mentions m JOIN people p ON p.id = m.person_id WHERE m.source = $1`,
        [mapping.officerKey.source],
      );
      for (const row of rows) people.set(row.local_id, { id: row.person_id, mentionId: row.mention_id });
    }
    const complaints = mapping.sections.complaint ? await pairs("SELECT external_id AS k, id FROM complaints WHERE agency_id = $1", [agencyId]) : new Map<string, string>();
    const incidents = mapping.sections.force_incident ? await pairs("SELECT external_id AS k, id FROM force_incidents WHERE source_kind = $1", [`csv:${slug}`]) : new Map<string, string>();
    const run = new RunState(mapping, ctx, agencyId, people, complaints, incidents);
    if (mapping.kind === "officers") {
      const rows = await ctx.tx.query<Record<string, unknown>>(
        "SELECT person_id, badge, rank, unit, start_date::text AS start_date, end_date::text AS end_date, separation_reason FROM employment WHERE agency_id = $1",
        [agencyId],
      );
      for (const row of rows) run.spells.add(spellSignature(String(row.person_id), row as Values));
    }
    return run;
  }

  // ------------------------------------------------------------ rows

  async row(file: SourceFile, record: CsvRecord, info: RowInfo): Promise<void> {
    const where = `${file.name}, line ${info.line}`;
    switch (this.mapping.kind) {
      case "allegations":
        return this.allegationRow(record, where);
      case "complaints":
        return this.complaintRow(record, where);
      case "settlements":
        return this.settlementRow(record);
      case "force_incidents":
        return this.forceRow(record, where);
      case "officers":
        return this.officerRow(record);
    }
  }

  private allegationRow(record: CsvRecord, where: string): void {
    const complaint = this.readParent("complaint", record, "the complaint id");
    const allegation = this.read("allegation", record);
    const officer = this.readOfficer(record);
    // Everything is read; from here on nothing throws.
    const complaintId = this.complaint(complaint, where);
    const person = this.person(officer);
    this.ctx.sink.add("allegations", { ...allegation, complaint_id: complaintId, person_id: person?.id ?? null, mention_id: person?.mentionId ?? null });
  }

  private complaintRow(record: CsvRecord, where: string): void {
    const complaint = this.readParent("complaint", record, "the complaint id");
    const externalId = String(complaint.external_id);
    const seen = this.complaintRows.get(externalId);
    if (seen) {
      throw new RowError(
        this.mapping.sections.complaint!.external_id.column,
        `complaint "${externalId}" already appeared at ${seen}: with kind complaints each row is one complaint (for one row per officer × allegation use kind allegations)`,
      );
    }
    this.complaintRows.set(externalId, where);
    this.complaint(complaint, where);
  }

  private settlementRow(record: CsvRecord): void {
    const settlement = this.read("settlement", record);
    const officer = this.mapping.sections.officer ? this.readOfficer(record) : null;
    const settlementId = this.ctx.sink.add("settlements", { ...settlement, agency_id: this.agencyId });
    if (!officer) return;
    const person = this.person(officer);
    const name = (officer.attrs.full_name as string | null) ?? joinName(officer.attrs) ?? officer.key;
    if (person || name) this.ctx.sink.add("settlement_officers", { settlement_id: settlementId, person_id: person?.id ?? null, name_as_written: name ?? "" });
  }

  private forceRow(record: CsvRecord, where: string): void {
    const incident = this.readParent("force_incident", record, "the incident id");
    const details: Record<string, string> = {};
    for (const column of this.mapping.details) {
      const value = record[column]?.trim();
      if (value) details[column] = value;
    }
    const involvement = this.read("force_officer", record);
    const officer = this.mapping.sections.officer ? this.readOfficer(record) : null;
    const incidentId = this.incident(incident, details, where);
    const person = officer ? this.person(officer) : null;
    if (person || Object.values(involvement).some((value) => value !== null)) {
      this.ctx.sink.add("force_officers", { ...involvement, incident_id: incidentId, person_id: person?.id ?? null, mention_id: person?.mentionId ?? null });
    }
  }

  private officerRow(record: CsvRecord): void {
    const officer = this.readOfficer(record);
    const spell = this.read("employment", record);
    if (officer.key === null) {
      const parts = this.mapping.officerKey!.parts;
      throw new RowError(parts[0]?.column ?? null, `the officer key (${parts.map((part) => part.key).join(", ")}) is empty: each roster row must identify its officer`);
    }
    // The spell's badge is one of the officer's badges too.
    if (officer.attrs.badge == null && spell.badge != null) officer.attrs.badge = spell.badge;
    const person = this.person(officer)!;
    const signature = spellSignature(person.id, spell);
    if (this.spells.has(signature)) {
      this.spellsAlreadyKnown += 1;
      return;
    }
    this.spells.add(signature);
    this.ctx.sink.add("employment", { ...spell, person_id: person.id, mention_id: person.mentionId, agency_id: this.agencyId });
  }

  // ------------------------------------------------------------ reading

  private read(section: SectionName, record: CsvRecord): Values {
    const values: Values = {};
    for (const [name, field] of Object.entries(this.mapping.sections[section] ?? {})) values[name] = field.read(record);
    return values;
  }

  private readParent(section: "complaint" | "force_incident", record: CsvRecord, what: string): Values {
    const values = this.read(section, record);
    if (values.external_id === null) {
      const field = this.mapping.sections[section]!.external_id;
      throw new RowError(field.column, `${what} (${field.key}) is empty`);
    }
    return values;
  }

  private readOfficer(record: CsvRecord): Officer {
    const attrs = this.read("officer", record);
    const parts = this.mapping.officerKey?.parts.map((part: CompiledField) => part.read(record)) ?? [null];
    const key = parts.every((part) => part !== null) ? parts.map(String).join("|") : null;
    return { key, attrs };
  }

  // ------------------------------------------------------------ staging (never throws)

  /** The person an officer key names: from this run, from an earlier import (person_mentions), or new. */
  private person(officer: Officer): PersonRef | null {
    if (officer.key === null) {
      this.rowsWithoutOfficer += 1;
      return null;
    }
    const badge = officer.attrs.badge as string | null;
    const known = this.people.get(officer.key);
    if (known) {
      if (known.created) {
        mergeInto(known.created.attrs, officer.attrs);
        if (badge) known.created.badges.add(badge);
      }
      return known;
    }
    const earlier = this.earlierPeople.get(officer.key);
    if (earlier) {
      this.people.set(officer.key, earlier);
      this.reusedPeople.add(earlier.id);
      return earlier;
    }
    const key = this.mapping.officerKey!;
    const attrs = { ...officer.attrs };
    const badges = new Set(badge ? [badge] : []);
    const columns = personColumns(attrs, key.kind, officer.key);
    const id = this.ctx.sink.add("people", columns);
    const mentionId = this.ctx.sink.add("person_mentions", {
      person_id: id,
      source: key.source,
      local_id: officer.key,
      attributes: mentionAttributes(attrs, badges, key.kind, officer.key),
      link_rule: `csv-mapping key ${key.kind}`,
    });
    const entry: PersonEntry = { id, mentionId, created: { attrs, badges, written: JSON.stringify([columns, [...badges]]), key: officer.key } };
    this.people.set(officer.key, entry);
    this.peopleCreated += 1;
    return entry;
  }

  private complaint(values: Values, where: string): string {
    return this.parent(this.complaints, this.earlierComplaints, values, where, "complaint", (row) =>
      this.ctx.sink.add("complaints", { ...row, agency_id: this.agencyId, search_text: "" }),
    );
  }

  private incident(values: Values, details: Record<string, string>, where: string): string {
    const withDetails = { ...values, details: Object.keys(details).length ? details : null };
    return this.parent(this.incidents, this.earlierIncidents, withDetails, where, "incident", (row) =>
      this.ctx.sink.add("force_incidents", { ...row, details: row.details ?? {}, fatal: row.fatal ?? false, agency_id: this.agencyId, source_kind: this.incidentSourceKind }),
    );
  }

  /** Links to the record with this id, or creates it; later rows fill fields still empty, and disagreements are counted. */
  private parent(
    seen: Map<string, ParentEntry>,
    earlier: Map<string, string>,
    values: Record<string, unknown>,
    where: string,
    what: string,
    create: (values: Record<string, unknown>) => string,
  ): string {
    const externalId = String(values.external_id);
    const entry = seen.get(externalId);
    if (entry) {
      this.merge(entry, values, `${what} ${externalId}`, where);
      return entry.id;
    }
    const earlierId = earlier.get(externalId);
    if (earlierId) {
      seen.set(externalId, { id: earlierId, fromEarlierImport: true, where, written: {}, merged: { ...values } });
      return earlierId;
    }
    const id = create(values);
    seen.set(externalId, { id, fromEarlierImport: false, where, written: { ...values }, merged: { ...values } });
    return id;
  }

  private merge(entry: ParentEntry, values: Record<string, unknown>, record: string, where: string): void {
    for (const [field, value] of Object.entries(values)) {
      if (value === null) continue;
      const current = entry.merged[field];
      if (current === null || current === undefined) entry.merged[field] = value;
      else if (field === "fatal") entry.merged[field] = current === true || value === true; // fatal when any row says so
      else if (field === "details") entry.merged[field] = { ...(value as object), ...(current as object) };
      else if (current !== value) {
        this.conflictCount += 1;
        if (this.conflicts.length < 10) this.conflicts.push({ record, field, kept: current, ignored: value, where });
      }
    }
  }

  // ------------------------------------------------------------ after the last row

  async finish(): Promise<Record<string, unknown>> {
    await this.updatePeople();
    await this.fillParents("complaints", this.complaints, COMPLAINT_COLUMNS);
    await this.fillParents("force_incidents", this.incidents, INCIDENT_COLUMNS);
    await this.refreshComplaintSearch();
    const report: Record<string, unknown> = {
      mapping: this.mapping.file,
      mapping_sha256: this.mapping.sha256,
      kind: this.mapping.kind,
      agency: this.mapping.agency.slug,
    };
    if (this.mapping.officerKey) {
      report.officers = {
        key: this.mapping.officerKey.source,
        people_created: this.peopleCreated,
        people_from_earlier_imports: this.reusedPeople.size,
        rows_without_officer_key: this.rowsWithoutOfficer,
      };
    }
    const parents = (entries: Map<string, ParentEntry>) => ({
      created: [...entries.values()].filter((entry) => !entry.fromEarlierImport).length,
      from_earlier_imports: [...entries.values()].filter((entry) => entry.fromEarlierImport).length,
    });
    if (this.mapping.sections.complaint) report.complaints = parents(this.complaints);
    if (this.mapping.sections.force_incident) report.force_incidents = parents(this.incidents);
    if (this.mapping.kind === "officers") report.employment_spells_already_known = this.spellsAlreadyKnown;
    if (this.conflictCount) {
      report.conflicting_values = {
        note: "rows that repeat a complaint or incident with a different value; the first value was kept",
        count: this.conflictCount,
        examples: this.conflicts,
      };
    }
    return report;
  }

  /** People created by this run get the details gathered from all their rows. */
  private async updatePeople(): Promise<void> {
    const key = this.mapping.officerKey;
    if (!key) return;
    const updates: Record<string, unknown>[] = [];
    for (const entry of this.people.values()) {
      const created = entry.created;
      if (!created) continue;
      const columns = personColumns(created.attrs, key.kind, created.key);
      if (JSON.stringify([columns, [...created.badges]]) === created.written) continue;
      updates.push({ id: entry.id, mention_id: entry.mentionId, ...columns, attributes: mentionAttributes(created.attrs, created.badges, key.kind, created.key) });
    }
    if (!updates.length) return;
    const payload = JSON.stringify(updates);
    await this.ctx.tx.query(
      `UPDATE people p SET first_name = v.first_name, middle_name = v.middle_name, last_name = v.last_name, suffix = v.suffix,
              full_name = v.full_name, birth_year = v.birth_year, race = v.race, gender = v.gender
         FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, first_name text, middle_name text, last_name text, suffix text,
              full_name text, birth_year integer, race text, gender text)
        WHERE p.id = v.id`,
      [payload],
    );
    await this.ctx.tx.query(
      `UPDATE person_mentions m SET attributes = v.attributes
         FROM jsonb_to_recordset($1::jsonb) AS v(mention_id uuid, attributes jsonb) WHERE m.id = v.mention_id`,
      [payload],
    );
  }

  /** Fills empty fields of complaints (or incidents) from later rows and from this run, for records made earlier. */
  private async fillParents(table: "complaints" | "force_incidents", entries: Map<string, ParentEntry>, columns: Record<string, string>): Promise<void> {
    const updates: Record<string, unknown>[] = [];
    for (const entry of entries.values()) {
      const fill: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(entry.merged)) {
        if (field === "external_id" || value === null || !(field in columns)) continue;
        const written = entry.written[field];
        const changed = field === "details" || field === "fatal" ? JSON.stringify(written ?? null) !== JSON.stringify(value) : written === undefined || written === null;
        if (changed) fill[field] = value;
      }
      if (Object.keys(fill).length) updates.push({ id: entry.id, ...fill });
    }
    if (!updates.length) return;
    const used = Object.keys(columns).filter((column) => updates.some((update) => column in update));
    const sets = used.map((column) => {
      if (column === "details") return "details = coalesce(v.details, '{}'::jsonb) || t.details";
      if (column === "fatal") return "fatal = t.fatal OR coalesce(v.fatal, false)";
      return `${column} = coalesce(t.${column}, v.${column})`;
    });
    await this.ctx.tx.query(
      `UPDATE ${table} t SET ${sets.join(", ")}
         FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, ${used.map((column) => `${column} ${columns[column]}`).join(", ")})
        WHERE t.id = v.id`,
      [JSON.stringify(updates)],
    );
  }

  /** Complaint search text: the id, type, place, summary and every allegation's category. */
  private async refreshComplaintSearch(): Promise<void> {
    const created = [...this.complaints.values()].filter((entry) => !entry.fromEarlierImport).map((entry) => entry.id);
    const earlier = [...this.complaints.values()].filter((entry) => entry.fromEarlierImport).map((entry) => entry.id);
    if (created.length) {
      await this.ctx.tx.query(
        `UPDATE complaints c SET search_text = concat_ws(' ', c.external_id, c.case_type, c.location, c.district, c.summary,
                (SELECT string_agg(DISTINCT a.category, ' ') FROM allegations a WHERE a.complaint_id = c.id))
          WHERE c.id = ANY($1::uuid[])`,
        [created],
      );
    }
    if (earlier.length) {
      await this.ctx.tx.query(
        `UPDATE complaints c SET search_text = concat_ws(' ', nullif(c.search_text, ''), n.words)
           FROM (SELECT a.complaint_id, string_agg(DISTINCT a.category, ' ') AS words FROM allegations a
                  WHERE a.import_run_id = $2 AND a.category IS NOT NULL AND a.complaint_id = ANY($1::uuid[]) GROUP BY a.complaint_id) n
          WHERE c.id = n.complaint_id`,
        [earlier, this.ctx.runId],
      );
    }
  }
}

const COMPLAINT_COLUMNS: Record<string, string> = {
  received_date: "date", incident_date: "date", closed_date: "date", location: "text", beat: "text", district: "text", channel: "text",
  case_type: "text", investigating_agency: "text", complainant_type: "text", summary: "text",
};
const INCIDENT_COLUMNS: Record<string, string> = {
  occurred_date: "date", location: "text", city: "text", state: "text", force_type: "text", injury: "text", fatal: "boolean", details: "jsonb",
};

function mergeInto(target: Values, values: Values): void {
  for (const [field, value] of Object.entries(values)) if (value !== null && (target[field] === null || target[field] === undefined)) target[field] = value;
}

function joinName(attrs: Values): string | null {
  const name = [attrs.first_name, attrs.middle_name, attrs.last_name, attrs.suffix].filter((part) => part !== null && part !== undefined && part !== "").join(" ");
  return name || null;
}

function personColumns(attrs: Values, keyKind: string, key: string): Record<string, unknown> {
  return {
    first_name: attrs.first_name ?? "",
    middle_name: attrs.middle_name ?? null,
    last_name: attrs.last_name ?? "",
    suffix: attrs.suffix ?? null,
    full_name: attrs.full_name ?? joinName(attrs) ?? `${keyKind} ${key}`,
    birth_year: attrs.birth_year ?? null,
    race: attrs.race ?? null,
    gender: attrs.gender ?? null,
  };
}

/** The mention's attributes, in the names the identity matcher reads (stars are badge numbers). */
function mentionAttributes(attrs: Values, badges: Set<string>, keyKind: string, key: string): Record<string, unknown> {
  const middle = (attrs.middle_name as string | null) ?? null;
  return {
    firstName: attrs.first_name ?? null,
    middleName: middle,
    middleInitial: middle ? middle.slice(0, 1).toUpperCase() : null,
    lastName: attrs.last_name ?? null,
    suffix: attrs.suffix ?? null,
    fullName: attrs.full_name ?? joinName(attrs),
    birthYear: attrs.birth_year ?? null,
    appointedDate: attrs.appointed_date ?? null,
    race: attrs.race ?? null,
    gender: attrs.gender ?? null,
    stars: [...badges],
    keyKind,
    key,
  };
}

function spellSignature(personId: string, spell: Values): string {
  return JSON.stringify([personId, ...["badge", "rank", "unit", "start_date", "end_date", "separation_reason"].map((field) => spell[field] ?? null)]);
}
