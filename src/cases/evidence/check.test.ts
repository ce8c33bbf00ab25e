import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkFile, checkFiles, cleanFileName, EvidenceError, evidenceFromFiles, MAX_FILE_BYTES } from "./check.js";
import { describeContent, detectType } from "./detect.js";
import { bytesOf, exe, html, jpegWithMetadata, mp3, mp4, pdf, plainJpeg, pngWithMetadata } from "./fixtures.js";
import { HttpError } from "../../web/errors.js";

const file = (name: string, bytes: Uint8Array, type = "image/jpeg") => ({ name, type, bytes });

/** Asserts fn throws an EvidenceError about file `index` named `name` for `problem`, with a reason matching `reason`. */
function refuses(fn: () => unknown, index: number, name: string, problem: string, reason: RegExp) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof EvidenceError, `expected an EvidenceError, got ${String(error)}`);
    assert.ok(error instanceof HttpError);
    assert.equal(error.index, index);
    assert.equal(error.fileName, name);
    assert.equal(error.problem, problem);
    assert.match(error.reason, reason);
    assert.match(error.detail!, new RegExp(`evidence file ${index} \\("${name.replace(/[.()]/g, "\\$&")}"\\)`));
    return true;
  });
}

describe("evidence type detection by content", () => {
  it("recognises JPEG, PNG, PDF, MP4 and MP3 by their first bytes", () => {
    assert.equal(detectType(jpegWithMetadata()), "image/jpeg");
    assert.equal(detectType(pngWithMetadata()), "image/png");
    assert.equal(detectType(pdf()), "application/pdf");
    assert.equal(detectType(mp4()), "video/mp4");
    assert.equal(detectType(mp4("mp42")), "video/mp4");
    assert.equal(detectType(mp3()), "audio/mpeg");
    assert.equal(detectType(mp3().subarray(26)), "audio/mpeg", "without its ID3 tag");
  });

  it("recognises nothing else, and says what a refused file looks like", () => {
    const cases: [Uint8Array, RegExp][] = [
      [html(), /HTML/],
      [bytesOf([0xef, 0xbb, 0xbf], "  <svg onload=alert(1)>"), /HTML/],
      [bytesOf("<?xml version='1.0'?><svg/>"), /HTML/],
      [exe(), /Windows program/],
      [bytesOf([0x7f], "ELF", [2, 1, 1]), /Linux program/],
      [bytesOf("#!/bin/sh\nrm -rf /\n"), /script/],
      [bytesOf("PK", [3, 4], "word/document.xml"), /ZIP/],
      [bytesOf("GIF89a", [1, 0, 1, 0]), /GIF/],
      [mp4("qt  ", ["qt  "]), /QuickTime/],
      [mp4("heic", ["mif1", "heic"]), /HEIC/],
      [bytesOf([0xff, 0xfb, 0x90, 0x00], new Array(500).fill(0x41)), /accepted/], // one frame header, then no second frame
      [bytesOf(" %PDF-1.4"), /accepted/], // PDF only at the very start
      [bytesOf("hello"), /accepted/],
    ];
    for (const [bytes, description] of cases) {
      assert.equal(detectType(bytes), null, describeContent(bytes));
      assert.match(describeContent(bytes), description);
    }
  });
});

describe("evidence checks before anything is written", () => {
  it("refuses an HTML page renamed .jpg and declared image/jpeg, naming the file", () => {
    refuses(() => checkFiles([file("photo.jpg", plainJpeg()), file("injury.jpg", html(), "image/jpeg")]), 2, "injury.jpg", "type", /HTML.*not one of the accepted types \(JPEG, PNG, PDF, MP4, MP3\)/);
  });

  it("refuses a program, whatever it is called", () => {
    refuses(() => checkFile(file("statement.pdf", exe(), "application/pdf")), 1, "statement.pdf", "type", /Windows program/);
  });

  it("refuses an empty file", () => {
    refuses(() => checkFiles([file("empty.png", new Uint8Array(0))]), 1, "empty.png", "empty", /empty/);
  });

  it("accepts 20 MB exactly and refuses 20 MB and one byte, naming the file and the limit", () => {
    const exact = new Uint8Array(MAX_FILE_BYTES);
    exact.set(pdf());
    assert.equal(checkFile(file("scan.pdf", exact)).detectedType, "application/pdf");
    const over = new Uint8Array(MAX_FILE_BYTES + 1);
    over.set(pdf());
    refuses(() => checkFiles([file("ok.jpg", plainJpeg()), file("video.pdf", over)]), 2, "video.pdf", "too_large", /20971521 bytes\); the limit is 20 MB \(20971520 bytes\)/);
    assert.equal(new EvidenceError(1, "x", "too_large", "").status, 413);
  });

  it("refuses a sixth file", () => {
    const six = Array.from({ length: 6 }, (_, i) => file(`p${i + 1}.jpg`, plainJpeg()));
    refuses(() => checkFiles(six), 6, "p6.jpg", "too_many", /at most 5 files/);
    assert.equal(checkFiles(six.slice(0, 5)).length, 5);
  });

  it("refuses an image too damaged to be cleaned, rather than share it with its metadata", () => {
    const cut = jpegWithMetadata().subarray(0, 100); // ends inside the EXIF segment
    refuses(() => checkFile(file("cut.jpg", cut)), 1, "cut.jpg", "damaged", /cannot be cleaned/);
  });

  it("refuses an image whose header claims more than 50 megapixels, naming the file and its size", () => {
    refuses(() => checkFile(file("huge.jpg", plainJpeg({ width: 65_535, height: 65_535 }))), 1, "huge.jpg", "too_many_pixels", /65535 × 65535 pixels \(4294\.8 megapixels\); the limit is 50 megapixels/);
    refuses(() => checkFiles([file("ok.png", pngWithMetadata(), "image/png"), file("bomb.png", pngWithMetadata({ width: 100_000, height: 100_000 }), "image/png")]), 2, "bomb.png", "too_many_pixels", /100000 × 100000 pixels/);
    assert.equal(new EvidenceError(1, "x", "too_many_pixels", "").status, 413);
    // At the limit is accepted: 10,000 × 5,000 is exactly 50 megapixels.
    assert.equal(checkFile(file("big.jpg", plainJpeg({ width: 10_000, height: 5_000 }))).detectedType, "image/jpeg");
    assert.equal(checkFile(file("big.png", pngWithMetadata({ width: 5_000, height: 10_000 }), "image/png")).detectedType, "image/png");
    refuses(() => checkFile(file("over.png", pngWithMetadata({ width: 5_000, height: 10_001 }), "image/png")), 1, "over.png", "too_many_pixels", /5000 × 10001 pixels/);
  });

  it("trusts the content, not the declared type, and records both", () => {
    const checked = checkFile(file("holiday.jpg", pngWithMetadata(), "image/jpeg"));
    assert.equal(checked.detectedType, "image/png");
    assert.equal(checked.type, "image/jpeg");
    assert.match(checked.sha256, /^[0-9a-f]{64}$/);
    assert.notEqual(checked.sharedSha256, checked.sha256, "the shared copy is the stripped one");
    const plain = checkFile(file("doc.pdf", pdf()));
    assert.equal(plain.sharedSha256, plain.sha256);
    assert.equal(plain.stripped, false);
  });

  it("reads browser File objects, refusing by size before reading any bytes", async () => {
    const read = await evidenceFromFiles([new File([jpegWithMetadata()], "a.jpg", { type: "image/jpeg" }), new File([mp3()], "b.mp3", { type: "audio/mpeg" })]);
    assert.deepEqual(read.map((f) => [f.name, f.detectedType]), [["a.jpg", "image/jpeg"], ["b.mp3", "audio/mpeg"]]);
    let reads = 0;
    const huge = { name: "big.mp4", type: "video/mp4", size: MAX_FILE_BYTES + 1, arrayBuffer: async () => { reads += 1; return new ArrayBuffer(0); } } as unknown as File;
    await assert.rejects(evidenceFromFiles([new File([plainJpeg()], "ok.jpg"), huge]), (e: unknown) => e instanceof EvidenceError && e.index === 2 && e.problem === "too_large");
    assert.equal(reads, 0);
  });

  it("keeps only a file name's last part, without control or direction characters", () => {
    assert.equal(cleanFileName("C:\\Users\\Jane Canary\\Desktop\\bruise.jpg"), "bruise.jpg");
    assert.equal(cleanFileName("/home/jane/x.png"), "x.png");
    assert.equal(cleanFileName("evil\u202Egpj.exe"), "evilgpj.exe");
    assert.equal(cleanFileName("a\nb\u0000.jpg"), "ab.jpg");
    assert.equal(cleanFileName(""), "unnamed");
    assert.equal(cleanFileName("x".repeat(400)).length, 255);
  });
});
