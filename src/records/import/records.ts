import { parse, CsvError } from "csv-parse";
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
  let header: string[] | null = null;
  // csv-parse reports an unreadable row as soon as it meets it, ahead of records still buffered: each waits for its place by line.
  const unreadable: { unreadable: Reject }[] = [];
  const parser = text.pipe(
    parse({
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_quotes: false,
      skip_records_with_error: options.skipBadRows,
      on_skip: (error) => {
        const reason = error instanceof CsvError ? describeCsvError(error) : "unreadable row";
        unreadable.push({ unreadable: { line: Number((error as { lines?: number } | undefined)?.lines ?? 0), reason, record: null } });
        return undefined;
      },
      columns: (names: string[]) => (header = names.map((column) => column.trim())),
    }),
  );
  // pipe() does not forward errors: without this a binary file's ImportError is an unhandled 'error' event.
  text.on("error", (error) => parser.destroy(error));
  let headerSent = false;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: CsvRecord; info: { lines: number } }>) {
      if (!headerSent && header) {
        headerSent = true;
        yield { header };
      }
      while (unreadable.length && unreadable[0].unreadable.line < info.lines) yield unreadable.shift()!;
      yield { record, line: info.lines };
    }
  } catch (error) {
    throw asImportError(error, source.name);
  } finally {
    // A read stopped early must still release the file.
    text.destroy();
  }
  if (!headerSent && header) yield { header };
  yield* unreadable.splice(0);
}

function asImportError(error: unknown, file: string): Error {
  if (error instanceof ImportError) return error;
  if (error instanceof CsvError) {
    const column = typeof error.column === "string" ? error.column : null;
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
    return replay(kept);
  }

  private read(source: SourceFile): AsyncGenerator<CsvEvent> {
    return readCsv(source, { skipBadRows: this.skipBadRows, onBytes: (bytes) => this.onBytes(source, bytes) });
  }
}

async function* replay(events: CsvEvent[]): AsyncGenerator<CsvEvent> {
  // Each event is let go once replayed, so the memory comes back as the file is written.
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    (events as unknown[])[i] = undefined;
    yield event;
  }
}
