import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createUser } from "../../auth/service.js";
import { databaseSnapshot } from "../../db/snapshot.js";
import { testEngine } from "../../db/test-db.js";
import { cookieFrom, createTestApp } from "../../web/test-app.js";
import { MAX_FILE_BYTES } from "./check.js";
import { CANARY, contains, html, jpegWithMetadata, mp3, pdf, pngWithMetadata, type Bytes } from "./fixtures.js";
import { evidenceForCase } from "./store.js";

/**
 * Evidence through the real app, once wired: the public intake form with files,
 * staff intake, the case page's list, the upload route and the body limit.
 * Skipped, saying so, until evidenceRoutes() is mounted in createApp.
 */
describe(`evidence wired into the app (${testEngine})`, () => {
  let site: Awaited<ReturnType<typeof createTestApp>>;
  let wired = false;
  let staff: { cookie: string; csrf: string };
  before(async () => {
    site = await createTestApp();
    await createUser(site.db, { email: "intake@example.org", displayName: "Intake", password: "intake password 123", role: "intake" }, "test");
    const form = await site.app.request("/login");
    const csrf = cookieFrom(form, "oversight_csrf")!;
    const login = await site.app.request("/login", { method: "POST", body: new URLSearchParams({ email: "intake@example.org", password: "intake password 123", _csrf: csrf }), headers: { cookie: `oversight_csrf=${csrf}`, "content-type": "application/x-www-form-urlencoded" } });
    const cookie = `oversight_session=${cookieFrom(login, "oversight_session")}`;
    const page = await (await site.app.request("/", { headers: { cookie } })).text();
    staff = { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page)![1] };
    // The upload route answers 400 for an empty upload once mounted; 404 before.
    const probe = await site.app.request("/staff/cases/00000000-0000-4000-8000-000000000000/evidence", { method: "POST", body: new URLSearchParams({ _csrf: staff.csrf }), headers: { cookie, "content-type": "application/x-www-form-urlencoded" } });
    wired = probe.status !== 404;
  });
  after(() => site.close());

  async function publicForm(fields: Record<string, string>, files: { name: string; bytes: Bytes; type?: string }[]) {
    const page = await site.app.request("/complaints/new");
    const token = cookieFrom(page, "oversight_csrf")!;
    const data = new FormData();
    data.append("_csrf", token);
    for (const [k, v] of Object.entries(fields)) data.append(k, v);
    for (const f of files) data.append("evidence", new File([f.bytes], f.name, { type: f.type ?? "" }));
    return site.app.request("/complaints/new", { method: "POST", body: data, headers: { cookie: `oversight_csrf=${token}` } });
  }

  it("files a complaint with its evidence in one submission", async (t) => {
    if (!wired) return t.skip("evidenceRoutes() is not mounted in createApp yet");
    const response = await publicForm({ narrative: "An officer pushed me against the car; photos attached.", anonymous: "1" }, [
      { name: "Zelda Canarywing bruise.jpg", bytes: jpegWithMetadata(), type: "image/jpeg" }, { name: "scene.png", bytes: pngWithMetadata() }, { name: "audio.mp3", bytes: mp3() },
    ]);
    assert.equal(response.status, 200);
    const [row] = await site.db.query<{ id: string }>("SELECT id FROM cases ORDER BY received_at DESC LIMIT 1");
    const items = await evidenceForCase(site.db, row.id, { names: true });
    assert.deepEqual(items.map((i) => [i.originalName, i.detectedType, i.uploadedBy]), [["Zelda Canarywing bruise.jpg", "image/jpeg", "complainant"], ["scene.png", "image/png", "complainant"], ["audio.mp3", "audio/mpeg", "complainant"]]);
    const [audit] = await site.db.query<{ entry: string }>("SELECT entry FROM audit_log WHERE action = 'case.submit' AND entity_id = $1", [row.id]);
    assert.match(audit.entry, /"evidence":3/);
    // The case page lists them, with names for intake, and the photo it serves is stripped.
    const casePage = await (await site.app.request(`/staff/cases/${row.id}`, { headers: { cookie: staff.cookie } })).text();
    assert.match(casePage, /Zelda Canarywing bruise\.jpg/);
    const photo = await site.app.request(`/staff/cases/${row.id}/evidence/${items[0].id}`, { headers: { cookie: staff.cookie } });
    assert.equal(photo.status, 200);
    assert.equal(contains(new Uint8Array(await photo.arrayBuffer()), CANARY.make), false);
  });

  it("refuses the whole submission when its third file is HTML named .jpg, naming it in the form, and writes nothing", async (t) => {
    if (!wired) return t.skip("evidenceRoutes() is not mounted in createApp yet");
    const before = await databaseSnapshot(site.db);
    const response = await publicForm({ narrative: "An officer pushed me against the car; photos attached.", anonymous: "1" }, [
      { name: "a.jpg", bytes: jpegWithMetadata() }, { name: "b.pdf", bytes: pdf() }, { name: "c.jpg", bytes: html(), type: "image/jpeg" },
    ]);
    assert.equal(response.status, 415);
    const page = await response.text();
    assert.match(page, /evidence file 3 \(&quot;c\.jpg&quot;\)/);
    assert.match(page, /name="narrative"/, "the form comes back");
    assert.deepEqual(await databaseSnapshot(site.db), before);
  });

  it("refuses a file of 20 MB and one byte, naming it, and writes nothing", async (t) => {
    if (!wired) return t.skip("evidenceRoutes() is not mounted in createApp yet");
    const before = await databaseSnapshot(site.db);
    const over = new Uint8Array(MAX_FILE_BYTES + 1);
    over.set(pdf());
    const response = await publicForm({ narrative: "An officer pushed me against the car; video attached.", anonymous: "1" }, [{ name: "long.pdf", bytes: over }]);
    assert.equal(response.status, 413);
    assert.match(await response.text(), /long\.pdf/);
    assert.deepEqual(await databaseSnapshot(site.db), before);
  });

  it("takes evidence on the staff intake form too", async (t) => {
    if (!wired) return t.skip("evidenceRoutes() is not mounted in createApp yet");
    const data = new FormData();
    data.append("_csrf", staff.csrf);
    data.append("narrative", "Taken by phone: stopped without reason, sent a photo.");
    data.append("channel", "phone");
    data.append("evidence", new File([pngWithMetadata()], "photo.png"));
    const response = await site.app.request("/staff/cases/new", { method: "POST", body: data, headers: { cookie: staff.cookie } });
    assert.equal(response.status, 200);
    const [row] = await site.db.query<{ id: string }>("SELECT id FROM cases WHERE channel = 'phone' ORDER BY received_at DESC LIMIT 1");
    const [item] = await evidenceForCase(site.db, row.id);
    assert.equal(item.uploadedBy, "staff");
  });

  it("refuses a request body larger than five files can be, before reading it", async (t) => {
    if (!wired) return t.skip("evidenceRoutes() is not mounted in createApp yet");
    const page = await site.app.request("/complaints/new");
    const token = cookieFrom(page, "oversight_csrf")!;
    const response = await site.app.request("/complaints/new", { method: "POST", body: "x", headers: { cookie: `oversight_csrf=${token}`, "content-type": "multipart/form-data; boundary=x", "content-length": String(106 * 1024 * 1024) } });
    assert.equal(response.status, 413);
  });
});
