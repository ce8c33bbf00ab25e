import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Hono } from "hono";
import { ROLES, type Role } from "../../auth/roles.js";
import { createUser } from "../../auth/service.js";
import { databaseSnapshot } from "../../db/snapshot.js";
import { testEngine } from "../../db/test-db.js";
import type { AppDeps, AppEnv } from "../../web/context.js";
import { HttpError } from "../../web/errors.js";
import { cookieFrom, createTestApp, TEST_SECRET } from "../../web/test-app.js";
import { submitComplaint } from "../service.js";
import { sha256Hex } from "./check.js";
import { CANARY, contains, html, jpegWithMetadata, jpegMarkers, pdf, plainJpeg, pngWithMetadata, rationalBytes, type Bytes } from "./fixtures.js";
import { evidenceRoutes } from "./routes.js";
import { assignBoardPanel } from "../staff-service.js";
import { custodyOf, evidenceForCase, storeEvidence } from "./store.js";
import { EvidenceList } from "./views.js";

type Who = Role | "anonymous" | "complainant";

describe(`evidence routes (${testEngine})`, () => {
  let site: Awaited<ReturnType<typeof createTestApp>>;
  const sessions = new Map<Who, { cookie: string; csrf: string }>();
  const userIds = new Map<Role, string>();
  let caseId: string;
  let otherCaseId: string;
  let photo: { id: string; sha256: string; sharedSha256: string };
  let document: { id: string; sha256: string };
  let otherPhoto: { id: string };

  before(async () => {
    site = await createTestApp();
    // As createApp will, once wired: the office's routes, then evidence.
    site.app.route("/", evidenceRoutes());
    for (const role of ROLES) {
      userIds.set(role, await createUser(site.db, { email: `${role}@example.org`, displayName: role, password: `${role} password 123`, role }, "test"));
    }
    const mine = await submitComplaint(site.db, TEST_SECRET, { narrative: "An officer pushed me; photos attached.", anonymous: true }, null);
    const other = await submitComplaint(site.db, TEST_SECRET, { narrative: "Someone else's complaint, with a photo.", anonymous: true }, null);
    caseId = mine.caseId;
    otherCaseId = other.caseId;
    [photo, document] = await site.db.transaction(async (tx) => [
      await storeEvidence(tx, caseId, { name: "Jane Canary injury.jpg", type: "image/jpeg", bytes: jpegWithMetadata() }, "complainant"),
      await storeEvidence(tx, caseId, { name: "Jane Canary medical record.pdf", type: "application/pdf", bytes: pdf("/Author (Jane Canary)\n") }, "complainant"),
    ]);
    otherPhoto = await site.db.transaction((tx) => storeEvidence(tx, otherCaseId, { name: "theirs.png", type: "image/png", bytes: pngWithMetadata() }, "complainant"));
    // The board member sits on the first case's panel only.
    await assignBoardPanel(site.db, "test", caseId, [userIds.get("board_member")!]);

    for (const role of ROLES) {
      const form = await site.app.request("/login");
      const csrf = cookieFrom(form, "oversight_csrf")!;
      const login = await site.app.request("/login", { method: "POST", body: new URLSearchParams({ email: `${role}@example.org`, password: `${role} password 123`, _csrf: csrf }), headers: { cookie: `oversight_csrf=${csrf}`, "content-type": "application/x-www-form-urlencoded" } });
      const session = cookieFrom(login, "oversight_session")!;
      const page = await (await site.app.request("/", { headers: { cookie: `oversight_session=${session}` } })).text();
      sessions.set(role, { cookie: `oversight_session=${session}`, csrf: /name="_csrf" value="([^"]+)"/.exec(page)![1] });
    }
    const anon = await site.app.request("/login");
    const anonCsrf = cookieFrom(anon, "oversight_csrf")!;
    sessions.set("anonymous", { cookie: `oversight_csrf=${anonCsrf}`, csrf: anonCsrf });
    const opened = await site.app.request("/complaints/status", { method: "POST", body: new URLSearchParams({ case_number: mine.caseNumber, receipt: mine.receipt, _csrf: anonCsrf }), headers: { cookie: `oversight_csrf=${anonCsrf}`, "content-type": "application/x-www-form-urlencoded" } });
    sessions.set("complainant", { cookie: `oversight_csrf=${anonCsrf}; oversight_case=${cookieFrom(opened, "oversight_case")}`, csrf: anonCsrf });
  });
  after(() => site.close());

  const get = (who: Who, path: string) => site.app.request(path, { headers: { cookie: sessions.get(who)!.cookie } });
  const upload = (who: Who, id: string, files: { name: string; bytes: Bytes; type?: string }[]) => {
    const data = new FormData();
    data.append("_csrf", sessions.get(who)!.csrf);
    for (const f of files) data.append("evidence", new File([f.bytes], f.name, { type: f.type ?? "" }));
    return site.app.request(`/staff/cases/${id}/evidence`, { method: "POST", body: data, headers: { cookie: sessions.get(who)!.cookie } });
  };
  const refused = (response: Response) => response.status === 403 || (response.status === 303 && (response.headers.get("location") ?? "").startsWith("/login"));

  it("serves the stripped photo to staff who work cases, as a download that cannot be sniffed or cached", async () => {
    for (const role of ["admin", "intake", "investigator"] as const) {
      const response = await get(role, `/staff/cases/${caseId}/evidence/${photo.id}`);
      assert.equal(response.status, 200, role);
      assert.equal(response.headers.get("content-type"), "image/jpeg");
      assert.equal(response.headers.get("content-disposition"), `attachment; filename="evidence-${photo.sharedSha256.slice(0, 12)}.jpg"`);
      assert.equal(response.headers.get("x-content-type-options"), "nosniff");
      assert.equal(response.headers.get("cache-control"), "no-store");
      assert.equal(response.headers.get("content-security-policy"), "default-src 'none'; sandbox", "the download's own policy, not the site's");
      const bytes = new Uint8Array(await response.arrayBuffer());
      assert.equal(sha256Hex(bytes), photo.sharedSha256);
      assert.notEqual(sha256Hex(bytes), photo.sha256, "never the original");
      for (const canary of [CANARY.make, CANARY.model, CANARY.comment, CANARY.trailer, CANARY.iptc]) assert.equal(contains(bytes, canary), false, canary);
      assert.equal(contains(bytes, rationalBytes(CANARY.latitude)), false, "no GPS latitude");
      assert.doesNotThrow(() => jpegMarkers(bytes));
    }
  });

  it("keeps the sandbox policy on a download, while pages keep the site's", async () => {
    const download = await get("admin", `/staff/cases/${caseId}/evidence/${document.id}?download=1`);
    assert.equal(download.status, 200);
    assert.equal(download.headers.get("content-security-policy"), "default-src 'none'; sandbox");
    const page = await get("admin", "/");
    assert.match(page.headers.get("content-security-policy") ?? "", /default-src 'self'.*script-src 'self'/);
  });

  it("records custody 'viewed', or 'exported' with ?download=1, for the user who took it", async () => {
    const before = (await custodyOf(site.db, document.id)).length;
    assert.equal((await get("investigator", `/staff/cases/${caseId}/evidence/${document.id}`)).status, 200);
    assert.equal((await get("admin", `/staff/cases/${caseId}/evidence/${document.id}?download=1`)).status, 200);
    const custody = (await custodyOf(site.db, document.id)).slice(before);
    assert.deepEqual(custody.map((c) => [c.actor, c.action, c.sha256]), [[`user:${userIds.get("investigator")}`, "viewed", document.sha256], [`user:${userIds.get("admin")}`, "exported", document.sha256]]);
  });

  it("lets board members see stripped images but not PDFs, video or audio, whose metadata is not removed", async () => {
    const image = await get("board_member", `/staff/cases/${caseId}/evidence/${photo.id}`);
    assert.equal(image.status, 200);
    assert.equal(sha256Hex(new Uint8Array(await image.arrayBuffer())), photo.sharedSha256);
    const before = (await custodyOf(site.db, document.id)).length;
    assert.equal((await get("board_member", `/staff/cases/${caseId}/evidence/${document.id}`)).status, 403);
    assert.equal((await custodyOf(site.db, document.id)).length, before, "a refusal records no custody");
  });

  it("refuses the public, a complainant, and roles outside the office — and records nothing", async () => {
    const before = await databaseSnapshot(site.db);
    for (const who of ["anonymous", "complainant", "organizer", "public"] as Who[]) {
      for (const path of [`/staff/cases/${caseId}/evidence/${photo.id}`, `/staff/cases/${caseId}/evidence/${photo.id}?download=1`]) {
        const response = await get(who, path);
        assert.ok(refused(response), `${who} ${path}: ${response.status}`);
        assert.equal(contains(new Uint8Array(await response.arrayBuffer()), "JFIF"), false);
      }
    }
    assert.deepEqual(await databaseSnapshot(site.db), before);
  });

  it("finds nothing for an item asked for under another case's number, or a malformed id", async () => {
    const before = await databaseSnapshot(site.db);
    assert.equal((await get("admin", `/staff/cases/${caseId}/evidence/${otherPhoto.id}`)).status, 404);
    assert.equal((await get("admin", `/staff/cases/${otherCaseId}/evidence/${photo.id}`)).status, 404);
    assert.equal((await get("admin", `/staff/cases/${caseId}/evidence/not-a-uuid`)).status, 404);
    assert.equal((await get("admin", `/staff/cases/${caseId}/evidence/00000000-0000-4000-8000-000000000000`)).status, 404);
    assert.deepEqual(await databaseSnapshot(site.db), before);
  });

  it("lets intake add files to a case, all or nothing; the board and the public may not", async () => {
    const ok = await upload("intake", otherCaseId, [{ name: "scene.png", bytes: pngWithMetadata(), type: "image/png" }, { name: "letter.pdf", bytes: pdf("% letter\n") }]);
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get("location"), `/staff/cases/${otherCaseId}#evidence-list`);
    const listed = await evidenceForCase(site.db, otherCaseId, { names: true });
    assert.deepEqual(listed.map((e) => [e.originalName, e.detectedType, e.uploadedBy]), [["theirs.png", "image/png", "complainant"], ["scene.png", "image/png", "staff"], ["letter.pdf", "application/pdf", "staff"]]);

    const before = await databaseSnapshot(site.db);
    const bad = await upload("investigator", otherCaseId, [{ name: "fine.png", bytes: pngWithMetadata() }, { name: "fine.pdf", bytes: pdf() }, { name: "photo.jpg", bytes: html(), type: "image/jpeg" }]);
    assert.equal(bad.status, 415);
    assert.match(await bad.text(), /evidence file 3 \(&quot;photo.jpg&quot;\)|evidence file 3 \("photo.jpg"\)/);
    const huge = await upload("investigator", otherCaseId, [{ name: "fine.pdf", bytes: pdf() }, { name: "claims-huge.jpg", bytes: plainJpeg({ width: 60_000, height: 60_000 }), type: "image/jpeg" }]);
    assert.equal(huge.status, 413);
    assert.match(await huge.text(), /evidence file 2 \((&quot;|")claims-huge\.jpg(&quot;|")\): the image is 60000 × 60000 pixels \(3600 megapixels\); the limit is 50 megapixels/);
    const tooMany = await upload("admin", otherCaseId, Array.from({ length: 6 }, (_, i) => ({ name: `p${i}.pdf`, bytes: pdf(`% ${i}\n`) })));
    assert.equal(tooMany.status, 400);
    for (const who of ["board_member", "organizer", "anonymous", "complainant"] as Who[]) {
      const response = await upload(who, otherCaseId, [{ name: "x.pdf", bytes: pdf() }]);
      assert.ok(refused(response), `${who}: ${response.status}`);
    }
    assert.equal((await upload("intake", "00000000-0000-4000-8000-000000000000", [{ name: "x.pdf", bytes: pdf() }])).status, 404);
    assert.deepEqual(await databaseSnapshot(site.db), before);
  });

  it("checks roles itself, whatever is mounted before it", async () => {
    // Only this sub-app, without the staff pages' middleware in front of it.
    const bare = new Hono<AppEnv>();
    bare.use("*", async (c, next) => {
      const role = c.req.header("x-role") as Role | undefined;
      c.set("deps", { db: site.db } as AppDeps);
      c.set("lang", "en");
      c.set("actor", role ? { kind: "user", id: userIds.get(role)!, role, displayName: role, email: `${role}@example.org` } : { kind: "public" });
      await next();
    });
    bare.route("/", evidenceRoutes());
    bare.onError((error, c) => c.text(error.message, error instanceof HttpError ? error.status : 500));
    const ask = (role: Role | undefined, path: string) => bare.request(path, { headers: role ? { "x-role": role } : {} });
    const path = `/staff/cases/${caseId}/evidence/${photo.id}`;
    assert.equal((await ask(undefined, path)).status, 303);
    assert.equal((await ask("organizer", path)).status, 403);
    assert.equal((await ask("public", path)).status, 403);
    assert.equal((await ask("board_member", `/staff/cases/${caseId}/evidence/${document.id}`)).status, 403);
    assert.equal((await ask("board_member", path)).status, 200);
    assert.equal((await ask("board_member", `/staff/cases/${otherCaseId}/evidence/${otherPhoto.id}`)).status, 404, "off the panel, the case is not found");
    assert.equal((await ask("investigator", `/staff/cases/${caseId}/evidence/${document.id}`)).status, 200);
  });

  it("lists evidence for the case page: original names only for roles that may know who complained", async () => {
    const forIntake = String(EvidenceList({ lang: "en", caseId, items: await evidenceForCase(site.db, caseId, { names: true }), full: true, csrfToken: "token" }));
    assert.match(forIntake, /Jane Canary injury\.jpg/);
    assert.match(forIntake, new RegExp(photo.sha256.slice(0, 12)));
    assert.match(forIntake, new RegExp(`/staff/cases/${caseId}/evidence/${document.id}\\?download=1`));
    assert.match(forIntake, /enctype="multipart\/form-data"/);
    const forBoard = String(EvidenceList({ lang: "es", caseId, items: await evidenceForCase(site.db, caseId), full: false }));
    assert.doesNotMatch(forBoard, /Canary|\.jpg|\.pdf/);
    assert.match(forBoard, new RegExp(`/staff/cases/${caseId}/evidence/${photo.id}`));
    assert.doesNotMatch(forBoard, new RegExp(`/evidence/${document.id}`), "no link the board would be refused");
    assert.match(forBoard, /No se muestra a la junta/);
    assert.doesNotMatch(forBoard, /<form/);
    assert.match(String(EvidenceList({ lang: "en", caseId: otherCaseId, items: [], full: true })), /No evidence files/);
  });
});
