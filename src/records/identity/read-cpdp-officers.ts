/**
 * Read officer mentions from the Invisible Institute's Chicago CPDP exports
 * (gzipped CSV). Streams rows (node:zlib gunzip + csv-parse) into a
 * MentionCollector so memory grows with the number of distinct officer ids,
 * not the number of rows.
 */
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'csv-parse';
import { MentionCollector, undoNonLeap2000Shift, type MentionsFromRowsOptions, type OfficerMention, type Row } from './matcher.js';

/** The four files that carry officer identities, roster first. */
export const CPDP_OFFICER_FILES = [
  'roster_1969-2023_2023-07_p858785',
  'complaints-accused_2000-2023_2023-08_p053540',
  'complaints-accused_2000-2023_2023-09_p867849',
  'TRR-officers_2020-2021_2021-06_p660692',
] as const;

/**
 * Known per-file artifacts. complaints-accused p867849 reports every appointed
 * date after 2000-02-29 one day late (a converter that treats 2000 as a
 * non-leap year). Matching its officers to the roster and p053540 on first
 * name + last name + birth year: every date up to 2000-02-28 agrees exactly and
 * every date from the next academy class (2000-06-19) on is exactly +1 day
 * (~3,600 vs ~9,600 roster matches). We undo the shift on read.
 */
export const CPDP_FILE_OPTIONS: Record<string, MentionsFromRowsOptions> = {
  'complaints-accused_2000-2023_2023-09_p867849': { fixAppointedDate: undoNonLeap2000Shift },
};

export interface CpdpFileStats {
  source: string;
  rows: number;
  mentions: number;
  /** ids whose name is a placeholder (UNKNOWN, NA, ...) and were dropped */
  placeholders: number;
}

function toPath(p: string | URL): string {
  return p instanceof URL ? fileURLToPath(p) : p;
}

/** Stream one `<source>.csv.gz` file and collapse it into one mention per local id. */
export async function readCpdpOfficerFile(
  file: string | URL,
  source?: string,
): Promise<{ mentions: OfficerMention[]; stats: CpdpFileStats }> {
  const path = toPath(file);
  const name = source ?? path.replace(/^.*[\\/]/, '').replace(/\.csv(\.gz)?$/, '');
  const parser = parse({ columns: true, skip_empty_lines: true, relax_column_count: true, bom: true });
  let result: { mentions: OfficerMention[]; stats: CpdpFileStats } | undefined;
  const consume = async (records: AsyncIterable<Row>) => {
    result = await collectCpdpMentions(records, name);
  };
  if (path.endsWith('.gz')) await pipeline(createReadStream(path), createGunzip(), parser, consume);
  else await pipeline(createReadStream(path), parser, consume);
  return result!;
}

/** One mention per local id from a CPDP file's rows, whoever read them. */
export async function collectCpdpMentions(
  records: AsyncIterable<Row>,
  source: string,
  /** Sees every row as read, for callers that want more from the same pass. */
  onRow?: (row: Row) => void,
): Promise<{ mentions: OfficerMention[]; stats: CpdpFileStats }> {
  const collector = new MentionCollector(source, CPDP_FILE_OPTIONS[source] ?? {});
  for await (const row of records) {
    collector.add(row);
    onRow?.(row);
  }
  const mentions = collector.finish();
  return { mentions, stats: { source, rows: collector.rows, mentions: mentions.length, placeholders: collector.placeholders } };
}

/**
 * Read all four officer files from a directory (URL or path). Throws if any
 * file is missing — callers (and tests) must not silently get an empty set.
 */
export async function readCpdpOfficers(
  dir: string | URL,
  files: readonly string[] = CPDP_OFFICER_FILES,
): Promise<{ mentions: OfficerMention[]; stats: CpdpFileStats[] }> {
  const base = dir instanceof URL ? dir : pathToFileURL(toPath(dir).replace(/\/?$/, '/'));
  const urls = files.map((f) => new URL(`${f}.csv.gz`, base));
  for (const u of urls) {
    try {
      await access(u);
    } catch {
      throw new Error(`CPDP officer file missing: ${fileURLToPath(u)}`);
    }
  }
  const results = await Promise.all(urls.map((u, i) => readCpdpOfficerFile(u, files[i])));
  return { mentions: results.flatMap((r) => r.mentions), stats: results.map((r) => r.stats) };
}
