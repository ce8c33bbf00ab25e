import { createHash } from "node:crypto";
import { HttpError } from "../../web/errors.js";
import { ACCEPTED_TYPES_TEXT, describeContent, detectType, type EvidenceType } from "./detect.js";
import { canRenderPdf, PdfRenderError, renderPdfForStaff } from "./pdf-render.js";
import { StripError, stripMetadata } from "./strip.js";

/** Largest evidence file: 20 MiB. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Most files in one submission or upload. */
export const MAX_FILES_PER_SUBMISSION = 5;
/**
 * Largest image, in pixels (50 megapixels: more than any phone camera takes). A small
 * file can claim enormous dimensions, and whatever later decodes it (a viewer, a
 * thumbnail) would need width × height × 4 bytes of memory.
 */
export const MAX_IMAGE_PIXELS = 50_000_000;

/** One file as received: the name and type the sender's browser gave, and its bytes. */
export interface EvidenceFile {
  name: string;
  type: string;
  bytes: Uint8Array;
}

/** A file that passed every check, with what the store needs: its real type, hashes, and the copy to share. */
export interface CheckedEvidence extends EvidenceFile {
  detectedType: EvidenceType;
  sha256: string;
  /** The stripped copy people are shown (the same bytes for PDF, MP4, MP3). */
  shared: Uint8Array;
  sharedSha256: string;
  /** Metadata segments or chunks removed from an image; 0 otherwise. */
  removed: number;
  stripped: boolean;
}

export type EvidenceProblem = "too_many" | "too_large" | "too_many_pixels" | "empty" | "type" | "damaged";

const STATUS: Record<EvidenceProblem, 400 | 413 | 415> = { too_many: 400, too_large: 413, too_many_pixels: 413, empty: 400, type: 415, damaged: 400 };

/**
 * A refused evidence file, like the importers' RowError: it names the file (by
 * position and by the name its sender gave it) and the reason. It is an
 * HttpError, so if nothing catches it the sender gets a 4xx page saying so.
 * The name is shown only back to whoever sent the file; never log this error's message.
 */
export class EvidenceError extends HttpError {
  constructor(
    /** 1-based position of the file in the submission. */
    readonly index: number,
    readonly fileName: string,
    readonly problem: EvidenceProblem,
    readonly reason: string,
  ) {
    super(STATUS[problem], "error.badRequest", `evidence file ${index} ("${fileName}"): ${reason}`);
  }
}

/** A name as safe to store and show: no directories (old browsers sent C:\Users\…), no control characters, at most 255 characters. */
export function cleanFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = (name.split(/[\\/]/).pop() ?? "").replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, "").trim();
  return (base || "unnamed").slice(0, 255);
}

const megapixels = (n: number) => String(Math.round(n / 100_000) / 10);
const megabytes = (n: number) => `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MB`;

/** Refuses a submission with too many files or a file too large or empty, from sizes alone: before reading any bytes. */
export function checkSizes(files: readonly { name: string; size: number }[]): void {
  files.forEach((file, i) => {
    const name = cleanFileName(file.name);
    if (i >= MAX_FILES_PER_SUBMISSION) throw new EvidenceError(i + 1, name, "too_many", `at most ${MAX_FILES_PER_SUBMISSION} files can be sent at once (${files.length} were attached)`);
    if (file.size === 0) throw new EvidenceError(i + 1, name, "empty", "the file is empty");
    if (file.size > MAX_FILE_BYTES) throw new EvidenceError(i + 1, name, "too_large", `the file is ${megabytes(file.size)} (${file.size} bytes); the limit is ${megabytes(MAX_FILE_BYTES)} (${MAX_FILE_BYTES} bytes)`);
  });
}

/** Files that passed checkFiles, so the store does not hash and strip them twice. */
const checked = new WeakSet<CheckedEvidence>();

/** Checks one file; `index` is its 1-based position, for the message. */
export function checkFile(file: EvidenceFile, index = 1): CheckedEvidence {
  if (checked.has(file as CheckedEvidence)) return file as CheckedEvidence;
  const name = cleanFileName(file.name);
  if (file.bytes.length === 0) throw new EvidenceError(index, name, "empty", "the file is empty");
  if (file.bytes.length > MAX_FILE_BYTES) throw new EvidenceError(index, name, "too_large", `the file is ${megabytes(file.bytes.length)} (${file.bytes.length} bytes); the limit is ${megabytes(MAX_FILE_BYTES)} (${MAX_FILE_BYTES} bytes)`);
  const detectedType = detectType(file.bytes);
  if (!detectedType) throw new EvidenceError(index, name, "type", `its content is ${describeContent(file.bytes)}, not one of the accepted types (${ACCEPTED_TYPES_TEXT}), whatever its name or declared type says`);
  let result;
  try {
    result = stripMetadata(detectedType, file.bytes);
  } catch (error) {
    if (!(error instanceof StripError)) throw error;
    // An image we cannot clean is never shared uncleaned: it is refused, and the sender told why.
    throw new EvidenceError(index, name, "damaged", `the image looks damaged and cannot be cleaned of its location data (${error.message})`);
  }
  const pixels = result.dimensions ? result.dimensions.width * result.dimensions.height : 0;
  if (pixels > MAX_IMAGE_PIXELS) {
    const { width, height } = result.dimensions!;
    throw new EvidenceError(index, name, "too_many_pixels", `the image is ${width} × ${height} pixels (${megapixels(pixels)} megapixels); the limit is ${megapixels(MAX_IMAGE_PIXELS)} megapixels`);
  }
  const sha256 = sha256Hex(file.bytes);
  const done: CheckedEvidence = {
    name, type: file.type, bytes: file.bytes, detectedType, sha256,
    shared: result.bytes, sharedSha256: result.bytes === file.bytes ? sha256 : sha256Hex(result.bytes),
    removed: result.removed, stripped: result.stripped,
  };
  checked.add(done);
  return done;
}

/**
 * Checks every file of one submission before anything is written: how many,
 * each one's size, its real type by its first bytes, and that an image can be
 * cleaned. Throws an EvidenceError naming the first file at fault.
 */
export function checkFiles(files: readonly EvidenceFile[]): CheckedEvidence[] {
  checkSizes(files.map((f) => ({ name: f.name, size: f.bytes.length })));
  return files.map((file, i) => checkFile(file, i + 1));
}

/**
 * Reads the files of a form (`filesFromForm(body)`) into checked evidence:
 * counts and sizes are refused before any file is read.
 */
export async function evidenceFromFiles(files: readonly File[]): Promise<CheckedEvidence[]> {
  checkSizes(files);
  const read = await Promise.all(files.map(async (file) => ({ name: file.name, type: file.type, bytes: new Uint8Array(await file.arrayBuffer()) })));
  const done: CheckedEvidence[] = [];
  // One PDF at a time: rendering is the heaviest thing a form can ask for.
  for (const [i, file] of checkFiles(read).entries()) done.push(await withRenderedPdf(file, i + 1));
  return done;
}

/**
 * For a PDF, the copy people are shown becomes the pages rendered to pictures
 * in a new PDF (pdf-render.ts): no scripts, actions, attachments or metadata.
 * The original stays the evidence. A PDF poppler cannot read is refused, as a
 * damaged image is. Where poppler is not installed the PDF is shared as it came
 * (and shown only to staff who may know who complained, as before).
 */
export async function withRenderedPdf(file: CheckedEvidence, index = 1): Promise<CheckedEvidence> {
  if (file.detectedType !== "application/pdf" || file.shared !== file.bytes || !(await canRenderPdf())) return file;
  let shared: Uint8Array;
  try {
    shared = await renderPdfForStaff(file.bytes);
  } catch (error) {
    if (!(error instanceof PdfRenderError)) throw error;
    throw new EvidenceError(index, file.name, "damaged", `the PDF cannot be turned into a safe copy to show (${error.message})`);
  }
  const done: CheckedEvidence = { ...file, shared, sharedSha256: sha256Hex(shared), removed: 1, stripped: true };
  checked.add(done);
  return done;
}

export const sha256Hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
