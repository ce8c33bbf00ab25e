/**
 * The little of the tar format (POSIX ustar) a backup needs: regular files and
 * directories, read and written whole in memory. A backup file is a gzipped tar,
 * so `tar tzf` lists it; PGlite's own data-directory dump is a tar as well.
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

const BLOCK = 512;

/** The entries of a tar, in order. Throws TarError when it is cut short or a header is damaged. */
export function readTar(bytes: Uint8Array): TarEntry[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: TarEntry[] = [];
  let offset = 0;
  for (;;) {
    if (offset + BLOCK > buf.length) throw new TarError("the archive ends before its closing blocks (it may be truncated)");
    const header = buf.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) return entries;
    if (!checksumMatches(header)) throw new TarError(`the archive is damaged at byte ${offset} (a header checksum does not match)`);
    const size = octal(header, 124, 12);
    const flag = String.fromCharCode(header[156] || 48);
    const prefix = text(header, 345, 155);
    const name = prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100);
    const start = offset + BLOCK;
    if (start + size > buf.length) throw new TarError(`the archive ends inside ${name} (it may be truncated)`);
    if (flag === "0" || flag === "5") {
      entries.push({ name, type: flag === "5" ? "directory" : "file", mode: octal(header, 100, 8), mtime: octal(header, 136, 12), data: buf.subarray(start, start + size) });
    }
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
}

/** A tar of the given entries (names up to 100 bytes, or 255 split at a slash). */
export function writeTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const header = Buffer.alloc(BLOCK);
    const [prefix, name] = splitName(entry.name);
    header.write(name, 0, 100, "utf8");
    writeOctal(header, 100, 8, entry.mode & 0o7777);
    writeOctal(header, 108, 8, 0);
    writeOctal(header, 116, 8, 0);
    const size = entry.type === "file" ? entry.data.byteLength : 0;
    writeOctal(header, 124, 12, size);
    writeOctal(header, 136, 12, Math.floor(entry.mtime));
    header.fill(0x20, 148, 156);
    header.write(entry.type === "file" ? "0" : "5", 156, 1, "ascii");
    header.write("ustar\u000000", 257, 8, "ascii");
    header.write(prefix, 345, 155, "utf8");
    let sum = 0;
    for (const byte of header) sum += byte;
    writeOctal(header, 148, 7, sum);
    parts.push(header);
    if (size) {
      parts.push(Buffer.from(entry.data.buffer, entry.data.byteOffset, entry.data.byteLength));
      const pad = (BLOCK - (size % BLOCK)) % BLOCK;
      if (pad) parts.push(Buffer.alloc(pad));
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

function splitName(full: string): [string, string] {
  if (Buffer.byteLength(full) <= 100) return ["", full];
  const cut = full.lastIndexOf("/", 155);
  if (cut <= 0 || Buffer.byteLength(full.slice(cut + 1)) > 100) throw new TarError(`the name ${full} is too long for a tar entry`);
  return [full.slice(0, cut), full.slice(cut + 1)];
}

function checksumMatches(header: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
  return sum === octal(header, 148, 8);
}

function text(header: Buffer, start: number, length: number): string {
  const field = header.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? length : end).toString("utf8");
}

function octal(header: Buffer, start: number, length: number): number {
  const value = text(header, start, length).trim();
  return value ? parseInt(value, 8) : 0;
}

function writeOctal(header: Buffer, start: number, length: number, value: number): void {
  header.write(value.toString(8).padStart(length - 1, "0") + "\0", start, length, "ascii");
}
