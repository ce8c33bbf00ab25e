import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { verifyAuditLog } from "../../src/audit/service.js";
import { createUser } from "../../src/auth/service.js";
import { ROLES, type Role } from "../../src/auth/roles.js";
import { testEngine } from "../../src/db/test-db.js";
import { petitionsOpenApiPaths } from "../../src/campaign/petitions/openapi.js";
import * as repo from "../../src/campaign/petitions/repo.js";
import { anonymiseDue } from "../../src/campaign/petitions/service.js";
import { seedKansasCityPetition } from "../../src/campaign/petitions/seed.js";
import { confirmLink, createPetitionTestApp, makePetition, sign, visit, type PetitionTestApp } from "../../src/campaign/petitions/test-support.js";
import { cookieFrom } from "../../src/web/test-app.js";

interface Session { cookie: string; csrf: string }

/**
 * What organizers and staff do: thresholds that notify the target once, paper
 * signatures in bulk, the verified list for delivery, invalidation, closing and
 * anonymisation; and the public API. Role checks on every staff route.
 */
describe(`petitions: organizers, thresholds, paper, export, anonymisation, API (${testEngine})`, () => {
  let site: PetitionTestApp;
  let petitionId: string;
  const slug = "test-petition";
  const sessions = new Map<Role, Session>();

  const signAndConfirm = async (email: string, fields: { name?: string; show_publicly?: string; address?: string } = {}) => {
    const visitor = await visit(site.app, slug, fields.address ?? `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`);
    const signed = await sign(site.app, slug, visitor, { email, name: fields.name, show_publicly: fields.show_publicly });
    assert.equal(signed.status, 200, `signing as ${email}`);
    const [mail] = await site.db.query<{ body_text: string }>("SELECT body_text FROM email_outbox WHERE to_address = $1 AND template = 'petition.confirm'", [email]);
    const confirmed = await site.app.request(confirmLink(mail.body_text), { method: "POST", body: new URLSearchParams({ _csrf: visitor.csrf }), headers: { cookie: visitor.cookie, "content-type": "application/x-www-form-urlencoded" } });
    assert.equal(confirmed.status, 200);
  };
  const as = (role: Role, path: string, init: RequestInit = {}) => {
    const session = sessions.get(role)!;
    return site.app.request(path, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), cookie: session.cookie, "x-csrf-token": session.csrf } });
  };
  const upload = (role: Role, csv: string, name = "paper.csv") => {
    const form = new FormData();
    form.append("file", new Blob([csv], { type: "text/csv" }), name);
    return as(role, `/petitions/${slug}/paper`, { method: "POST", body: form });
  };

  before(async () => {
    site = await createPetitionTestApp();
    petitionId = await makePetition(site.db);
    for (const role of ROLES) {
      await createUser(site.db, { email: `${role}@example.org`, displayName: role, password: `${role} password 123`, role }, "test");
      const form = await site.app.request("/login");
      const csrf = cookieFrom(form, "oversight_csrf")!;
      const login = await site.app.request("/login", { method: "POST", body: new URLSearchParams({ email: `${role}@example.org`, password: `${role} password 123`, _csrf: csrf }), headers: { cookie: `oversight_csrf=${csrf}`, "content-type": "application/x-www-form-urlencoded" } });
      const session = cookieFrom(login, "oversight_session")!;
      const page = await (await site.app.request("/", { headers: { cookie: `oversight_session=${session}` } })).text();
      sessions.set(role, { cookie: `oversight_session=${session}`, csrf: /name="_csrf" value="([^"]+)"/.exec(page)![1] });
    }
  });
  after(() => site.close());

  it("lets only organizers and admins manage, add paper, invalidate, export and create", async () => {
    const allowed: Role[] = ["admin", "organizer"];
    for (const role of ROLES) {
      const expected = allowed.includes(role) ? 200 : 403;
      assert.equal((await as(role, `/petitions/${slug}/manage`)).status, expected, `${role} manage`);
      assert.equal((await as(role, "/petitions/new")).status, expected, `${role} new`);
      if (!allowed.includes(role)) {
        assert.equal((await as(role, `/petitions/${slug}/export.csv`)).status, 403, `${role} export`);
        assert.equal((await upload(role, "name,zip\nA,64106\n")).status, 403, `${role} paper`);
        assert.equal((await as(role, `/petitions/${slug}/invalidate`, { method: "POST", body: new URLSearchParams({ signature: "x@example.org", reason: "fraud" }) })).status, 403, `${role} invalidate`);
        assert.equal((await as(role, `/petitions/${slug}/close`, { method: "POST", body: new URLSearchParams({}) })).status, 403, `${role} close`);
      }
    }
    assert.equal((await site.app.request(`/petitions/${slug}/export.csv`)).status, 403, "the public cannot export");
  });

  it("notifies the target once when a threshold is reached", async () => {
    await signAndConfirm("t1@example.org", { name: "Listed Person", show_publicly: "1" });
    await signAndConfirm("t2@example.org");
    let notices = await site.db.query<{ to_address: string; subject: string; body_text: string }>("SELECT to_address, subject, body_text FROM email_outbox WHERE template = 'petition.threshold'");
    assert.equal(notices.length, 0, "not before the threshold (3)");
    await signAndConfirm("t3@example.org");
    await signAndConfirm("t4@example.org");
    notices = await site.db.query("SELECT to_address, subject, body_text FROM email_outbox WHERE template = 'petition.threshold'");
    assert.equal(notices.length, 1, "exactly one notice, however far past the threshold");
    assert.equal(notices[0].to_address, "council@city.example");
    assert.match(notices[0].subject, /reached 3 verified signatures/);
    assert.match(notices[0].body_text, /The council must answer in writing\./);
    assert.match(notices[0].body_text, /http:\/\/oversight\.test\/petitions\/test-petition/);
    const [threshold] = await site.db.query<{ reached_at: string | null; notice_id: string | null }>("SELECT reached_at, notice_id FROM petition_thresholds WHERE petition_id = $1", [petitionId]);
    assert.ok(threshold.reached_at && threshold.notice_id);
    const page = await (await site.app.request(`/petitions/${slug}`)).text();
    assert.match(page, /Reached /);
  });

  it("adds paper signatures in bulk, all or nothing, naming every bad row", async () => {
    const bad = await upload("organizer", "name,zip,email,signed_on,show_publicly\nPaper One,64106,,2021-04-20,yes\n,64108,,,\nPaper Three,6410,,,\nPaper Four,64109,t1@example.org,,\nPaper Five,64110,x@example.org,20-04-2021,maybe\n");
    assert.equal(bad.status, 422);
    const html = await bad.text();
    assert.match(html, /Nothing was added\. 4 problem/);
    assert.match(html, /line 3: name is required/);
    assert.match(html, /line 4: zip must be a 5-digit ZIP code/);
    assert.match(html, /line 5: email: this address has already signed this petition/);
    assert.match(html, /line 6: signed_on must be a date as YYYY-MM-DD, or empty; show_publicly must be yes or no/);
    let [tally] = await repo.tallies(site.db, [petitionId]);
    assert.equal(tally.paper, 0, "nothing added");

    const header = await upload("organizer", "nombre,zip\nA,64106\n");
    assert.match(await header.text(), /the header lacks name.*unknown column\(s\) &quot;nombre&quot;/s);

    const csv = "Name,ZIP,Email,Signed_On,Show_Publicly\nPaper One,64106,,2021-04-20,yes\nPaper Two,64108-1234,paper2@example.org,,no\n\"=HYPERLINK(\"\"x\"\")\",64111,,,\n";
    const good = await upload("organizer", csv);
    assert.equal(good.status, 303);
    assert.match(good.headers.get("location")!, /added=3/);
    [tally] = await repo.tallies(site.db, [petitionId]);
    assert.equal(tally.paper, 3);
    assert.equal(tally.verified, 7);
    const again = await upload("organizer", csv);
    assert.match(await again.text(), /already added/);
    // A paper address cannot then sign online.
    const visitor = await visit(site.app, slug, "10.20.30.40");
    assert.equal((await sign(site.app, slug, visitor, { email: "Paper2@example.org" })).status, 409);
  });

  it("exports the verified list for delivery, without addresses, audited", async () => {
    const auditBefore = (await site.db.query("SELECT 1 FROM audit_log WHERE action = 'petition.export'")).length;
    const response = await as("organizer", `/petitions/${slug}/export.csv`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type")!, /text\/csv/);
    assert.equal(response.headers.get("cache-control"), "no-store");
    const csv = await response.text();
    const lines = csv.trim().split("\r\n");
    assert.equal(lines[0], "signature_id,name,zip,source,signed_at,verified_at");
    assert.equal(lines.length - 1, 7, "every verified signature, online and paper");
    assert.ok(lines.some((line) => line.includes(",Listed Person,64106,online,")));
    assert.ok(lines.some((line) => line.includes(",Paper One,64106,paper,2021-04-20T00:00:00")));
    assert.ok(lines.some((line) => line.includes(`"'=HYPERLINK(""x"")"`)), "a formula is defused");
    assert.ok(!csv.includes("@"), "no email addresses");
    const auditAfter = (await site.db.query("SELECT 1 FROM audit_log WHERE action = 'petition.export'")).length;
    assert.equal(auditAfter, auditBefore + 1);
  });

  it("invalidates a signature by address or id: it stops counting, is audited, and cannot sign again", async () => {
    let [tally] = await repo.tallies(site.db, [petitionId]);
    const response = await as("organizer", `/petitions/${slug}/invalidate`, { method: "POST", body: new URLSearchParams({ signature: "T.2@Example.org".replace(".", ""), reason: "fraud" }) });
    assert.equal(response.status, 303);
    const [after1] = await repo.tallies(site.db, [petitionId]);
    assert.equal(after1.verified, tally.verified - 1);
    assert.equal(after1.invalidated, 1);
    const [paper] = await site.db.query<{ id: string }>("SELECT id FROM petition_signatures WHERE name = 'Paper One'");
    assert.equal((await as("admin", `/petitions/${slug}/invalidate`, { method: "POST", body: new URLSearchParams({ signature: paper.id, reason: "ineligible" }) })).status, 303);
    [tally] = await repo.tallies(site.db, [petitionId]);
    assert.equal(tally.paper, 2);
    assert.equal(tally.invalidated, 2);
    const twice = await as("admin", `/petitions/${slug}/invalidate`, { method: "POST", body: new URLSearchParams({ signature: paper.id, reason: "ineligible" }) });
    assert.equal(twice.status, 409);
    assert.match(await twice.text(), /already invalidated/);
    const unknown = await as("admin", `/petitions/${slug}/invalidate`, { method: "POST", body: new URLSearchParams({ signature: "nobody@example.org", reason: "fraud" }) });
    assert.equal(unknown.status, 404);
    const entries = await site.db.query<{ entry: string }>("SELECT entry FROM audit_log WHERE action = 'petition.invalidate'");
    assert.equal(entries.length, 2);
    assert.ok(entries.every((e) => !e.entry.includes("@") && !e.entry.includes("Paper")));
    const visitor = await visit(site.app, slug, "10.20.30.41");
    assert.equal((await sign(site.app, slug, visitor, { email: "t2@example.org" })).status, 409, "an invalidated address cannot sign again");
    const counts = await repo.countByStatus(site.db, petitionId);
    [tally] = await repo.tallies(site.db, [petitionId]);
    assert.deepEqual({ pending: tally.pending, verified: tally.verified, paper: tally.paper, invalidated: tally.invalidated, expired: tally.expired }, counts, "the tally equals the rows");
  });

  it("serves the API with verified and pending counts and no signer data", async () => {
    const list = await (await site.app.request("/api/v1/petitions")).json() as { items: { slug: string; counts: { verified: number; pending: number } }[] };
    const item = list.items.find((p) => p.slug === slug)!;
    const [tally] = await repo.tallies(site.db, [petitionId]);
    assert.deepEqual(item.counts, { verified: tally.verified, pending: tally.pending });
    const byId = await site.app.request(`/api/v1/petitions/${petitionId}`);
    assert.equal(byId.status, 200);
    const detail = await byId.json() as Record<string, unknown>;
    const bySlug = await (await site.app.request(`/api/v1/petitions/${slug}`)).json();
    assert.deepEqual(bySlug, detail);
    const text = JSON.stringify(detail);
    for (const secret of ["Listed Person", "t1@example.org", "Paper One", "invalidated", "council@city.example"]) assert.ok(!text.includes(secret), `the API does not say "${secret}"`);
    assert.equal((await site.app.request("/api/v1/petitions/nope")).status, 404);
    assert.ok(petitionsOpenApiPaths["/api/v1/petitions"].get);
    assert.ok(petitionsOpenApiPaths["/api/v1/petitions/{id}"].get);
    // Listed signers: only those who agreed.
    const signers = await (await site.app.request(`/petitions/${slug}/signers`)).text();
    assert.match(signers, /Listed Person/);
    assert.doesNotMatch(signers, /Paper One/, "invalidated signatures are not listed");
  });

  it("anonymises signer data after the petition closes, once, and keeps the counts", async () => {
    const now = Date.now();
    const day = 86_400_000;
    const oldId = await makePetition(site.db, { slug: "old-one", opensAt: new Date(now - 20 * day).toISOString(), closesAt: new Date(now - 10 * day).toISOString(), thresholds: [] });
    // Sign while it was open: write directly through the batch writer with backdated times.
    const { writeBatch } = await import("../../src/campaign/petitions/writes.js");
    const ids = [crypto.randomUUID(), crypto.randomUUID()];
    await writeBatch(site.db, ids.map((id, i) => ({
      kind: "sign" as const,
      row: { id, petitionId: oldId, source: "online" as const, status: "pending" as const, name: `Old Signer ${i}`, zip: "64106", emailHash: `hash-${i}`, network: "10.0.0.0/24", showPublicly: true, lang: "en" as const, signedAt: new Date(now - 15 * day).toISOString(), verifiedAt: null, paperBatchId: null },
      to: `old${i}@example.org`,
      mail: () => ({ subject: "Confirm", text: `link for old${i}` }),
    })), () => "");
    await writeBatch(site.db, [{ kind: "confirm", signatureId: ids[0] }], () => "");
    const early = await anonymiseDue(site.db, { afterDays: 30 });
    assert.equal(early.petitions.length, 0, "not before the configured time");
    const report = await anonymiseDue(site.db, { afterDays: 7 });
    assert.deepEqual(report.petitions.map((p) => ({ slug: p.slug, wiped: p.wiped, expired: p.expired, emails: p.emails })), [{ slug: "old-one", wiped: 2, expired: 1, emails: 2 }]);
    const rows = await site.db.query<Record<string, unknown>>("SELECT name, zip, email_hash, network, show_publicly, status FROM petition_signatures WHERE petition_id = $1 ORDER BY status", [oldId]);
    assert.deepEqual(rows, [
      { name: null, zip: null, email_hash: null, network: null, show_publicly: false, status: "expired" },
      { name: null, zip: null, email_hash: null, network: null, show_publicly: false, status: "verified" },
    ]);
    const mail = await site.db.query<{ to_address: string; body_text: string; status: string }>("SELECT to_address, body_text, status FROM email_outbox WHERE to_address LIKE 'old%' OR body_text LIKE 'link for old%' OR to_address = 'anonymised@invalid'");
    assert.ok(mail.every((m) => m.to_address === "anonymised@invalid" && m.body_text === "anonymised"), "the confirmation emails are scrubbed");
    const [tally] = await repo.tallies(site.db, [oldId]);
    assert.deepEqual({ verified: tally.verified, pending: tally.pending, expired: tally.expired }, { verified: 1, pending: 0, expired: 1 });
    const auditCount = (await site.db.query("SELECT 1 FROM audit_log WHERE action = 'petition.anonymise'")).length;
    const rerun = await anonymiseDue(site.db, { afterDays: 7 });
    assert.equal(rerun.petitions.length, 0, "a second run changes nothing");
    assert.equal((await site.db.query("SELECT 1 FROM audit_log WHERE action = 'petition.anonymise'")).length, auditCount, "and writes nothing");
    const page = await (await site.app.request("/petitions/old-one")).text();
    assert.match(page, /Signer data was deleted on/);
    assert.doesNotMatch(page, /Old Signer/);
    assert.equal((await verifyAuditLog(site.db)).ok, true);
  });

  it("creates a petition from the organizers' form, and closes it", async () => {
    const organizer = sessions.get("organizer")!;
    const body = new URLSearchParams({
      slug: "budget-2027", title_en: "A People's Budget for 2027", title_es: "Un presupuesto del pueblo para 2027", text_en: "Fund housing.", text_es: "Financien la vivienda.",
      target_en: "City Council", target_es: "", target_email: "", goal: "500", opens_at: "2020-01-01", closes_at: "",
      sponsors: "Black Rainbow\nOperation Liberation", thresholds: "100: A hearing | Una audiencia\n250: A vote",
    });
    const created = await as("organizer", "/petitions/new", { method: "POST", body });
    assert.equal(created.status, 303, await created.clone().text());
    const page = await (await site.app.request("/petitions/budget-2027?lang=es")).text();
    assert.match(page, /Un presupuesto del pueblo para 2027/);
    assert.match(page, /Una audiencia/);
    assert.match(page, /Operation Liberation/);
    const duplicate = await as("organizer", "/petitions/new", { method: "POST", body });
    assert.equal(duplicate.status, 409);
    const badGoal = new URLSearchParams(body);
    badGoal.set("slug", "other-one");
    badGoal.set("goal", "zero");
    const refused = await as("organizer", "/petitions/new", { method: "POST", body: badGoal });
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /goal/);
    const closed = await as("organizer", "/petitions/budget-2027/close", { method: "POST", body: new URLSearchParams({ _csrf: organizer.csrf }) });
    assert.equal(closed.status, 303);
    assert.match(await (await site.app.request("/petitions/budget-2027")).text(), /state-closed/);
  });

  it("seeds the Kansas City petition once", async () => {
    const first = await seedKansasCityPetition(site.db);
    const second = await seedKansasCityPetition(site.db);
    assert.equal(first.created, true);
    assert.equal(second.created, false);
    assert.equal(second.id, first.id);
    const detail = await (await site.app.request("/api/v1/petitions/kc-chief-resignation")).json() as { title: { en: string }; goal: number; demands: unknown[]; sponsors: { name: string }[]; target: { basis: string } };
    assert.equal(detail.title.en, "Demand the Resignation of Kansas City Police Chief Smith");
    assert.equal(detail.goal, 7500);
    assert.equal(detail.demands.length, 6);
    assert.deepEqual(detail.sponsors.map((s) => s.name), ["Urban League of Greater Kansas City", "NAACP (Kansas City branch)", "MORE2"]);
    assert.equal(detail.target.basis, "assumption");
  });
});
