/**
 * What a file really is, from its first bytes. The name and the type the browser
 * declared are never trusted: a `.jpg` that is HTML, a script or a program is
 * refused here whatever it is called.
 */

export const EVIDENCE_TYPES = ["image/jpeg", "image/png", "application/pdf", "video/mp4", "audio/mpeg"] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

/** The accepted types as people say them, for messages. */
export const ACCEPTED_TYPES_TEXT = "JPEG, PNG, PDF, MP4, MP3";

/** The extension a served file is named with. */
export const EXTENSION: Record<EvidenceType, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "application/pdf": "pdf",
  "video/mp4": "mp4",
  "audio/mpeg": "mp3",
};

/** Short labels for lists. */
export const TYPE_LABEL: Record<EvidenceType, string> = {
  "image/jpeg": "JPEG",
  "image/png": "PNG",
  "application/pdf": "PDF",
  "video/mp4": "MP4",
  "audio/mpeg": "MP3",
};

export const isImage = (type: EvidenceType) => type === "image/jpeg" || type === "image/png";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) =>
  bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);
const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, Math.min(to, bytes.length)));
const asciiAt = (bytes: Uint8Array, text: string, at = 0) => startsWith(bytes, [...text].map((ch) => ch.charCodeAt(0)), at);

/** Brands of the ISO base media file format that are MP4 video. QuickTime ("qt  "), HEIF and 3GP are not. */
const MP4_BRANDS = new Set(["isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7", "iso8", "iso9", "mp41", "mp42", "avc1", "M4V ", "dash", "mmp4", "MSNV"]);

/** The type of `bytes`, or null when it is none of the accepted types. */
export function detectType(bytes: Uint8Array): EvidenceType | null {
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (startsWith(bytes, PNG_SIGNATURE)) return "image/png";
  // "%PDF-1.7": at the very start. Readers accept junk before it; we do not, so a
  // file cannot be HTML to one program and PDF to another.
  if (asciiAt(bytes, "%PDF-") && bytes.length > 5 && bytes[5] >= 0x30 && bytes[5] <= 0x39) return "application/pdf";
  if (isMp4(bytes)) return "video/mp4";
  if (isMp3(bytes)) return "audio/mpeg";
  return null;
}

/** The first box is `ftyp`, whole, naming an MP4 brand as its major or a compatible brand. */
function isMp4(bytes: Uint8Array): boolean {
  if (bytes.length < 16 || !asciiAt(bytes, "ftyp", 4)) return false;
  const size = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  if (size < 16 || size > bytes.length || size % 4 !== 0 || size > 4096) return false;
  const brands = [ascii(bytes, 8, 12)];
  for (let at = 16; at + 4 <= size; at += 4) brands.push(ascii(bytes, at, at + 4));
  return brands.some((brand) => MP4_BRANDS.has(brand));
}

// MPEG audio layer III: kbit/s by bitrate index, per MPEG version; sample rates in Hz.
const BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const SAMPLE_RATES_V1 = [44100, 48000, 32000];

/** The length of the layer III frame whose header starts at `at`; 0 for free format; null if it is no frame header. */
function mp3FrameLength(bytes: Uint8Array, at: number): number | null {
  if (at + 4 > bytes.length) return null;
  const [b0, b1, b2] = [bytes[at], bytes[at + 1], bytes[at + 2]];
  if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0) return null;
  const version = (b1 >> 3) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5, 1: reserved
  const layer = (b1 >> 1) & 3; // 1: layer III
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (version === 1 || layer !== 1 || bitrateIndex === 15 || rateIndex === 3) return null;
  if (bitrateIndex === 0) return 0;
  const mpeg1 = version === 3;
  const kbps = (mpeg1 ? BITRATES_V1 : BITRATES_V2)[bitrateIndex];
  const rate = SAMPLE_RATES_V1[rateIndex] / (mpeg1 ? 1 : version === 2 ? 2 : 4);
  const padding = (b2 >> 1) & 1;
  return Math.floor(((mpeg1 ? 144_000 : 72_000) * kbps) / rate) + padding;
}

/**
 * ID3v2 tags (skipped), then a layer III frame header; when the file is long
 * enough, the next frame must follow where the first one says it ends, so a
 * stray 0xFF 0xFB at the start of some other file is not taken for audio.
 */
function isMp3(bytes: Uint8Array): boolean {
  let at = 0;
  for (let tags = 0; tags < 4 && asciiAt(bytes, "ID3", at); tags += 1) {
    if (at + 10 > bytes.length) return false;
    const major = bytes[at + 3];
    const sizeBytes = bytes.subarray(at + 6, at + 10);
    if (major < 2 || major > 4 || sizeBytes.some((b) => b >= 0x80)) return false;
    const size = (sizeBytes[0] << 21) | (sizeBytes[1] << 14) | (sizeBytes[2] << 7) | sizeBytes[3];
    const footer = bytes[at + 5] & 0x10 ? 10 : 0;
    at += 10 + size + footer;
  }
  // Some writers pad after the tag beyond its declared size.
  const padEnd = Math.min(bytes.length, at + 65_536);
  while (at < padEnd && bytes[at] === 0) at += 1;
  const length = mp3FrameLength(bytes, at);
  if (length === null) return false;
  if (length === 0 || at + length + 4 > bytes.length) return true;
  return mp3FrameLength(bytes, at + length) !== null;
}

/** What a refused file looks like it is, for a message that helps: "HTML or a script", "a program". */
export function describeContent(bytes: Uint8Array): string {
  if (bytes.length === 0) return "empty";
  let start = 0;
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) start = 3;
  while (start < Math.min(bytes.length, 1024) && [0x09, 0x0a, 0x0d, 0x20].includes(bytes[start])) start += 1;
  const head = ascii(bytes, start, start + 64).toLowerCase();
  if (/^<(!doctype|html|head|body|script|svg|iframe|\?xml|meta|a |div|img|object|embed)/.test(head)) return "HTML, SVG or XML (which can carry scripts)";
  if (head.startsWith("#!")) return "a script";
  if (startsWith(bytes, [0x4d, 0x5a])) return "a Windows program";
  if (startsWith(bytes, [0x7f, 0x45, 0x4c, 0x46])) return "a Linux program";
  if ([[0xfe, 0xed, 0xfa, 0xce], [0xfe, 0xed, 0xfa, 0xcf], [0xce, 0xfa, 0xed, 0xfe], [0xcf, 0xfa, 0xed, 0xfe], [0xca, 0xfe, 0xba, 0xbe]].some((m) => startsWith(bytes, m))) return "a macOS program";
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return "a ZIP archive or office document";
  if (asciiAt(bytes, "GIF8")) return "a GIF image";
  if (asciiAt(bytes, "RIFF") && asciiAt(bytes, "WEBP", 8)) return "a WebP image";
  if (asciiAt(bytes, "ftyp", 4)) {
    const brand = ascii(bytes, 8, 12);
    if (["heic", "heix", "mif1", "msf1", "hevc", "avif"].includes(brand)) return "a HEIC/AVIF photo (please send it as JPEG)";
    if (brand === "qt  ") return "a QuickTime (.mov) video (please send it as MP4)";
    return "a media file of a kind not accepted";
  }
  return "not a file of an accepted type";
}
