import { extract, pack } from "tar-stream";

/**
 * Tar archives held whole in memory, through `tar-stream` (the streaming tar
 * library most of npm's tooling builds on): a backup file is a gzipped tar, so
 * `tar tzf` lists it, and PGlite's own data-directory dump is a tar as well.
 */

export interface TarEntry {
  name: string;
  type: "file" | "directory";
  /** Permission bits, e.g. 0o600. */
  mode: number;
  /** Seconds since the epoch. */
  mtime: number;
  data: Uint8Array;
}

/** A tar that cannot be read: cut short or not a tar at all. */
export class TarError extends Error {
  override readonly name = "TarError";
}

/** The file and directory entries of a tar, in order. Rejects with TarError when it is cut short or damaged. */
export async function readTar(bytes: Uint8Array): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  const reader = extract();
  const done = (async () => {
    for await (const entry of reader) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      const { name, type, mode, mtime } = entry.header;
      if (type === "file" || type === "directory") {
        entries.push({ name: type === "directory" ? name.replace(/\/$/, "") : name, type, mode: mode ?? 0o644, mtime: Math.floor((mtime?.getTime() ?? 0) / 1000), data: Buffer.concat(chunks) });
      }
    }
  })();
  reader.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  try {
    await done;
  } catch (error) {
    throw new TarError(`the archive is damaged or cut short (${error instanceof Error ? error.message : String(error)})`);
  }
  return entries;
}

/** A tar of the given entries. */
export async function writeTar(entries: readonly TarEntry[]): Promise<Buffer> {
  const writer = pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of writer) chunks.push(chunk as Buffer);
  })();
  for (const entry of entries) {
    const header = { name: entry.name, mode: entry.mode, mtime: new Date(entry.mtime * 1000), type: entry.type };
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error | null) => (error ? reject(error) : resolve());
      if (entry.type === "file") writer.entry(header, Buffer.from(entry.data.buffer, entry.data.byteOffset, entry.data.byteLength), done);
      else writer.entry(header, done);
    });
  }
  writer.finalize();
  await collected;
  return Buffer.concat(chunks);
}
