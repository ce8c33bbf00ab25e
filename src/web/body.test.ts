import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Hono } from "hono";
import { testEngine } from "../db/test-db.js";
import { readBodies, DEFAULT_BODY_BYTES, MAX_JSON_DEPTH } from "./body.js";
import { HttpError } from "./errors.js";
import { cookieFrom, createTestApp } from "./test-app.js";

/** A body that counts what the server pulls from it: proof of what was read before the answer. */
function countedBody(totalBytes: number, chunkBytes = 64 * 1024) {
  const pulled = { bytes: 0 };
  const chunk = new Uint8Array(chunkBytes).fill(0x61);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.bytes >= totalBytes) return controller.close();
      pulled.bytes += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled };
}

describe(`request bodies on the whole site (${testEngine})`, () => {
  let site: Awaited<ReturnType<typeof createTestApp>>;
  before(async () => {
    site = await createTestApp();
  });
  after(() => site.close());

  it("refuses a declared 200 MB anonymous POST to /login with 413 before reading it", async () => {
    const { stream, pulled } = countedBody(200 * 1024 * 1024);
    const answer = await site.app.request("/login", {
      method: "POST",
      body: stream,
      duplex: "half",
      headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(200 * 1024 * 1024) },
    } as RequestInit);
    assert.equal(answer.status, 413);
    assert.match(await answer.text(), /more than the site accepts/);
    assert.ok(pulled.bytes <= 128 * 1024, `read ${pulled.bytes} bytes before answering`);
  });

  it("stops reading an undeclared (chunked) body once it passes the limit", async () => {
    const { stream, pulled } = countedBody(50 * 1024 * 1024);
    const answer = await site.app.request("/campaign/votes", { method: "POST", body: stream, duplex: "half", headers: { "content-type": "multipart/form-data; boundary=x" } } as RequestInit);
    assert.equal(answer.status, 413);
    assert.ok(pulled.bytes <= DEFAULT_BODY_BYTES + 256 * 1024, `read ${pulled.bytes} bytes of 50 MB`);
  });

  it("gives the complaint form its larger limit: a 3 MB form reaches the CSRF check instead of a 413", async () => {
    const form = new FormData();
    form.append("narrative", "x".repeat(3 * 1024 * 1024));
    const answer = await site.app.request("/complaints/new", { method: "POST", body: form });
    assert.equal(answer.status, 403, "read whole, then refused for its missing token");
  });

  it("answers a malformed multipart body with 400 and a reason, never a 500", async () => {
    const page = await site.app.request("/login");
    const csrf = cookieFrom(page, "oversight_csrf")!;
    for (const body of ["--b\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\nunterminated", "no boundary at all"]) {
      const answer = await site.app.request("/login", { method: "POST", body, headers: { cookie: `oversight_csrf=${csrf}`, "content-type": "multipart/form-data; boundary=b" } });
      assert.equal(answer.status, 400);
      assert.doesNotMatch(await answer.text(), /\bat .*\.(ts|js):\d+/, "no stack trace");
    }
    const noBoundary = await site.app.request("/login", { method: "POST", body: "x", headers: { "content-type": "multipart/form-data" } });
    assert.equal(noBoundary.status, 400);
    assert.match(await noBoundary.text(), /the form could not be read/);
  });

  it("refuses JSON that does not parse or nests too deep, naming the problem", async () => {
    const deep = "[".repeat(MAX_JSON_DEPTH + 1) + "]".repeat(MAX_JSON_DEPTH + 1);
    const tooDeep = await site.app.request("/api/v1/staff/cases", { method: "POST", body: deep, headers: { "content-type": "application/json" } });
    assert.equal(tooDeep.status, 400);
    assert.match((await tooDeep.json()).error.detail, /nests deeper than 32 levels/);
    const broken = await site.app.request("/api/v1/staff/cases", { method: "POST", body: "{\"a\":", headers: { "content-type": "application/json" } });
    assert.equal(broken.status, 400);
    assert.match((await broken.json()).error.detail, /not valid JSON/);
  });
});

describe("forms the parser reads as RFC 7578 allows", () => {
  const app = new Hono();
  app.onError((error, c) => c.json({ status: error instanceof HttpError ? error.status : 500, detail: error instanceof HttpError ? error.detail : error.message }, error instanceof HttpError ? error.status : 500));
  app.use("*", readBodies([{ path: "/small", maxBytes: 100 }]));
  app.post("*", async (c) => {
    const body = await c.req.parseBody({ all: true });
    const shown: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(body)) shown[key] = value instanceof File ? { file: value.name, type: value.type, size: value.size } : value;
    return c.json(shown);
  });
  const post = (path: string, parts: string, boundary = "B") =>
    app.request(path, { method: "POST", body: parts, headers: { "content-type": `multipart/form-data; boundary=${boundary}` } });

  it("reads unquoted names, filename*, a preamble and escaped quotes, which the platform parser refuses", async () => {
    const body = [
      "a preamble the parser must skip\r\n",
      "--B\r\nContent-Disposition: form-data; name=plain\r\n\r\nunquoted\r\n",
      "--B\r\nContent-Disposition: form-data; name=\"photo\"; filename*=utf-8''foto%20%C3%B1.jpg\r\nContent-Type: image/jpeg\r\n\r\nJPEG\r\n",
      "--B\r\nContent-Disposition: form-data; name=\"quoted\"; filename=\"say \\\"hi\\\".txt\"\r\nContent-Type: text/plain\r\n\r\nhi\r\n",
      "--B\r\nContent-Disposition: form-data; name=\"many\"\r\n\r\none\r\n--B\r\nContent-Disposition: form-data; name=\"many\"\r\n\r\ntwo\r\n--B--\r\n",
    ].join("");
    const answer = await post("/any", body);
    assert.equal(answer.status, 200);
    assert.deepEqual(await answer.json(), {
      plain: "unquoted",
      photo: { file: "foto ñ.jpg", type: "image/jpeg", size: 4 },
      quoted: { file: "say \"hi\".txt", type: "text/plain", size: 2 },
      many: ["one", "two"],
    });
  });

  it("reads URL-encoded forms", async () => {
    const answer = await app.request("/any", { method: "POST", body: "a=1&b=%C3%B1&b=2", headers: { "content-type": "application/x-www-form-urlencoded" } });
    assert.deepEqual(await answer.json(), { a: "1", b: ["ñ", "2"] });
  });

  it("applies a route's own limit", async () => {
    const answer = await post("/small", `--B\r\nContent-Disposition: form-data; name="a"\r\n\r\n${"x".repeat(200)}\r\n--B--\r\n`);
    assert.equal(answer.status, 413);
  });

  it("refuses a form with too many fields", async () => {
    const many = Array.from({ length: 1001 }, (_, i) => `f${i}=1`).join("&");
    const answer = await app.request("/any", { method: "POST", body: many, headers: { "content-type": "application/x-www-form-urlencoded" } });
    assert.equal(answer.status, 400);
    assert.match((await answer.json()).detail, /more than 1000 fields/);
  });
});
