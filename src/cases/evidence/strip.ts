/**
 * Removes metadata from images before anyone is shown them: where and when a
 * photo was taken, the phone that took it, the names typed into it, thumbnails
 * of what it showed before it was cropped. The original bytes are kept, by their
 * sha256, as the evidence; what people are shown is the stripped copy.
 *
 * Both strippers keep only what is known to be needed to draw the picture
 * (an allow-list), and drop everything after the image's end.
 *
 * JPEG keeps: the image segments (SOF, DHT, DQT, DRI, SOS and the scans, …);
 *   APP0 JFIF (rewritten without its thumbnail); APP14 Adobe (needed to decode
 *   CMYK/YCCK colour; 12 bytes of flags); APP2 ICC_PROFILE (the colour profile,
 *   kept so that colours — bruising, for instance — render as photographed; a
 *   profile describes a colour space, and carries its vendor's name and the date
 *   the *profile* was made, not when or where the photo was); and, when the photo
 *   was rotated by an EXIF Orientation tag, a new EXIF block holding only that
 *   tag, so a portrait photo does not show sideways.
 * JPEG drops: APP1 (EXIF with GPS, camera, dates, its embedded thumbnail; XMP
 *   and extended XMP), APP13 (Photoshop, IPTC), APP2 other than ICC (MPF, FPXR),
 *   APP3–APP12, APP15, APP0 other than JFIF (JFXX thumbnails), COM comments, and
 *   anything after EOI (MPF secondary images, Samsung trailers, motion-photo video).
 * PNG keeps: IHDR, PLTE, IDAT, IEND, any other critical chunk, and the ancillary
 *   chunks that affect rendering: tRNS, cHRM, gAMA, iCCP, sBIT, sRGB, cICP, mDCv,
 *   cLLi, bKGD, hIST, pHYs, and APNG's acTL, fcTL, fdAT.
 * PNG drops: tEXt, zTXt, iTXt, eXIf, tIME and every other ancillary chunk
 *   (sPLT, caBX content credentials, dSIG, private chunks), and anything after IEND.
 *
 * Not stripped, by design and said plainly: pixels. A face, a street sign, a
 * reflection or a watermark in the picture itself stays; so do steganographic
 * data and the encoder's quantisation tables (which can hint at the camera model).
 * PDFs, MP4 and MP3 files are not stripped here (see `stripMetadata`); PDFs are
 * rendered to pictures in a new PDF instead (pdf-render.ts).
 */
import type { EvidenceType } from "./detect.js";

/** An image that cannot be read well enough to be cleaned; it is refused rather than shared uncleaned. */
export class StripError extends Error {}

export interface Stripped {
  bytes: Uint8Array;
  /** How many segments or chunks were removed (trailing data counts as one). */
  removed: number;
  /** False when the type is kept as-is (PDF, MP4, MP3). */
  stripped: boolean;
  /** An image's size as its header states it (JPEG's frame header, PNG's IHDR); absent for other types. */
  dimensions?: { width: number; height: number };
}

/**
 * The copy of a file that may be shown to people.
 *
 * PDF, MP4 and MP3 are returned unchanged, and what they can hold stays:
 * - PDF: the Info dictionary (Author, Creator, Producer, dates), XMP metadata
 *   streams, and any images inside with their own EXIF (a PDF made from a phone
 *   photo can carry its GPS position); also annotations, form data and
 *   JavaScript. Files that arrive through a form are then rendered
 *   (`withRenderedPdf` in check.ts, pdf-render.ts): the copy shown is a new PDF
 *   of page pictures. Only staff who may know who complained are shown PDFs.
 * - MP4: `udta`/`meta` atoms — phones write the recording place (©xyz,
 *   com.apple.quicktime.location.ISO6709), the device make and model, and
 *   creation dates there.
 * - MP3: ID3 tags (names, comments, the recording app, embedded pictures).
 */
export function stripMetadata(type: EvidenceType, bytes: Uint8Array): Stripped {
  if (type === "image/jpeg") return stripJpeg(bytes);
  if (type === "image/png") return stripPng(bytes);
  return { bytes, removed: 0, stripped: false };
}

// ---------------------------------------------------------------- JPEG

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const COM = 0xfe;
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP2 = 0xe2;
const APP14 = 0xee;
const APP15 = 0xef;

const isStandalone = (marker: number) => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
const isSof = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
const startsWithText = (bytes: Uint8Array, text: string) => bytes.length >= text.length && [...text].every((ch, i) => bytes[i] === ch.charCodeAt(0));

/** Walks a JPEG's segments and keeps only those needed to decode it. */
export function stripJpeg(input: Uint8Array): Stripped {
  if (input.length < 4 || input[0] !== 0xff || input[1] !== SOI) throw new StripError("not a JPEG: no start-of-image marker");
  const out: Uint8Array[] = [input.subarray(0, 2)];
  let removed = 0;
  let sawFrame = false;
  let sawScan = false;
  let orientation: number | null = null;
  let dimensions: { width: number; height: number } | undefined;
  let at = 2;
  for (;;) {
    if (at >= input.length) {
      if (!sawScan) throw new StripError("the JPEG ends before its image data");
      // A file cut after its last scan: close it, as decoders would.
      out.push(Uint8Array.of(0xff, EOI));
      break;
    }
    if (input[at] !== 0xff) throw new StripError(`bad JPEG: expected a marker at byte ${at}`);
    while (at + 1 < input.length && input[at + 1] === 0xff) at += 1; // fill bytes
    if (at + 1 >= input.length) throw new StripError("the JPEG ends inside a marker");
    const marker = input[at + 1];
    if (marker === EOI) {
      if (!sawScan) throw new StripError("the JPEG has no image data");
      out.push(Uint8Array.of(0xff, EOI));
      if (at + 2 < input.length) removed += 1; // anything after the image
      break;
    }
    if (marker === SOI || marker === 0x00) throw new StripError(`bad JPEG: unexpected marker at byte ${at}`);
    if (isStandalone(marker)) {
      out.push(input.subarray(at, at + 2));
      at += 2;
      continue;
    }
    if (at + 4 > input.length) throw new StripError("the JPEG ends inside a segment header");
    const length = (input[at + 2] << 8) | input[at + 3];
    const end = at + 2 + length;
    if (length < 2 || end > input.length) throw new StripError(`bad JPEG: segment at byte ${at} runs past the end`);
    const segment = input.subarray(at, end);
    const payload = input.subarray(at + 4, end);
    if (marker === SOS) {
      if (!sawFrame) throw new StripError("bad JPEG: image data before the frame header");
      sawScan = true;
      out.push(segment);
      const scanEnd = endOfEntropyData(input, end);
      out.push(input.subarray(end, scanEnd));
      at = scanEnd;
      continue;
    }
    if (isSof(marker)) {
      // Precision, then height and width, two bytes each.
      if (payload.length < 5) throw new StripError(`bad JPEG: the frame header at byte ${at} is too short`);
      if (!sawFrame) dimensions = { height: (payload[1] << 8) | payload[2], width: (payload[3] << 8) | payload[4] };
      sawFrame = true;
    }
    if (marker >= APP0 && marker <= APP15) {
      const kept = keepAppSegment(marker, payload);
      const ownOrientation = marker === APP1 ? exifOrientation(payload) : null;
      if (marker === APP1 && orientation === null) orientation = ownOrientation;
      if (kept) out.push(kept);
      // The orientation-only EXIF this stripper writes is rewritten, not counted as metadata found.
      else if (!(ownOrientation !== null && equalBytes(segment, orientationSegment(ownOrientation)))) removed += 1;
    } else if (marker === COM) {
      removed += 1;
    } else {
      out.push(segment);
    }
    at = end;
  }
  if (orientation !== null && orientation !== 1) {
    // Right after SOI and any JFIF segment: where readers look for EXIF.
    const afterJfif = out.length > 1 && out[1][1] === APP0 ? 2 : 1;
    out.splice(afterJfif, 0, orientationSegment(orientation));
  }
  return { bytes: concat(out), removed, stripped: true, dimensions };
}

/** Where the entropy-coded data after an SOS header ends: at the next marker that is not a restart or a stuffed zero. */
function endOfEntropyData(input: Uint8Array, from: number): number {
  let at = from;
  while (at < input.length) {
    if (input[at] !== 0xff) {
      at += 1;
      continue;
    }
    if (at + 1 >= input.length) return input.length;
    const next = input[at + 1];
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) at += 2;
    else if (next === 0xff) at += 1;
    else return at;
  }
  return input.length;
}

/** The segment to keep for an APPn, rewritten to hold nothing but what decoding needs; null to drop it. */
function keepAppSegment(marker: number, payload: Uint8Array): Uint8Array | null {
  if (marker === APP0 && startsWithText(payload, "JFIF\0") && payload.length >= 14) {
    // Version, units and density; the thumbnail size set to 0×0 and its pixels left out.
    const body = Uint8Array.from(payload.subarray(0, 14));
    body[12] = 0;
    body[13] = 0;
    return segmentOf(APP0, body);
  }
  if (marker === APP14 && startsWithText(payload, "Adobe") && payload.length >= 12) return segmentOf(APP14, payload.subarray(0, 12));
  if (marker === APP2 && startsWithText(payload, "ICC_PROFILE\0")) return segmentOf(APP2, payload);
  return null;
}

function segmentOf(marker: number, payload: Uint8Array): Uint8Array {
  const segment = new Uint8Array(payload.length + 4);
  segment[0] = 0xff;
  segment[1] = marker;
  segment[2] = (payload.length + 2) >> 8;
  segment[3] = (payload.length + 2) & 0xff;
  segment.set(payload, 4);
  return segment;
}

/** The Orientation tag (0x0112) of IFD0 in an EXIF APP1 payload, or null. Every offset is bounds-checked. */
export function exifOrientation(payload: Uint8Array): number | null {
  if (!startsWithText(payload, "Exif\0\0")) return null;
  const tiff = payload.subarray(6);
  if (tiff.length < 8) return null;
  const little = tiff[0] === 0x49 && tiff[1] === 0x49;
  const big = tiff[0] === 0x4d && tiff[1] === 0x4d;
  if (!little && !big) return null;
  const u16 = (at: number) => (little ? tiff[at] | (tiff[at + 1] << 8) : (tiff[at] << 8) | tiff[at + 1]);
  const u32 = (at: number) => (little ? (tiff[at] | (tiff[at + 1] << 8) | (tiff[at + 2] << 16)) + tiff[at + 3] * 2 ** 24 : tiff[at] * 2 ** 24 + ((tiff[at + 1] << 16) | (tiff[at + 2] << 8) | tiff[at + 3]));
  if (u16(2) !== 42) return null;
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return null;
  const count = u16(ifd);
  for (let i = 0; i < count; i += 1) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return null;
    if (u16(entry) === 0x0112 && u16(entry + 2) === 3) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : null;
    }
  }
  return null;
}

/** A new EXIF APP1 segment holding one tag: Orientation. */
function orientationSegment(orientation: number): Uint8Array {
  const payload = Uint8Array.of(
    0x45, 0x78, 0x69, 0x66, 0, 0, // "Exif\0\0"
    0x4d, 0x4d, 0, 42, 0, 0, 0, 8, // big-endian TIFF, IFD0 at 8
    0, 1, // one entry
    0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, // Orientation, SHORT, count 1, value
    0, 0, 0, 0, // no next IFD
  );
  return segmentOf(APP1, payload);
}

// ---------------------------------------------------------------- PNG

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
/** Ancillary chunks that change how the image is drawn; every other ancillary chunk is dropped. */
const PNG_KEEP = new Set(["tRNS", "cHRM", "gAMA", "iCCP", "sBIT", "sRGB", "cICP", "mDCv", "cLLi", "bKGD", "hIST", "pHYs", "acTL", "fcTL", "fdAT"]);

/** Walks a PNG's chunks, checking each CRC, and keeps the critical and rendering chunks. */
export function stripPng(input: Uint8Array): Stripped {
  if (input.length < 8 || !PNG_SIGNATURE.every((b, i) => input[i] === b)) throw new StripError("not a PNG: bad signature");
  const out: Uint8Array[] = [input.subarray(0, 8)];
  let removed = 0;
  let at = 8;
  let first = true;
  let sawData = false;
  let dimensions: { width: number; height: number } | undefined;
  for (;;) {
    if (at + 12 > input.length) throw new StripError("the PNG ends before its IEND chunk");
    const length = readU32(input, at);
    const end = at + 12 + length;
    if (length > 0x7fffffff || end > input.length) throw new StripError(`bad PNG: chunk at byte ${at} runs past the end`);
    const type = String.fromCharCode(...input.subarray(at + 4, at + 8));
    if (!/^[A-Za-z]{4}$/.test(type)) throw new StripError(`bad PNG: chunk at byte ${at} has no valid type`);
    if (crc32(input.subarray(at + 4, at + 8 + length)) !== readU32(input, at + 8 + length)) throw new StripError(`bad PNG: the ${type} chunk at byte ${at} fails its CRC`);
    if (first && (type !== "IHDR" || length !== 13)) throw new StripError("bad PNG: it does not start with IHDR");
    if (first) dimensions = { width: readU32(input, at + 8), height: readU32(input, at + 12) };
    first = false;
    if (type === "IDAT") sawData = true;
    const critical = type.charCodeAt(0) < 0x61; // upper-case first letter
    if (critical || PNG_KEEP.has(type)) out.push(input.subarray(at, end));
    else removed += 1;
    at = end;
    if (type === "IEND") {
      if (!sawData) throw new StripError("bad PNG: no image data");
      if (at < input.length) removed += 1;
      break;
    }
  }
  return { bytes: concat(out), removed, stripped: true, dimensions };
}

const readU32 = (bytes: Uint8Array, at: number) => ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as PNG (and zlib) compute it. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i += 1) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
