import { CsvError, Parser } from "csv-parse";
import { ImportError } from "./errors.js";
import type { CsvRecord } from "./format.js";
import { openText, type SourceFile } from "./source.js";

/** A rejected row: its line, why, and its values when it could be read at all. */
export interface Reject {
  line: number;
  reason: string;
  record: CsvRecord | null;
}

/** What reading a CSV file yields, in order: its header, then each record or unreadable row. */
export type CsvEvent = { header: string[] } | { record: CsvRecord; line: number } | { unreadable: Reject };

export interface ReadOptions {
  /** Unreadable rows (broken quoting, wrong field count) become events instead of stopping the read. */
  skipBadRows: boolean;
  /** Raw bytes read so far, for a progress bar. */
  onBytes?: (bytesRead: number) => void;
}

/**
 * Reads a source file's records with the header's (trimmed) names as keys. Errors
 * come out as ImportErrors naming the file and line; the file is released however
 * the reading ends.
 */
export async function* readCsv(source: SourceFile, options: ReadOptions): AsyncGenerator<CsvEvent> {
  const text = openText(source, options.onBytes);
  // csv-parse reports an unreadable row as soon as it meets it, ahead of records still buffered: each waits for its place by line.
  const unreadable: { unreadable: Reject }[] = [];
  const parser = new RecordParser({
    bom: true,
    skip_empty_lines: true,
    relax_quotes: false,
    skip_records_with_error: options.skipBadRows,
    on_skip: (error) => {
      const reason = error instanceof CsvError ? describeCsvError(error) : "unreadable row";
      unreadable.push({ unreadable: { line: Number((error as { lines?: number } | undefined)?.lines ?? 0), reason, record: null } });
      return undefined;
    },
  });
  text.pipe(parser);
  // pipe() does not forward errors: without this a binary file's ImportError is an unhandled 'error' event.
  text.on("error", (error) => parser.destroy(error));
  try {
    for await (const event of parser as AsyncIterable<CsvEvent>) {
      if ("record" in event) while (unreadable.length && unreadable[0].unreadable.line < event.line) yield unreadable.shift()!;
      yield event;
    }
  } catch (error) {
    throw asImportError(error, source.name, parser.shape?.names ?? null);
  } finally {
    // A read stopped early must still release the file.
    text.destroy();
  }
  yield* unreadable.splice(0);
}

/**
 * csv-parse's parser, handing on the header and then each row as a record with
 * the line it ends on. Its own `info` and `columns` options cost a copy of the
 * parser's state per row and a defined property per field; the line count it
 * keeps is the same number, read as each row is handed on.
 */
class RecordParser extends Parser {
  /** Set as soon as the header row is parsed, so an error on the next row can name its column. */
  shape: RecordShape | null = null;

  override push(fields: unknown, encoding?: BufferEncoding): boolean {
    if (fields === null) return super.push(null, encoding);
    if (!this.shape) {
      this.shape = new RecordShape(fields as string[]);
      return super.push({ header: this.shape.names } satisfies CsvEvent, encoding);
    }
    return super.push({ record: this.shape.record(fields as string[]), line: this.info.lines } satisfies CsvEvent, encoding);
  }
}

/** A header's names, turning each row's fields into a record keyed by them. */
class RecordShape {
  readonly names: string[];
  // A column named __proto__ would set the record's prototype if assigned: it is defined instead.
  private readonly hasProtoColumn: boolean;

  constructor(fields: string[]) {
    this.names = fields.map((column) => column.trim());
    this.hasProtoColumn = this.names.includes("__proto__");
  }

  record(fields: string[]): CsvRecord {
    const record: CsvRecord = {};
    const names = this.names;
    for (let i = 0; i < names.length; i++) {
      if (this.hasProtoColumn && names[i] === "__proto__") Object.defineProperty(record, names[i], { value: fields[i], enumerable: true, writable: true, configurable: true });
      else record[names[i]] = fields[i];
    }
    return record;
  }
}

function asImportError(error: unknown, file: string, header: string[] | null): Error {
  if (error instanceof ImportError) return error;
  if (error instanceof CsvError) {
    // Without csv-parse's `columns`, an error names the field by its index: the header names it.
    const index = (error as { column?: unknown }).column;
    const column = typeof index === "number" ? (header?.[index] ?? null) : null;
    return new ImportError(file, (error as CsvError & { lines?: number }).lines ?? null, column, describeCsvError(error));
  }
  return error instanceof Error ? error : new Error(String(error));
}

function describeCsvError(error: CsvError): string {
  if (error.code === "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH" || error.code === "CSV_RECORD_INCONSISTENT_COLUMNS") {
    return "the row has a different number of fields than the header";
  }
  if (error.code?.startsWith("CSV_QUOTE") || error.code === "INVALID_OPENING_QUOTE" || error.code === "CSV_INVALID_CLOSING_QUOTE") {
    return "broken quoting (a quote is opened and not closed, or stray text follows a closing quote)";
  }
  return error.message;
}

/**
 * Files a format reads before their turn (the CPDP importer reads the officer
 * files first to link people across them). Their events are kept, and when the
 * file's turn comes they are replayed instead of reading it a second time.
 */
export class ReadAhead {
  private readonly kept = new Map<string, CsvEvent[]>();

  constructor(
    private readonly skipBadRows: boolean,
    private readonly onBytes: (source: SourceFile, bytesRead: number) => void = () => undefined,
  ) {}

  /** The file's records, read now and kept for its turn. */
  async *records(source: SourceFile): AsyncGenerator<CsvRecord> {
    const events: CsvEvent[] = [];
    for await (const event of this.read(source)) {
      events.push(event);
      if ("record" in event) yield event.record;
    }
    this.kept.set(source.sha256, events);
  }

  /** The file's events: replayed (and let go) when read ahead, else read from the file. */
  events(source: SourceFile): AsyncIterable<CsvEvent> {
    const kept = this.kept.get(source.sha256);
    if (!kept) return this.read(source);
    this.kept.delete(source.sha256);
    // Progress through a replay is told in the file's bytes, in proportion to the events replayed.
    return replay(kept, (replayed) => this.onBytes(source, Math.round((source.sizeBytes * replayed) / kept.length)));
  }

  private read(source: SourceFile): AsyncGenerator<CsvEvent> {
    return readCsv(source, { skipBadRows: this.skipBadRows, onBytes: (bytes) => this.onBytes(source, bytes) });
  }
}

const REPLAY_PROGRESS_EVERY = 1024;

async function* replay(events: CsvEvent[], onReplayed: (replayed: number) => void): AsyncGenerator<CsvEvent> {
  // Each event is let go once replayed, so the memory comes back as the file is written.
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    (events as unknown[])[i] = undefined;
    yield event;
    if ((i + 1) % REPLAY_PROGRESS_EVERY === 0) onReplayed(i + 1);
  }
  onReplayed(events.length);
}
