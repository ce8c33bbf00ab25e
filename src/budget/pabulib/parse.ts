/**
 * Reads the pabulib `.pb` format (https://pabulib.org/format): three `;`-separated sections, each
 * introduced by its name on a line of its own and followed by a header row:
 *
 *   META      key;value                      description, budget, vote_type, num_projects, …
 *   PROJECTS  project_id;cost;…              one row per project (other columns kept as text)
 *   VOTES     voter_id;…;vote[;points];…     vote = comma-separated project ids; points aligned with them
 *
 * Fields may be quoted with `"` (a doubled `""` is a quote inside), as pabulib's own files do for
 * names containing `;` or `"`. Fields are trimmed; empty lines are skipped; a UTF-8 byte-order mark
 * is ignored; CRLF line ends are accepted. Amounts must be non-negative integers ("1000000.0" and
 * pabutools' decimal comma "1000000,0" are accepted as whole numbers).
 *
 * Line based: a file is read as a stream of lines and never held in memory whole, and it is refused
 * before reading if it is over the size limit (200 MB unless told otherwise). Every problem is a
 * PabulibError naming the line.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { Profile } from "../rules/profile.js";
import { PabulibError } from "./errors.js";
import { VOTE_TYPES, type PbElection, type PbProject, type PbWarning, type VoteType } from "./types.js";

export const DEFAULT_MAX_BYTES = 200 * 1024 * 1024;

export interface ParseOptions {
  /** Refuse inputs larger than this many bytes (default 200 MiB). */
  maxBytes?: number;
  /** Keep every VOTES column (age, sex, …) for re-export; default true. Counting does not need them. */
  keepVoterFields?: boolean;
}

type Section = "none" | "meta" | "projects" | "votes";
const SECTION_NAMES: Record<string, Section> = { meta: "meta", projects: "projects", votes: "votes" };

/** Splits one line on `;`, honouring `"` quoting. Throws on an unterminated quote. */
export function splitFields(line: string, lineNo: number): string[] {
  if (!line.includes('"')) return line.split(";").map((f) => f.trim());
  const fields: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    // Skip leading blanks of the field.
    while (i < n && (line[i] === " " || line[i] === "\t")) i++;
    if (i < n && line[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        const close = line.indexOf('"', i);
        if (close < 0) throw new PabulibError("bad-quote", lineNo, "a quoted field is not closed");
        value += line.slice(i, close);
        if (line[close + 1] === '"') {
          value += '"';
          i = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
      while (i < n && (line[i] === " " || line[i] === "\t")) i++;
      if (i < n && line[i] !== ";") throw new PabulibError("bad-quote", lineNo, "text after a closing quote (a quote inside a quoted field must be doubled)");
      fields.push(value);
    } else {
      const next = line.indexOf(";", i);
      const end = next < 0 ? n : next;
      fields.push(line.slice(i, end).trim());
      i = end;
    }
    if (i >= n) break;
    i++; // the ';'
    if (i >= n) {
      fields.push("");
      break;
    }
  }
  return fields;
}

/** A non-negative integer amount; "12.0" and "12,00" are whole numbers, "12.5" is not. */
export function parseAmount(text: string, lineNo: number, what: string, code: "bad-cost" | "bad-budget" | "bad-points"): number {
  const s = text.trim();
  const m = /^([+-]?)(\d+)(?:[.,](\d+))?$/.exec(s);
  if (!m) throw new PabulibError(code, lineNo, `${what} '${text}' is not a number`);
  const [, sign, whole, fraction] = m;
  const value = Number(whole);
  if (sign === "-" && (value !== 0 || (fraction !== undefined && /[1-9]/.test(fraction)))) throw new PabulibError(code, lineNo, `${what} '${text}' is negative`);
  if (fraction !== undefined && /[1-9]/.test(fraction)) throw new PabulibError(code, lineNo, `${what} '${text}' is not a whole number`);
  if (!Number.isSafeInteger(value)) throw new PabulibError(code, lineNo, `${what} '${text}' is too large`);
  return value;
}

class GrowableInt32 {
  data = new Int32Array(1024);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = x;
  }
  finish(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/** The line-by-line state machine behind both entry points. */
class PbParser {
  private section: Section = "none";
  private header: string[] | null = null;
  private headerLine = 0;
  private seen = new Set<Section>();
  private sectionLine: Record<Section, number> = { none: 0, meta: 0, projects: 0, votes: 0 };
  private lastLine = 0;

  private meta = new Map<string, string>();
  private metaLine = new Map<string, number>();
  private voteType: VoteType = "approval";
  private budget = 0;

  private projectColumns: string[] = [];
  private projects: PbProject[] = [];
  private projectIndex = new Map<string, number>();
  private costColumn = -1;
  private idColumn = -1;

  private voteColumns: string[] = [];
  private voterIdColumn = -1;
  private voteColumn = -1;
  private pointsColumn = -1;
  private voterIds: string[] = [];
  private voterIdSet = new Set<string>();
  private voterFields: string[][] | null;
  private ballotStart = new GrowableInt32();
  private ballotProject = new GrowableInt32();
  private ballotPoints: GrowableInt32 | null = null;
  private warnings: PbWarning[] = [];
  private repeatedApprovals = 0;
  private firstRepeatLine = 0;

  constructor(keepVoterFields: boolean) {
    this.voterFields = keepVoterFields ? [] : null;
    this.ballotStart.push(0);
  }

  line(raw: string, lineNo: number): void {
    this.lastLine = lineNo;
    let text = raw;
    if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.endsWith("\r")) text = text.slice(0, -1);
    if (text.trim() === "") return;
    const fields = splitFields(text, lineNo);
    const name = SECTION_NAMES[fields[0].toLowerCase()];
    if (name !== undefined && fields.slice(1).every((f) => f === "")) {
      this.startSection(name, lineNo);
      return;
    }
    if (this.section === "none") throw new PabulibError("missing-section", lineNo, "expected the META section to start here");
    if (this.header === null) {
      this.setHeader(fields, lineNo);
      return;
    }
    if (fields.length !== this.header.length) {
      throw new PabulibError("column-count", lineNo, `${fields.length} columns, but the ${this.section.toUpperCase()} header on line ${this.headerLine} has ${this.header.length}`);
    }
    if (this.section === "meta") this.metaRow(fields, lineNo);
    else if (this.section === "projects") this.projectRow(fields, lineNo);
    else this.voteRow(fields, lineNo);
  }

  private startSection(name: Section, lineNo: number): void {
    const expected: Section = this.section === "none" ? "meta" : this.section === "meta" ? "projects" : this.section === "projects" ? "votes" : "none";
    if (this.seen.has(name)) throw new PabulibError("section-order", lineNo, `a second ${name.toUpperCase()} section`);
    if (name !== expected) {
      const missing = expected === "none" ? name : expected;
      throw new PabulibError("section-order", lineNo, `${name.toUpperCase()} section before ${missing.toUpperCase()} (sections must come in the order META, PROJECTS, VOTES)`);
    }
    if (this.section !== "none" && this.header === null) throw new PabulibError("bad-header", lineNo, `the ${this.section.toUpperCase()} section on line ${this.sectionLine[this.section]} has no header row`);
    if (this.section === "meta") this.finishMeta(lineNo);
    this.section = name;
    this.seen.add(name);
    this.sectionLine[name] = lineNo;
    this.header = null;
  }

  private setHeader(fields: string[], lineNo: number): void {
    const lower = fields.map((f) => f.toLowerCase());
    const dup = lower.find((f, i) => lower.indexOf(f) !== i);
    if (dup !== undefined) throw new PabulibError("bad-header", lineNo, `column '${dup}' appears twice in the header`);
    if (this.section === "meta") {
      if (lower.length !== 2 || lower[0] !== "key" || lower[1] !== "value") throw new PabulibError("bad-header", lineNo, "the META header must be 'key;value'");
    } else if (this.section === "projects") {
      this.idColumn = lower.indexOf("project_id");
      this.costColumn = lower.indexOf("cost");
      if (this.idColumn < 0 || this.costColumn < 0) throw new PabulibError("bad-header", lineNo, "the PROJECTS header must have project_id and cost columns");
      this.projectColumns = fields;
    } else {
      this.voterIdColumn = lower.indexOf("voter_id");
      this.voteColumn = lower.indexOf("vote");
      this.pointsColumn = lower.indexOf("points");
      if (this.voterIdColumn < 0 || this.voteColumn < 0) throw new PabulibError("bad-header", lineNo, "the VOTES header must have voter_id and vote columns");
      const needsPoints = this.voteType === "cumulative" || this.voteType === "scoring";
      if (needsPoints && this.pointsColumn < 0) throw new PabulibError("bad-header", lineNo, `vote_type is ${this.voteType}, so the VOTES header needs a points column`);
      if (needsPoints) this.ballotPoints = new GrowableInt32();
      this.voteColumns = fields;
    }
    this.header = fields;
    this.headerLine = lineNo;
  }

  private metaRow(fields: string[], lineNo: number): void {
    const [key, value] = fields;
    if (key === "") throw new PabulibError("empty-id", lineNo, "a META entry without a key");
    if (this.meta.has(key)) throw new PabulibError("duplicate-meta", lineNo, `META key '${key}' is already given on line ${this.metaLine.get(key)}`);
    this.meta.set(key, value);
    this.metaLine.set(key, lineNo);
  }

  private finishMeta(lineNo: number): void {
    const budgetText = this.meta.get("budget");
    if (budgetText === undefined) throw new PabulibError("missing-meta", lineNo, `the META section (line ${this.sectionLine.meta}) has no budget`);
    const budgetLine = this.metaLine.get("budget")!;
    this.budget = parseAmount(budgetText, budgetLine, "budget", "bad-budget");
    if (this.budget <= 0) throw new PabulibError("bad-budget", budgetLine, "the budget must be greater than zero");
    const voteType = this.meta.get("vote_type");
    if (voteType === undefined) throw new PabulibError("missing-meta", lineNo, `the META section (line ${this.sectionLine.meta}) has no vote_type`);
    const normalized = voteType.toLowerCase() as VoteType;
    if (!VOTE_TYPES.includes(normalized)) throw new PabulibError("bad-vote-type", this.metaLine.get("vote_type")!, `unknown vote_type '${voteType}' (expected ${VOTE_TYPES.join(", ")})`);
    this.voteType = normalized;
  }

  private projectRow(fields: string[], lineNo: number): void {
    const id = fields[this.idColumn];
    if (id === "") throw new PabulibError("empty-id", lineNo, "a project without a project_id");
    const previous = this.projectIndex.get(id);
    if (previous !== undefined) throw new PabulibError("duplicate-project", lineNo, `project '${id}' is already listed on line ${this.projects[previous].line}`);
    const cost = parseAmount(fields[this.costColumn], lineNo, `cost of project '${id}'`, "bad-cost");
    this.projectIndex.set(id, this.projects.length);
    this.projects.push({ id, cost, line: lineNo, fields });
  }

  private voteRow(fields: string[], lineNo: number): void {
    const voterId = fields[this.voterIdColumn];
    if (voterId === "") throw new PabulibError("empty-id", lineNo, "a vote without a voter_id");
    if (this.voterIdSet.has(voterId)) throw new PabulibError("duplicate-voter", lineNo, `voter '${voterId}' has already voted`);
    this.voterIdSet.add(voterId);
    const voteText = fields[this.voteColumn];
    const ids = voteText === "" || voteText.toLowerCase() === "none" ? [] : voteText.split(",").map((s) => s.trim());
    let points: number[] | null = null;
    if (this.ballotPoints) {
      const pointsText = this.pointsColumn >= 0 ? fields[this.pointsColumn] : "";
      const parts = pointsText === "" || pointsText.toLowerCase() === "none" ? [] : pointsText.split(",");
      if (parts.length !== ids.length) throw new PabulibError("bad-points", lineNo, `${ids.length} projects in vote but ${parts.length} values in points`);
      points = parts.map((p) => {
        const value = parseAmount(p, lineNo, "points", "bad-points");
        if (value > 0x7fffffff) throw new PabulibError("bad-points", lineNo, `points '${p}' are too large`);
        return value;
      });
    }
    const chosen = new Set<number>();
    let repeated = false;
    ids.forEach((id, k) => {
      if (id === "") throw new PabulibError("bad-vote", lineNo, "an empty project id in the vote");
      const j = this.projectIndex.get(id);
      if (j === undefined) throw new PabulibError("unknown-project", lineNo, `vote for unknown project '${id}'`);
      if (chosen.has(j)) {
        if (this.voteType !== "approval") throw new PabulibError("bad-vote", lineNo, `project '${id}' appears twice in the vote`);
        repeated = true;
        return;
      }
      chosen.add(j);
      this.ballotProject.push(j);
      if (points && this.ballotPoints) this.ballotPoints.push(points[k]);
    });
    if (repeated) {
      if (this.repeatedApprovals++ === 0) this.firstRepeatLine = lineNo;
    }
    if (this.voteType === "choose-1" && chosen.size > 1) throw new PabulibError("bad-vote", lineNo, `vote_type is choose-1 but the vote names ${chosen.size} projects`);
    if (this.ballotStart.length > 0x7ffffffe || this.ballotProject.length > 0x7ffffffe) throw new PabulibError("too-many", lineNo, "too many votes");
    this.ballotStart.push(this.ballotProject.length);
    this.voterIds.push(voterId);
    if (this.voterFields) this.voterFields.push(fields);
  }

  finish(): PbElection {
    for (const name of ["meta", "projects", "votes"] as const) {
      if (!this.seen.has(name)) throw new PabulibError("missing-section", Math.max(1, this.lastLine), `the file has no ${name.toUpperCase()} section`);
    }
    if (this.header === null) throw new PabulibError("bad-header", this.sectionLine.votes, "the VOTES section has no header row");
    const check = (key: string, actual: number, what: string) => {
      const text = this.meta.get(key);
      if (text !== undefined && /^\d+$/.test(text.trim()) && Number(text) !== actual) {
        this.warnings.push({ line: this.metaLine.get(key)!, message: `META ${key} says ${text.trim()} but the file has ${actual} ${what}` });
      }
    };
    check("num_projects", this.projects.length, "projects");
    check("num_votes", this.voterIds.length, "votes");
    if (this.repeatedApprovals > 0) {
      this.warnings.push({ line: this.firstRepeatLine, message: `${this.repeatedApprovals} vote(s) approve the same project twice; counted once` });
    }
    const profile: Profile = {
      budget: this.budget,
      projectIds: this.projects.map((p) => p.id),
      costs: this.projects.map((p) => p.cost),
      voterCount: this.voterIds.length,
      ballotStart: this.ballotStart.finish(),
      ballotProject: this.ballotProject.finish(),
      ballotPoints: this.ballotPoints ? this.ballotPoints.finish() : null,
    };
    return {
      meta: this.meta,
      voteType: this.voteType,
      budget: this.budget,
      projectColumns: this.projectColumns,
      projects: this.projects,
      voteColumns: this.voteColumns,
      voterIds: this.voterIds,
      voterFields: this.voterFields,
      profile,
      warnings: this.warnings,
    };
  }
}

/** Parses .pb text already in memory. */
export function parsePabulib(text: string, options: ParseOptions = {}): PbElection {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  // A UTF-16 code unit is at most 3 UTF-8 bytes; count exactly only when it could matter.
  if (text.length * 3 > maxBytes && Buffer.byteLength(text, "utf8") > maxBytes) throw tooLarge(Buffer.byteLength(text, "utf8"), maxBytes);
  const parser = new PbParser(options.keepVoterFields ?? true);
  let lineNo = 0;
  let start = 0;
  for (;;) {
    const nl = text.indexOf("\n", start);
    lineNo++;
    if (nl < 0) {
      if (start < text.length) parser.line(text.slice(start), lineNo);
      break;
    }
    parser.line(text.slice(start, nl), lineNo);
    start = nl + 1;
  }
  return parser.finish();
}

/** Streams a .pb file line by line; refuses it before reading if it is over the size limit. */
export async function readPabulibFile(path: string, options: ParseOptions = {}): Promise<PbElection> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const info = await stat(path);
  if (!info.isFile()) throw new Error(`${path} is not a file`);
  if (info.size > maxBytes) throw tooLarge(info.size, maxBytes);
  const parser = new PbParser(options.keepVoterFields ?? true);
  let lineNo = 0;
  let rest = "";
  let bytes = 0;
  const stream = createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<string>) {
    bytes += Buffer.byteLength(chunk, "utf8");
    if (bytes > maxBytes) {
      stream.destroy();
      throw tooLarge(bytes, maxBytes); // the file grew while we read it
    }
    let start = 0;
    let text = chunk;
    if (rest !== "") {
      text = rest + chunk;
      rest = "";
    }
    for (;;) {
      const nl = text.indexOf("\n", start);
      if (nl < 0) {
        rest = text.slice(start);
        break;
      }
      parser.line(text.slice(start, nl), ++lineNo);
      start = nl + 1;
    }
  }
  if (rest !== "") parser.line(rest, ++lineNo);
  return parser.finish();
}

function tooLarge(size: number, maxBytes: number): PabulibError {
  const mb = (x: number) => `${(x / (1024 * 1024)).toFixed(1)} MB`;
  return new PabulibError("too-large", null, `the file is ${mb(size)}, over the ${mb(maxBytes)} limit; it was not read`);
}
