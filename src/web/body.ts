import { Readable } from "node:stream";
import { Busboy, type BusboyInstance } from "@fastify/busboy";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./context.js";
import { badRequest, HttpError } from "./errors.js";

/**
 * Every request body is read here, once, before anything else looks at it (the
 * session, the CSRF check, the route): its size is checked against the route's
 * limit before a byte is read when the client declares it, and counted as it
 * streams when it does not. Forms are parsed by a streaming multipart parser that
 * accepts what RFC 7578 allows (unquoted names, `filename*`, a preamble), and
 * JSON is checked for depth. What was parsed is handed to Hono's own body cache,
 * so routes keep calling `c.req.parseBody()` and `c.req.json()`.
 */

/** A larger (or smaller) limit for the paths that need one; `prefix` ending in "/" covers everything below. */
export interface BodyLimitRule {
  path: string;
  maxBytes: number;
}

/** Every other route: ample for a form or a JSON document, small enough that a flood of them is harmless. */
export const DEFAULT_BODY_BYTES = 1024 * 1024;
/** Deeper JSON is refused: no document the API takes nests this far, and deep nesting costs the parser. */
export const MAX_JSON_DEPTH = 32;
/** Fields in one form: the longest form (staff intake) has a few dozen. */
const MAX_FORM_FIELDS = 1_000;
/** Files in one form: intake takes five. */
const MAX_FORM_FILES = 20;

const BODILESS = new Set(["GET", "HEAD", "OPTIONS"]);

export function readBodies(rules: readonly BodyLimitRule[], defaultBytes = DEFAULT_BODY_BYTES): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (BODILESS.has(c.req.method) || !c.req.raw.body) return next();
    const limit = limitFor(c.req.path, rules, defaultBytes);
    const declared = c.req.header("content-length");
    if (declared !== undefined && Number(declared) > limit) throw tooLarge(limit);
    const type = mediaType(c);
    if (type === "multipart/form-data" || type === "application/x-www-form-urlencoded") {
      cache(c).formData = Promise.resolve(await readForm(c, limit));
    } else if (type === "application/json" || type.endsWith("+json")) {
      cache(c).text = Promise.resolve(checkedJson(await readText(c, limit)));
    } else {
      cache(c).arrayBuffer = Promise.resolve(await readAll(c, limit));
    }
    await next();
  };
}

function limitFor(path: string, rules: readonly BodyLimitRule[], fallback: number): number {
  let best: BodyLimitRule | undefined;
  for (const rule of rules) {
    const matches = rule.path.endsWith("/") ? path.startsWith(rule.path) : path === rule.path;
    if (matches && (!best || rule.path.length > best.path.length)) best = rule;
  }
  return best?.maxBytes ?? fallback;
}

function mediaType(c: Context): string {
  return (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
}

/** Hono keeps what it parsed in `bodyCache`; filling it makes parseBody() and json() use our reading. */
function cache(c: Context): { formData?: Promise<FormData>; text?: Promise<string>; arrayBuffer?: Promise<ArrayBuffer> } {
  return c.req.bodyCache as never;
}

const tooLarge = (limit: number) => new HttpError(413, "error.tooLarge", `the request is larger than ${limit} bytes`);

/** The body as a Node stream that fails with a 413 as soon as more than `limit` bytes have arrived. */
function limitedStream(c: Context, limit: number): Readable {
  let seen = 0;
  const source = Readable.fromWeb(c.req.raw.body! as never);
  const counted = new Readable({ read() {} });
  source.on("data", (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > limit) {
      source.destroy();
      counted.destroy(tooLarge(limit));
      return;
    }
    counted.push(chunk);
  });
  source.on("end", () => counted.push(null));
  source.on("error", (error) => counted.destroy(badRequest(`the request body could not be read (${error.message})`)));
  return counted;
}

async function readAll(c: Context, limit: number): Promise<ArrayBuffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of limitedStream(c, limit)) chunks.push(chunk as Buffer);
  const whole = Buffer.concat(chunks);
  return whole.buffer.slice(whole.byteOffset, whole.byteOffset + whole.byteLength) as ArrayBuffer;
}

async function readText(c: Context, limit: number): Promise<string> {
  return new TextDecoder().decode(await readAll(c, limit));
}

/** Refuses JSON that does not parse or nests deeper than MAX_JSON_DEPTH, and passes the text on unchanged. */
function checkedJson(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest(`the body is not valid JSON (${error instanceof Error ? error.message.slice(0, 120) : "unreadable"})`);
  }
  if (depthOf(value) > MAX_JSON_DEPTH) throw badRequest(`the JSON body nests deeper than ${MAX_JSON_DEPTH} levels`);
  return text;
}

/** Nesting depth without recursion, so a hostile document cannot exhaust the stack. */
function depthOf(root: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== "object") continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * A form (multipart or URL-encoded) into a FormData, streamed through busboy:
 * fields as strings, files as File objects with their names and types.
 */
function readForm(c: Context, limit: number): Promise<FormData> {
  return new Promise((resolve, reject) => {
    let parser: BusboyInstance;
    try {
      parser = new Busboy({
        headers: { "content-type": c.req.header("content-type") ?? "" },
        limits: { fieldSize: limit, fileSize: limit, fields: MAX_FORM_FIELDS + 1, files: MAX_FORM_FILES, parts: MAX_FORM_FIELDS + MAX_FORM_FILES + 1 },
      });
    } catch (error) {
      reject(badRequest(`the form could not be read (${error instanceof Error ? error.message : String(error)})`));
      return;
    }
    const form = new FormData();
    const pending: Promise<void>[] = [];
    let refused: HttpError | undefined;
    const refuse = (error: HttpError) => {
      refused ??= error;
    };
    let fields = 0;
    parser.on("field", (name, value) => {
      // Counted here as well: busboy checks its URL-encoded field limit only between chunks.
      if (++fields > MAX_FORM_FIELDS) return refuse(badRequest(`the form has more than ${MAX_FORM_FIELDS} fields`));
      form.append(name, value);
    });
    parser.on("file", (name, stream, filename, _encoding, mimeType) => {
      pending.push(new Promise<void>((done) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          form.append(name, new File(chunks as Uint8Array<ArrayBuffer>[], filename ?? "", { type: mimeType || "application/octet-stream" }));
          done();
        });
        stream.on("error", () => done());
      }));
    });
    parser.on("fieldsLimit", () => refuse(badRequest(`the form has more than ${MAX_FORM_FIELDS} fields`)));
    parser.on("filesLimit", () => refuse(badRequest(`the form has more than ${MAX_FORM_FILES} files`)));
    parser.on("partsLimit", () => refuse(badRequest(`the form has more than ${MAX_FORM_FIELDS + MAX_FORM_FILES} parts`)));
    parser.on("error", (error: unknown) => reject(error instanceof HttpError ? error : badRequest(`the form could not be read (${error instanceof Error ? error.message : String(error)})`)));
    parser.on("finish", () => {
      Promise.all(pending).then(() => (refused ? reject(refused) : resolve(form)), reject);
    });
    const body = limitedStream(c, limit);
    body.on("error", (error) => {
      parser.destroy();
      reject(error instanceof HttpError ? error : badRequest("the request body could not be read"));
    });
    body.pipe(parser);
  });
}
