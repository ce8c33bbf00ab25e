import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { basename } from "node:path";
import { Transform, type Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { ImportError } from "./errors.js";

export interface SourceFile {
  path: string;
  name: string;
  sizeBytes: number;
  sha256: string;
  gzipped: boolean;
}

/** Hashes a file and checks it is something we can read, before any row is touched. */
export async function describeSource(path: string): Promise<SourceFile> {
  const name = basename(path);
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new ImportError(name, null, null, "the file does not exist or cannot be read");
  }
  if (!info.isFile()) throw new ImportError(name, null, null, "not a regular file");
  if (info.size === 0) throw new ImportError(name, null, null, "the file is empty");
  const { gzipped, nulLine } = await sniff(path);
  // Refuse a binary file (or a sparse one, all NULs) before hashing it: hashing reads every byte.
  if (nulLine !== null) throw new ImportError(name, nulLine, null, "the file holds binary data (a NUL byte), not CSV text");
  return { path, name, sizeBytes: info.size, sha256: await sha256File(path), gzipped };
}

/** Reads the first 64 KB: gzip magic, or (for plain text) the line of the first NUL byte. */
async function sniff(path: string): Promise<{ gzipped: boolean; nulLine: number | null }> {
  const handle = await open(path, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
    const head = buffer.subarray(0, bytesRead);
    const gzipped = bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b;
    const nul = gzipped ? -1 : head.indexOf(0);
    return { gzipped, nulLine: nul >= 0 ? 1 + countNewlines(head.subarray(0, nul)) : null };
  } finally {
    await handle.close();
  }
}

function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

/**
 * The file's text as a stream: gunzipped when needed, refused when it holds NUL
 * bytes (a binary file, not CSV). `onBytes` reports raw bytes read, for progress.
 */
export function openText(source: SourceFile, onBytes?: (bytesRead: number) => void): Readable {
  let read = 0;
  const raw = createReadStream(source.path, { highWaterMark: 256 * 1024 });
  raw.on("data", (chunk) => {
    read += chunk.length;
    onBytes?.(read);
  });
  const decoded = source.gzipped ? raw.pipe(createGunzip()) : raw;
  const guard = refuseBinary(source.name);
  raw.on("error", (error) => guard.destroy(error));
  decoded.on("error", () => guard.destroy(new ImportError(source.name, null, null, "the file is not valid gzip")));
  guard.on("close", () => raw.destroy());
  return decoded.pipe(guard);
}

function refuseBinary(name: string): Transform {
  let line = 1;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const nul = chunk.indexOf(0);
      if (nul >= 0) {
        line += countNewlines(chunk.subarray(0, nul));
        callback(new ImportError(name, line, null, "the file holds binary data (a NUL byte), not CSV text"));
        return;
      }
      line += countNewlines(chunk);
      callback(null, chunk);
    },
  });
}

function countNewlines(chunk: Buffer): number {
  let count = 0;
  for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) count += 1;
  return count;
}
