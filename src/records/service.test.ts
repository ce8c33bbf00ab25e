import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Db } from "../db/db.js";
import { openTestDb, testEngine } from "../db/test-db.js";
import { createTestApp } from "../web/test-app.js";
import { loadDemo } from "./demo.js";
import { presentOfficerProfile } from "./present.js";
import { officerQuerySchema } from "./schema.js";
import { officerProfile, searchOfficers } from "./service.js";

describe(`records search, profiles and API (${testEngine})`, () => {
  let db: Db;
  let site: Awaited<ReturnType<typeof createTestApp>>;
  before(async () => {
    db = await openTestDb();
    await loadDemo(db);
    site = await createTestApp({ db, demo: true });
  });
  after(() => db.close());

  it("finds officers by name despite a misspelling", async () => {
    const exact = await searchOfficers(db, officerQuerySchema.parse({ q: "Exampleton" }));
    const typo = await searchOfficers(db, officerQuerySchema.parse({ q: "Exampelton" }));
    assert.ok(exact.total > 0);
    assert.ok(typo.items.some((row) => row.full_name.endsWith("Exampleton")), "typo finds the name");
    assert.ok(typo.items[0].full_name.includes("Exampleton"), "closest name ranks first");
  });

  it("finds officers by badge and by agency", async () => {
    const [badge] = await db.query<{ badge: string; person_id: string }>("SELECT badge, person_id FROM employment WHERE badge IS NOT NULL LIMIT 1");
    const byBadge = await searchOfficers(db, officerQuerySchema.parse({ badge: badge.badge }));
    assert.deepEqual(byBadge.items.map((row) => row.id), [badge.person_id]);
    const county = await searchOfficers(db, officerQuerySchema.parse({ agency: "demo-county-sheriff", per_page: 500 }));
    const [{ n }] = await db.query<{ n: number }>("SELECT count(DISTINCT e.person_id)::int AS n FROM employment e JOIN agencies a ON a.id = e.agency_id WHERE a.slug = 'demo-county-sheriff'");
    assert.equal(county.total, n);
    assert.ok(n > 0);
  });

  it("builds a profile whose counts match the rows, marks weaker final decisions, and names co-accused", async () => {
    const [top] = await db.query<{ person_id: string; n: number }>(
      "SELECT person_id, count(*)::int AS n FROM allegations GROUP BY person_id ORDER BY n DESC LIMIT 1",
    );
    const profile = presentOfficerProfile((await officerProfile(db, top.person_id))!);
    assert.equal(profile.allegations.length, top.n);
    assert.equal(profile.summary.allegations, top.n);
    const [{ weaker }] = await db.query<{ weaker: number }>(
      "SELECT count(*)::int AS weaker FROM allegations WHERE investigator_finding = 'sustained' AND final_finding <> 'sustained'",
    );
    assert.ok(weaker > 0, "the demo has overridden findings");
    const allProfilesWeaker = await db.query<{ person_id: string }>(
      "SELECT DISTINCT person_id FROM allegations WHERE investigator_finding = 'sustained' AND final_finding <> 'sustained' LIMIT 1",
    );
    const overridden = presentOfficerProfile((await officerProfile(db, allProfilesWeaker[0].person_id))!);
    assert.ok(overridden.allegations.some((a) => a.finalWeakerThanRecommended && a.findings.final !== "sustained"));
    const [{ shared }] = await db.query<{ shared: number }>(
      `SELECT count(DISTINCT other.person_id)::int AS shared FROM allegations mine JOIN allegations other
        ON other.complaint_id = mine.complaint_id AND other.person_id <> mine.person_id WHERE mine.person_id = $1`,
      [top.person_id],
    );
    assert.equal(profile.coAccused.length, Math.min(shared, 20));
    assert.ok(profile.summary.complaintPercentile !== null && profile.summary.complaintPercentile >= 0 && profile.summary.complaintPercentile <= 100);
  });

  it("pages the API with totals and Link headers, answers ETags with 304, and downloads CSV", async () => {
    const first = await site.app.request("/api/v1/officers?per_page=10");
    const body = await first.json();
    assert.equal(body.items.length, 10);
    assert.equal(body.total, 48);
    assert.match(first.headers.get("link") ?? "", /page=2>; rel="next"/);
    const etag = first.headers.get("etag")!;
    assert.ok(etag);
    const again = await site.app.request("/api/v1/officers?per_page=10", { headers: { "if-none-match": etag } });
    assert.equal(again.status, 304);
    const csv = await site.app.request("/api/v1/officers?per_page=500&format=csv");
    assert.match(csv.headers.get("content-type") ?? "", /text\/csv/);
    const lines = (await csv.text()).trim().split("\n");
    assert.equal(lines.length, 49);
    assert.match(lines[0], /^id,name,/);
  });

  it("answers hostile search strings safely", async () => {
    for (const q of ["'; DROP TABLE people; --", "<script>alert(1)</script>", "x".repeat(10_000), "\"unclosed", "a & | ! ("]) {
      for (const path of ["/officers", "/complaints", "/api/v1/officers", "/api/v1/complaints"]) {
        const response = await site.app.request(`${path}?q=${encodeURIComponent(q)}`);
        assert.equal(response.status, 200, `${path} with ${q.slice(0, 20)}`);
        const text = await response.text();
        assert.doesNotMatch(text, /<script>alert/);
      }
    }
    const [{ n }] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM people");
    assert.equal(n, 48);
  });

  it("names the field when a filter is bad", async () => {
    const response = await site.app.request("/api/v1/complaints?year=abc");
    assert.equal(response.status, 400);
    assert.match((await response.json()).error.message, /year/);
    const page = await site.app.request("/api/v1/officers?per_page=100000");
    assert.equal(page.status, 400);
    assert.match((await page.json()).error.message, /per_page/);
  });

  it("serves every records page in both languages", async () => {
    const [officer] = await db.query<{ id: string }>("SELECT id FROM people LIMIT 1");
    const [complaint] = await db.query<{ id: string }>("SELECT id FROM complaints LIMIT 1");
    for (const path of ["/officers", `/officers/${officer.id}`, "/complaints", `/complaints/${complaint.id}`, "/agencies", "/agencies/demo-city-pd", "/sources", "/data"]) {
      for (const lang of ["en", "es"]) {
        const response = await site.app.request(`${path}${path.includes("?") ? "&" : "?"}lang=${lang}`);
        assert.equal(response.status, 200, path);
        assert.match(await response.text(), new RegExp(`<html lang="${lang}">`));
      }
    }
    const chart = await (await site.app.request("/agencies/demo-city-pd")).text();
    assert.match(chart, /<svg[^>]*class="marks"/);
    assert.equal((await site.app.request("/officers/not-a-uuid")).status, 404);
    assert.equal((await site.app.request("/officers/00000000-0000-0000-0000-000000000000")).status, 404);
  });
});
