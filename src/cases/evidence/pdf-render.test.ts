import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createUser } from "../../auth/service.js";
import { testEngine } from "../../db/test-db.js";
import { cookieFrom, createTestApp, TEST_SECRET } from "../../web/test-app.js";
import { submitComplaint } from "../service.js";
import { EvidenceError, evidenceFromFiles, sha256Hex } from "./check.js";
import { contains, pdfWithScripts } from "./fixtures.js";
import { evidenceRoutes } from "./routes.js";
import { openBytes } from "../../db/data-key.js";

const pdftoppm = !spawnSync("pdftoppm", ["-v"], { stdio: "ignore" }).error;
const skip = !pdftoppm && "pdftoppm (poppler-utils) is not installed";
/** What the crafted PDF carries and a staff copy must not. */
const FORBIDDEN = ["/JavaScript", "/JS", "/OpenAction", "/AA", "/EmbeddedFile", "/Metadata", "/Author", "/Creator", "/Info", "/Annots", "Jane Canary", "canary"];

/** poppler's own view of a file: pdfinfo's fields and pdfdetach's list. */
function popplerSees(bytes: Uint8Array): { info: string; attachments: string } {
  const dir = mkdtempSync(join(tmpdir(), "oversight-pdf-test-"));
  try {
    const path = join(dir, "f.pdf");
    writeFileSync(path, bytes);
    return {
      info: spawnSync("pdfinfo", [path], { encoding: "utf8" }).stdout,
      attachments: spawnSync("pdfdetach", ["-list", path], { encoding: "utf8" }).stdout,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("PDFs shown to staff are rendered pages only (skipped where poppler is not installed)", () => {
  it("the crafted PDF really holds JavaScript, an OpenAction, an attachment and Author metadata", { skip }, () => {
    const original = pdfWithScripts();
    for (const marker of ["/JavaScript", "/OpenAction", "/AA", "/EmbeddedFiles", "/Metadata", "/Author (Jane Canary)"]) assert.ok(contains(original, marker), marker);
    const seen = popplerSees(original);
    assert.match(seen.info, /JavaScript:\s+yes/);
    assert.match(seen.info, /Author:\s+Jane Canary/);
    assert.match(seen.attachments, /canary\.txt/);
  });

  it("keeps the original as the evidence and makes a staff copy with none of it, that poppler reads as one clean page", { skip }, async () => {
    const original = pdfWithScripts();
    const [checked] = await evidenceFromFiles([new File([original], "Jane Canary record.pdf", { type: "application/pdf" })]);
    assert.equal(checked.sha256, sha256Hex(original), "the evidence is the original, by its hash");
    assert.deepEqual(Buffer.from(checked.bytes), Buffer.from(original));
    assert.equal(checked.stripped, true);
    assert.notEqual(checked.sharedSha256, checked.sha256);
    for (const marker of FORBIDDEN) assert.ok(!contains(checked.shared, marker), `the staff copy has no ${marker}`);
    const seen = popplerSees(checked.shared);
    assert.match(seen.info, /Pages:\s+1\b/);
    assert.match(seen.info, /JavaScript:\s+no/);
    assert.match(seen.info, /Metadata Stream:\s+no/);
    assert.doesNotMatch(seen.info, /Author|Creator|Title/);
    assert.match(seen.attachments, /^0 embedded files/);
  });

  it("refuses a PDF poppler cannot read, naming the file, rather than sharing it unrendered", { skip }, async () => {
    const broken = new File([Buffer.from("%PDF-1.7\nthis is not a document\n")], "broken.pdf");
    await assert.rejects(evidenceFromFiles([broken]), (error: unknown) => error instanceof EvidenceError && /broken\.pdf/.test(String(error.detail)) && /safe copy/.test(String(error.detail)));
  });
});

describe(`a PDF uploaded to a case: custody of the original, the rendered copy served (${testEngine})`, { skip }, () => {
  let site: Awaited<ReturnType<typeof createTestApp>>;
  let cookie: string;
  let csrf: string;
  before(async () => {
    site = await createTestApp();
    site.app.route("/", evidenceRoutes());
    await createUser(site.db, { email: "intake@example.org", displayName: "Intake", password: "intake password 123", role: "intake" }, "test");
    const form = await site.app.request("/login");
    const anon = cookieFrom(form, "oversight_csrf")!;
    const login = await site.app.request("/login", { method: "POST", body: new URLSearchParams({ email: "intake@example.org", password: "intake password 123", _csrf: anon }), headers: { cookie: `oversight_csrf=${anon}`, "content-type": "application/x-www-form-urlencoded" } });
    cookie = `oversight_session=${cookieFrom(login, "oversight_session")}`;
    csrf = /name="_csrf" value="([^"]+)"/.exec(await (await site.app.request("/", { headers: { cookie } })).text())![1];
  });
  after(() => site.close());

  it("stores the original under its hash with custody, and staff view and download only the rendered copy", async () => {
    const filed = await submitComplaint(site.db, TEST_SECRET, { narrative: "The officer's report, attached.", anonymous: true }, null);
    const original = pdfWithScripts();
    const data = new FormData();
    data.append("_csrf", csrf);
    data.append("evidence", new File([original], "report.pdf", { type: "application/pdf" }));
    assert.equal((await site.app.request(`/staff/cases/${filed.caseId}/evidence`, { method: "POST", body: data, headers: { cookie } })).status, 303);
    const [item] = await site.db.query<{ id: string; sha256: string; shared_sha256: string }>("SELECT id, sha256, shared_sha256 FROM evidence_items WHERE case_id = $1", [filed.caseId]);
    assert.equal(item.sha256, sha256Hex(original));
    const [blob] = await site.db.query<{ b64: string; sealed: boolean }>("SELECT encode(bytes, 'base64') AS b64, sealed FROM evidence_blobs WHERE sha256 = $1", [item.sha256]);
    assert.ok(blob.sealed, "the original is sealed at rest");
    assert.ok(openBytes(Buffer.from(blob.b64, "base64")).equals(Buffer.from(original)), "the original bytes are kept");
    const custody = await site.db.query<{ action: string; sha256: string }>("SELECT action, sha256 FROM evidence_custody WHERE evidence_id = $1 ORDER BY seq", [item.id]);
    assert.deepEqual(custody.map((c) => [c.action, c.sha256]), [["added", item.sha256], ["stripped", item.shared_sha256]]);
    for (const query of ["", "?download=1"]) {
      const response = await site.app.request(`/staff/cases/${filed.caseId}/evidence/${item.id}${query}`, { headers: { cookie } });
      assert.equal(response.status, 200);
      const served = new Uint8Array(await response.arrayBuffer());
      assert.equal(sha256Hex(served), item.shared_sha256);
      for (const marker of FORBIDDEN) assert.ok(!contains(served, marker), `served copy has no ${marker}`);
    }
    // The original, for a prosecutor or a court: the very bytes whose hash the custody log holds, and the export is recorded.
    const exported = await site.app.request(`/staff/cases/${filed.caseId}/evidence/${item.id}?original=1`, { headers: { cookie } });
    assert.equal(exported.status, 200);
    assert.ok(Buffer.from(await exported.arrayBuffer()).equals(Buffer.from(original)));
    assert.equal(exported.headers.get("x-evidence-sha256"), item.sha256);
    assert.match(exported.headers.get("content-disposition") ?? "", /attachment; filename="evidence-[0-9a-f]{12}-original\.pdf"/);
    const [last] = await site.db.query<{ action: string; sha256: string }>("SELECT action, sha256 FROM evidence_custody WHERE evidence_id = $1 ORDER BY seq DESC LIMIT 1", [item.id]);
    assert.deepEqual([last.action, last.sha256], ["exported", item.sha256]);
  });
});
