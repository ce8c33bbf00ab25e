import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { inflateSync } from "node:zlib";
import { bytesOf, CANARY, contains, jpegMarkers, jpegWithMetadata, pdf, plainJpeg, PNG_PIXELS, pngChunks, pngWithMetadata, rationalBytes } from "./fixtures.js";
import { crc32, exifOrientation, stripJpeg, stripMetadata, StripError, stripPng } from "./strip.js";

const canariesIn = (bytes: Uint8Array) =>
  [CANARY.make, CANARY.model, CANARY.xmp, CANARY.iptc, CANARY.comment, CANARY.trailer, CANARY.pngText, CANARY.pngItxt, CANARY.privateChunk, "canary", "Canary", "GPS", "Photoshop", "http://ns.adobe.com/xap", "MPF\0", "JFXX"]
    .filter((canary) => contains(bytes, canary))
    .concat(contains(bytes, rationalBytes(CANARY.latitude)) ? ["latitude rationals"] : [])
    .concat(contains(bytes, rationalBytes(CANARY.longitude)) ? ["longitude rationals"] : [])
    .concat(contains(bytes, Uint8Array.from(CANARY.thumbnail)) ? ["JFIF thumbnail pixels"] : []);

describe("metadata stripping: JPEG", () => {
  it("the fixture really carries the metadata (so the test below means something)", () => {
    const original = jpegWithMetadata();
    assert.deepEqual(canariesIn(original).sort(), [
      CANARY.comment, CANARY.iptc, CANARY.make, CANARY.model, CANARY.trailer, CANARY.xmp, "Canary", "GPS", "JFIF thumbnail pixels", "JFXX", "MPF\0", "Photoshop", "canary", "http://ns.adobe.com/xap", "latitude rationals", "longitude rationals",
    ].sort());
    assert.equal(exifOrientation(jpegMarkers(original.subarray(0, original.length - CANARY.trailer.length)).find((s) => s.marker === 0xe1)!.payload), 6);
  });

  it("removes EXIF (GPS, make, model), XMP, IPTC, MPF, APP15, comments, thumbnails and the trailer, and keeps a well-formed image", () => {
    const original = jpegWithMetadata();
    const { bytes, removed, stripped } = stripJpeg(original);
    assert.equal(stripped, true);
    assert.equal(removed, 8); // JFXX, EXIF, XMP, MPF, Photoshop, APP15, COM, trailer
    assert.deepEqual(canariesIn(bytes), []);
    // Well-formed: every segment fits, EOI is the last two bytes; only what decoding needs is left.
    const segments = jpegMarkers(bytes);
    assert.deepEqual(segments.map((s) => s.marker.toString(16)), ["d8", "e0", "e1", "e2", "ee", "db", "c0", "c4", "c4", "da", "d9"]);
    // JFIF stays, with its thumbnail gone.
    const jfif = segments[1].payload;
    assert.deepEqual([...jfif], [...bytesOf("JFIF\0", [1, 2, 1, 0, 72, 0, 72, 0, 0])]);
    // The only EXIF left is a new one holding the orientation alone, so a portrait photo is not shown sideways.
    const exif = segments[2].payload;
    assert.equal(exifOrientation(exif), 6);
    assert.equal(exif.length, 6 + 8 + 2 + 12 + 4);
    assert.deepEqual([exif[14], exif[15]], [0, 1], "one IFD0 entry");
    assert.equal(contains(bytes, Uint8Array.of(0x25, 0x88)) || contains(bytes, Uint8Array.of(0x88, 0x25)), false, "no GPS IFD pointer tag");
    // The ICC profile and the Adobe flags are kept for colour.
    assert.ok(contains(segments[3].payload, "ICC_PROFILE\0"));
    assert.equal(segments[4].payload.length, 12);
    // The image data are byte for byte the original's.
    const imageOf = (b: Uint8Array) => {
      const at = Buffer.from(b).indexOf(Buffer.from([0xff, 0xdb]));
      const end = Buffer.from(b).indexOf(Buffer.from([0xff, 0xd9]), at);
      return Buffer.from(b.subarray(at, end + 2)).toString("hex");
    };
    assert.equal(imageOf(bytes), imageOf(original));
  });

  it("writes no EXIF at all when the photo needs no rotation", () => {
    const { bytes } = stripJpeg(jpegWithMetadata({ orientation: 1 }));
    assert.equal(contains(bytes, "Exif"), false);
    assert.deepEqual(jpegMarkers(bytes).map((s) => s.marker.toString(16)), ["d8", "e0", "e2", "ee", "db", "c0", "c4", "c4", "da", "d9"]);
  });

  it("leaves a clean JPEG as it is, and stripping twice changes nothing more", () => {
    const plain = plainJpeg();
    const once = stripJpeg(plain);
    assert.deepEqual(Buffer.from(once.bytes), Buffer.from(plain));
    assert.equal(once.removed, 0);
    const first = stripJpeg(jpegWithMetadata()).bytes;
    const second = stripJpeg(first);
    assert.deepEqual(Buffer.from(second.bytes), Buffer.from(first));
    assert.equal(second.removed, 0);
  });

  it("does not cut a scan at stuffed bytes, restart markers or fill bytes, and keeps a progressive file's later segments", () => {
    const plain = plainJpeg();
    const eoi = plain.length - 2;
    // Scan data with FF00 (a stuffed FF), RST0, a second DHT between scans, another scan, fill bytes before EOI.
    const dht = bytesOf([0xff, 0xc4, 0, 20, 0x01, 1, ...new Array(15).fill(0), 0]);
    const sos = bytesOf([0xff, 0xda, 0, 8, 1, 1, 0, 0, 63, 0]);
    const withScans = bytesOf(plain.subarray(0, eoi), [0xff, 0x00, 0x12, 0xff, 0xd0, 0x34], dht, [0xff, 0xfe, 0, 4, 0x41, 0x42], sos, [0x3f, 0xff, 0x00], [0xff, 0xff, 0xd9]);
    const { bytes, removed } = stripJpeg(withScans);
    assert.equal(removed, 1); // the comment between the scans
    assert.deepEqual(jpegMarkers(bytes).map((s) => s.marker.toString(16)), ["d8", "e0", "db", "c0", "c4", "c4", "da", "c4", "da", "d9"]);
    assert.ok(contains(bytes, Uint8Array.of(0x3f, 0xff, 0x00, 0x12, 0xff, 0xd0, 0x34)));
  });

  it("closes a file cut after its image data, and refuses files it cannot walk", () => {
    const plain = plainJpeg();
    const cut = stripJpeg(plain.subarray(0, plain.length - 2));
    assert.deepEqual(Buffer.from(cut.bytes), Buffer.from(plain));
    assert.throws(() => stripJpeg(bytesOf([0xff, 0xd8, 0xff, 0xe1, 0x40, 0x00], "Exif\0\0")), StripError); // segment overruns the file
    assert.throws(() => stripJpeg(bytesOf([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xd9])), StripError); // no image data
    assert.throws(() => stripJpeg(bytesOf([0xff, 0xd8, 0x00, 0x00])), StripError);
    assert.throws(() => stripJpeg(bytesOf([0xff, 0xd8, 0xff, 0xda, 0, 8, 1, 1, 0, 0, 63, 0, 0x3f, 0xff, 0xd9])), StripError); // a scan before any frame header
  });
});

describe("metadata stripping: PNG", () => {
  it("the fixture really carries the metadata", () => {
    const original = pngWithMetadata();
    assert.deepEqual(pngChunks(bytesOf(original.subarray(0, original.length - CANARY.trailer.length))).map((c) => c.type), ["IHDR", "gAMA", "tEXt", "zTXt", "iTXt", "eXIf", "pHYs", "tIME", "IDAT", "IDAT", "prVt", "tEXt", "IEND"]);
    assert.ok(contains(original, rationalBytes(CANARY.latitude)));
  });

  it("removes tEXt, zTXt, iTXt, eXIf, tIME, private chunks and the trailer; keeps valid CRCs and the same pixels", () => {
    const { bytes, removed } = stripPng(pngWithMetadata());
    assert.equal(removed, 8); // tEXt ×2, zTXt, iTXt, eXIf, tIME, prVt, and the trailer
    assert.deepEqual(canariesIn(bytes), []);
    const chunks = pngChunks(bytes);
    assert.deepEqual(chunks.map((c) => c.type), ["IHDR", "gAMA", "pHYs", "IDAT", "IDAT", "IEND"]);
    assert.ok(chunks.every((c) => c.crcOk), "every CRC is valid");
    const pixels = inflateSync(Buffer.concat(chunks.filter((c) => c.type === "IDAT").map((c) => c.data)));
    assert.deepEqual([...pixels], PNG_PIXELS.flatMap((row) => [0, ...row]));
    assert.equal(stripPng(bytes).removed, 0, "stripping again finds nothing");
  });

  it("refuses a PNG with a bad CRC, a missing IHDR, no image data, or no IEND", () => {
    const good = stripPng(pngWithMetadata()).bytes;
    const badCrc = Uint8Array.from(good);
    badCrc[30] ^= 0xff; // inside IHDR
    assert.throws(() => stripPng(badCrc), /CRC/);
    assert.throws(() => stripPng(good.subarray(0, good.length - 12)), /IEND/);
    const chunks = pngChunks(good);
    const noIdat = bytesOf(good.subarray(0, 8), ...chunks.filter((c) => c.type !== "IDAT").map((c) => rebuild(c.type, c.data)));
    assert.throws(() => stripPng(noIdat), /no image data/);
    const noIhdr = bytesOf(good.subarray(0, 8), ...chunks.filter((c) => c.type !== "IHDR").map((c) => rebuild(c.type, c.data)));
    assert.throws(() => stripPng(noIhdr), /IHDR/);
  });

  it("computes CRC-32 as PNG does", () => {
    assert.equal(crc32(bytesOf("123456789")), 0xcbf43926);
    assert.equal(crc32(bytesOf("IEND")), 0xae426082);
  });
});

function rebuild(type: string, data: Uint8Array): Uint8Array {
  const typed = bytesOf(type, data);
  const crc = crc32(typed);
  return bytesOf([(data.length >>> 24) & 255, (data.length >>> 16) & 255, (data.length >>> 8) & 255, data.length & 255], typed, [crc >>> 24, (crc >>> 16) & 255, (crc >>> 8) & 255, crc & 255]);
}

describe("metadata stripping: other types", () => {
  it("returns PDFs, video and audio unchanged, and says so", () => {
    const file = pdf("/Author (Jane Canary)\n");
    const result = stripMetadata("application/pdf", file);
    assert.equal(result.stripped, false);
    assert.equal(result.bytes, file);
  });
});

// A second opinion from real decoders, when this machine has them. The tests above do not need them.
const has = (tool: string, arg: string) => spawnSync(tool, [arg], { stdio: "ignore" }).status === 0;
const exiftool = has("exiftool", "-ver");
const djpeg = !spawnSync("djpeg", ["-version"], { stdio: "ignore" }).error;
describe("metadata stripping checked by exiftool and djpeg (skipped where they are not installed)", () => {
  it("exiftool finds GPS in the originals and nothing but orientation in the stripped copies", { skip: !exiftool && "exiftool is not installed" }, () => {
    const dir = mkdtempSync(join(tmpdir(), "evidence-"));
    try {
      const files = { "a.jpg": jpegWithMetadata(), "b.jpg": stripJpeg(jpegWithMetadata()).bytes, "c.png": pngWithMetadata(), "d.png": stripPng(pngWithMetadata()).bytes };
      for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
      const read = (name: string) => JSON.parse(spawnSync("exiftool", ["-j", "-a", "-G1", join(dir, name)], { encoding: "utf8" }).stdout)[0] as Record<string, unknown>;
      const groups = (tags: Record<string, unknown>) => new Set(Object.keys(tags).map((k) => k.split(":")[0]));
      for (const name of ["a.jpg", "c.png"]) assert.ok(Object.keys(read(name)).some((k) => k.startsWith("GPS:")), `${name} has GPS`);
      const jpeg = read("b.jpg");
      assert.deepEqual([...groups(jpeg)].filter((g) => !["SourceFile", "ExifTool", "System", "File", "Composite", "JFIF", "Adobe", "ICC-header", "ICC_Profile"].includes(g)), ["IFD0"]);
      assert.deepEqual(Object.keys(jpeg).filter((k) => k.startsWith("IFD0:")), ["IFD0:Orientation"]);
      const png = read("d.png");
      assert.deepEqual([...groups(png)].filter((g) => !["SourceFile", "ExifTool", "System", "File", "Composite", "PNG", "PNG-pHYs"].includes(g)), []);
      assert.ok(!JSON.stringify(png).includes("Canary") && !JSON.stringify(jpeg).includes("Canary"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("djpeg decodes the stripped JPEG to the same pixels as the original", { skip: !djpeg && "djpeg is not installed" }, () => {
    const decode = (bytes: Uint8Array) => spawnSync("djpeg", ["-pnm"], { input: bytes });
    const before = decode(jpegWithMetadata());
    const after = decode(stripJpeg(jpegWithMetadata()).bytes);
    assert.equal(after.status, 0, after.stderr.toString());
    assert.ok(after.stdout.length > 0);
    assert.deepEqual(after.stdout, before.stdout);
  });
});
