/**
 * The copy of a PDF that staff are shown: every page rendered to a picture by
 * poppler's `pdftoppm` (Debian's poppler-utils) and put back into a new PDF
 * that holds those pictures and nothing else. What a PDF can carry besides its
 * pages — JavaScript, OpenAction and AA actions, links, form fields, embedded
 * files, the Info dictionary (Author, Creator, Producer, dates), XMP metadata,
 * hidden text layers, images with their own EXIF — is not in the copy, because
 * the copy is written from scratch here and has no place for any of it.
 * The original stays the evidence, stored by its sha256 under custody.
 *
 * Cost, said plainly: text in the copy cannot be selected or searched, and
 * pages are pictures at RENDER_DPI. What is visible on a page (a name in a
 * letterhead, a signature) stays visible.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { stripJpeg } from "./strip.js";

const run = promisify(execFile);

/** Pages are rendered at this resolution: readable on screen and in print, a few hundred kB a page. */
export const RENDER_DPI = 110;
/** A PDF with more pages than this is refused rather than rendered for minutes. */
export const MAX_PDF_PAGES = 100;
/** How long poppler may take for one PDF. */
const RENDER_TIMEOUT_MS = 120_000;

/** A PDF that poppler cannot render, or has too many pages. */
export class PdfRenderError extends Error {}

let available: Promise<boolean> | undefined;

/** Whether `pdftoppm` is installed (checked once). Without it PDFs are shared as they came, and shown only to staff who may know who complained. */
export function canRenderPdf(): Promise<boolean> {
  available ??= run("pdftoppm", ["-v"], { timeout: 10_000 }).then(() => true, (error: NodeJS.ErrnoException) => error.code !== "ENOENT");
  return available;
}

/**
 * Renders every page of `bytes` to JPEG in a child process (the event loop is
 * not blocked) and writes a new PDF holding only those pictures.
 * Throws PdfRenderError when poppler cannot read it or it has too many pages.
 */
export async function renderPdfForStaff(bytes: Uint8Array): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), "oversight-pdf-"));
  try {
    const input = join(dir, "in.pdf");
    await writeFile(input, bytes);
    try {
      // -l MAX+1: rendering one page past the limit is how we learn it is too long, without a second tool.
      await run("pdftoppm", ["-q", "-r", String(RENDER_DPI), "-jpeg", "-jpegopt", "quality=85", "-l", String(MAX_PDF_PAGES + 1), input, join(dir, "page")], { timeout: RENDER_TIMEOUT_MS, maxBuffer: 1024 * 1024 });
    } catch (error) {
      const killed = (error as { killed?: boolean }).killed;
      throw new PdfRenderError(killed ? "it took too long to read" : "it cannot be read as a PDF");
    }
    const names = (await readdir(dir)).filter((name) => /^page-\d+\.jpg$/.test(name)).sort((a, b) => pageNumber(a) - pageNumber(b));
    if (names.length === 0) throw new PdfRenderError("it has no page that can be shown");
    if (names.length > MAX_PDF_PAGES) throw new PdfRenderError(`it has more than ${MAX_PDF_PAGES} pages`);
    const pages = [];
    for (const name of names) {
      // pdftoppm writes plain JFIF; stripping anyway keeps the rule that no picture is shared unstripped.
      const jpeg = stripJpeg(new Uint8Array(await readFile(join(dir, name))));
      if (!jpeg.dimensions) throw new PdfRenderError("a page could not be rendered");
      pages.push({ jpeg: jpeg.bytes, ...jpeg.dimensions });
    }
    return imagePdf(pages, RENDER_DPI);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const pageNumber = (name: string) => Number(/(\d+)\.jpg$/.exec(name)![1]);

/**
 * A PDF of one RGB JPEG per page, each page the picture's size at `dpi`: a
 * catalog, a page tree, and per page an image, its drawing and the page. No
 * Info dictionary, no metadata, no actions, names or annotations.
 */
export function imagePdf(pages: readonly { jpeg: Uint8Array; width: number; height: number }[], dpi: number): Uint8Array {
  const chunks: Buffer[] = [];
  const offsets: number[] = [];
  let length = 0;
  const push = (part: Buffer | string) => {
    const buffer = typeof part === "string" ? Buffer.from(part, "latin1") : part;
    chunks.push(buffer);
    length += buffer.length;
  };
  const object = (id: number, ...parts: (Buffer | string)[]) => {
    offsets[id] = length;
    push(`${id} 0 obj\n`);
    for (const part of parts) push(part);
    push("\nendobj\n");
  };
  push("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
  const pageIds = pages.map((_, i) => 3 + i * 3);
  object(1, "<< /Type /Catalog /Pages 2 0 R >>");
  object(2, `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(" ")}] /Count ${pages.length} >>`);
  pages.forEach((page, i) => {
    const [pageId, imageId, contentId] = [pageIds[i], pageIds[i] + 1, pageIds[i] + 2];
    const w = round(page.width * 72 / dpi);
    const h = round(page.height * 72 / dpi);
    const draw = `q ${w} 0 0 ${h} 0 0 cm /Im0 Do Q`;
    object(pageId, `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w} ${h}] /Resources << /XObject << /Im0 ${imageId} 0 R >> >> /Contents ${contentId} 0 R >>`);
    object(imageId, `<< /Type /XObject /Subtype /Image /Width ${page.width} /Height ${page.height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${page.jpeg.length} >>\nstream\n`, Buffer.from(page.jpeg), "\nendstream");
    object(contentId, `<< /Length ${draw.length} >>\nstream\n${draw}\nendstream`);
  });
  const size = 3 + pages.length * 3;
  const xref = length;
  push(`xref\n0 ${size}\n0000000000 65535 f \n`);
  for (let id = 1; id < size; id += 1) push(`${String(offsets[id]).padStart(10, "0")} 00000 n \n`);
  push(`trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return new Uint8Array(Buffer.concat(chunks));
}

const round = (n: number) => Math.round(n * 100) / 100;
