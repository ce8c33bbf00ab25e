import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parse } from "csv-parse/sync";
import { testEngine } from "../db/test-db.js";
import { campaignEn, campaignEs } from "./i18n.js";
import { campaignOpenApiPaths } from "./openapi.js";
import { CAMPAIGN_POLICY } from "./policy.js";
import { child, childrenNamed, campaignTestSite, parseXml } from "./test-support.js";

type Site = Awaited<ReturnType<typeof campaignTestSite>>;
const csvRows = (text: string) => parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
const HOSTILE = `Board vote <script>alert("x")</script> & "quotes" 'apos' ]]>`;

describe(`the campaign's pages, API and feed (${testEngine})`, () => {
  let site: Site;
  before(async () => {
    site = await campaignTestSite();
  });
  after(() => site.close());

  it("shows the public scoreboard in English and Spanish, with every demand and its targets", async () => {
    const en = await site.get("/campaign?lang=en");
    assert.equal(en.status, 200);
    const html = await en.text();
    assert.match(html, /<html lang="en">/);
    assert.match(html, /<h1>Demands and who has acted on them<\/h1>/);
    assert.match(html, /Remove Police Chief Rick Smith\./);
    assert.match(html, /Urban Summit of Kansas City/);
    assert.equal((html.match(/<tr data-demand="kc-\d+"/g) ?? []).length, 14);
    assert.equal((html.match(/<tr data-demand="kc-petition-\d+"/g) ?? []).length, 6);
    assert.match(html, /<th scope="col"/);
    assert.match(html, /<th scope="row"/);
    assert.match(html, /href="\/campaign\/campaign.css"/);
    const es = await (await site.get("/campaign?lang=es")).text();
    assert.match(es, /<html lang="es">/);
    assert.match(es, new RegExp(campaignEs["campaign.title"]));
    assert.match(es, /Destituir al jefe de policía Rick Smith\./);
    assert.match(es, /\(traducción\)/);
    assert.match(es, /No cumplida/);
    const css = await site.get("/campaign/campaign.css");
    assert.equal(css.headers.get("content-type"), "text/css; charset=utf-8");
  });

  it("lets an organizer record a status change with evidence through the form; the scoreboard, the history, the API and the feed show it", async () => {
    const page = await (await site.get("/campaign/demands/kc-1", site.staff)).text();
    assert.match(page, /name="_csrf" value="[^"]+"/, "the form carries the CSRF token");
    assert.match(page, new RegExp(campaignEn["campaign.recordStatus"]));
    const posted = await site.post("/campaign/demands/kc-1/status?lang=en", {
      target: "mayor", status: "in_progress", occurred_on: "2021-05-04", summary: HOSTILE, summary_lang: "en",
      evidence_url: "https://example.org/news?a=1&b=2", evidence_title: "News report",
    });
    assert.equal(posted.status, 303);
    assert.equal(posted.headers.get("location"), "/campaign/demands/kc-1?lang=en&recorded=1");
    const history = await (await site.get("/campaign/demands/kc-1?lang=en&recorded=1")).text();
    assert.match(history, /Recorded\./);
    assert.ok(history.includes("Board vote &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;"), "the summary is escaped on the page");
    assert.ok(!history.includes("<script>alert"));
    assert.match(history, /href="https:\/\/example.org\/news\?a=1&amp;b=2"/);
    const board = await (await site.get("/campaign?lang=en")).text();
    const row = /<tr data-demand="kc-1">([\s\S]*?)<\/tr>/.exec(board)![1];
    assert.match(row, /<td data-target="mayor" data-status="in_progress">/);
    const api = await (await site.get("/api/v1/demands")).json();
    const mayor = api.items.find((d: { slug: string }) => d.slug === "kc-1").targets.find((t: { slug: string }) => t.slug === "mayor");
    assert.deepEqual([mayor.status, mayor.statusSince, mayor.lastActionOn], ["in_progress", "2021-05-04", "2021-05-04"]);
    const one = await (await site.get("/api/v1/demands/kc-1")).json();
    assert.equal(one.timeline.at(-1).summary, HOSTILE);
    assert.equal(one.timeline.at(-1).evidence.url, "https://example.org/news?a=1&b=2");

    const feed = parseXml(await (await site.get("/campaign/feed.atom?lang=en")).text());
    const [latest] = childrenNamed(feed, "entry");
    assert.match(child(latest, "title")!.text, /Demand 1 — The coalition's 14 demands · Mayor: Status changed: Unmet → In progress/);
    assert.ok(child(latest, "content")!.text.includes(HOSTILE), "the feed carries the exact text, escaped and parsed back");
    assert.equal(childrenNamed(latest, "link").find((l) => l.attributes.rel === "related")!.attributes.href, "https://example.org/news?a=1&b=2");
  });

  it("refuses a bad status naming the field, a post without the CSRF token, and anyone who is not staff", async () => {
    const bad = await site.post("/campaign/demands/kc-2/status?lang=en", { target: "council", status: "finished", occurred_on: "2021-05-01", summary: "what happened" });
    assert.equal(bad.status, 400);
    const html = await bad.text();
    assert.match(html, /role="alert"[^>]*>status: must be one of unmet, in_progress, partly_met, met, rejected/);
    assert.match(html, /<textarea name="summary"[^>]*>what happened<\/textarea>/, "the form keeps what was typed");
    const noToken = await site.app.request("/campaign/demands/kc-2/status", { method: "POST", body: new URLSearchParams({ target: "council", status: "met", occurred_on: "2021-05-01", summary: "xxx" }), headers: { cookie: site.staff.cookie, "content-type": "application/x-www-form-urlencoded" } });
    assert.equal(noToken.status, 403);
    const visitor = { cookie: `oversight_csrf=${site.visitorCsrf}`, csrf: site.visitorCsrf };
    const publicPost = await site.post("/campaign/demands/kc-2/status", { target: "council", status: "met", occurred_on: "2021-05-01", summary: "xxx" }, visitor);
    assert.equal(publicPost.status, 403);
    const publicPage = await (await site.get("/campaign/demands/kc-2")).text();
    assert.doesNotMatch(publicPage, /action="\/campaign\/demands\/kc-2\/status/, "the public sees no form");
    const api = await (await site.get("/api/v1/demands")).json();
    assert.equal(api.items.find((d: { slug: string }) => d.slug === "kc-2").targets.find((t: { slug: string }) => t.slug === "council").status, "unmet");
    assert.equal((await site.get("/campaign/demands/kc-404")).status, 404);
    assert.equal((await site.get("/api/v1/demands?format=xml")).status, 400);
  });

  it("serves the same demands as JSON and CSV (one CSV row per demand × target)", async () => {
    const json = await (await site.get("/api/v1/demands")).json();
    assert.equal(json.total, 20);
    const csv = await site.get("/api/v1/demands?format=csv");
    assert.equal(csv.headers.get("content-type"), "text/csv; charset=utf-8");
    const rows = csvRows(await csv.text());
    const cells = json.items.flatMap((d: { slug: string; number: number; text: { en: string; es: string }; targets: { slug: string; status: string; statusSince: string | null; basis: string; events: number }[] }) =>
      d.targets.map((t) => ({ demand: d.slug, number: String(d.number), text_en: d.text.en, text_es: d.text.es, target: t.slug, status: t.status, status_since: t.statusSince ?? "", basis: t.basis, events: String(t.events) })));
    assert.equal(rows.length, cells.length);
    assert.deepEqual(rows.map((r) => ({ demand: r.demand, number: r.number, text_en: r.text_en, text_es: r.text_es, target: r.target, status: r.status, status_since: r.status_since, basis: r.basis, events: r.events })), cells);
  });

  it("records a meeting through the form, with attendance by organization, and shows promised vs held as a chart and a table", async () => {
    const posted = await site.post("/campaign/meetings?lang=en", {
      title: "Monthly meeting with the mayor and the chief", held_on: "2021-01-12", kind: "officials_community", format: "virtual", status: "held",
      promise: "kc-monthly-meetings", attendance_naacp_kc: "", "attendance_black-rainbow": "present", "attendance_urban-summit-kc": "absent", agenda: "Demands 1 to 14",
    });
    assert.equal(posted.status, 303);
    const page = await (await site.get("/campaign/meetings?lang=en")).text();
    assert.match(page, /<div class="chart" role="img" aria-label="Promised vs held, per month: Monthly meetings promised by the mayor and the chief">/);
    assert.match(page, /<svg/);
    assert.match(page, /<tr data-month="2021-01"><th scope="row"><time datetime="2021-01">Jan 2021<\/time><\/th><td class="num">1<\/td><td class="num">1<\/td>/);
    assert.match(page, /<tr data-month="2021-04">[\s\S]*?<td class="num">1<\/td><td class="num">0<\/td><td class="num">1<\/td>/, "April 2021: promised 1, held 0, skipped 1");
    assert.match(page, /Skipped by Kansas City coalition of seven organizations/);
    const es = await (await site.get("/campaign/meetings?lang=es")).text();
    assert.match(es, /No asistida por Coalición de siete organizaciones de Kansas City/);
    assert.match(es, /Prometidas frente a celebradas/);
    const refused = await site.post("/campaign/meetings?lang=en", { title: "Cancelled meeting", held_on: "2021-02-12", kind: "officials_community", status: "cancelled" });
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /by: must say who cancelled the meeting/);

    const json = await (await site.get("/api/v1/meetings")).json();
    assert.equal(json.total, 3);
    const mine = json.items.find((m: { heldOn: string }) => m.heldOn === "2021-01-12");
    assert.deepEqual(mine.attendance.map((a: { slug: string; attended: boolean }) => [a.slug, a.attended]).sort(), [["black-rainbow", true], ["urban-summit-kc", false]]);
    assert.equal(json.promises[0].months.find((m: { month: string }) => m.month === "2021-01").held, 1);
    const rows = csvRows(await (await site.get("/api/v1/meetings?format=csv")).text());
    assert.deepEqual(rows.map((r) => [r.id, r.held_on, r.status, r.present, r.absent]), json.items.map((m: { id: string; heldOn: string; status: string; attendance: { slug: string; attended: boolean }[] }) =>
      [m.id, m.heldOn, m.status, m.attendance.filter((a) => a.attended).map((a) => a.slug).join("; "), m.attendance.filter((a) => !a.attended).map((a) => a.slug).join("; ")]));
    const detail = await (await site.get(`${mine.url}?lang=en`)).text();
    assert.match(detail, /<tr data-org="black-rainbow"><th scope="row">Black Rainbow<\/th><td>Present<\/td><\/tr>/);
  });

  it("puts a motion to the board, records its roll call through the forms, and the decision moves the demand", async () => {
    const created = await site.post("/campaign/votes?lang=en", {
      body: "kc-board-of-police-commissioners", title: "Terminate the chief of police", title_es: "Destituir al jefe de policía", moved_on: "2021-06-01",
      threshold: "majority_cast", demand: "kc-1", status_if_pass: "met", status_if_fail: "",
    });
    assert.equal(created.status, 303);
    const motionPath = created.headers.get("location")!.split("?")[0];
    const form = await (await site.get(`${motionPath}?lang=en`, site.staff)).text();
    assert.match(form, /name="vote_5"/);
    const incomplete = await site.post(`${motionPath}/roll-call?lang=en`, { decided_on: "2021-06-01", vote_1: "yes", vote_2: "yes", vote_3: "no", vote_4: "abstain" });
    assert.equal(incomplete.status, 400);
    assert.match(await incomplete.text(), /votes\.5: Commissioner \(seat 5\) has no vote/);
    const recorded = await site.post(`${motionPath}/roll-call?lang=en`, { decided_on: "2021-06-01", vote_1: "yes", vote_2: "yes", vote_3: "no", vote_4: "abstain", vote_5: "recused" });
    assert.equal(recorded.status, 303);
    const page = await (await site.get(`${motionPath}?lang=en`)).text();
    assert.match(page, /data-result="passed">Passed</);
    assert.match(page, /2 yes, 1 no: 2 yes needed \(a majority of votes cast\)\. 5 present of a quorum of 3\./);
    assert.match(page, /<tr data-seat="1" data-vote="yes"><th scope="row">Mayor \(seat 1\)<\/th><td>Quinton Lucas<\/td><td>Yes<\/td><\/tr>/);
    const es = await (await site.get(`${motionPath}?lang=es`)).text();
    assert.match(es, /<h1>Destituir al jefe de policía<\/h1>/);
    assert.match(es, /Aprobada/);
    const demand = await (await site.get("/api/v1/demands/kc-1")).json();
    assert.equal(demand.targets.find((t: { slug: string }) => t.slug === "board").status, "met");
    assert.equal(demand.timeline.at(-1).kind, "vote");

    const votes = await (await site.get("/api/v1/votes")).json();
    assert.equal(votes.bodies[0].seats, 5);
    const motion = votes.items[0];
    assert.deepEqual([motion.result, motion.tally], ["passed", { yes: 2, no: 1, abstain: 1, recused: 1, absent: 0 }]);
    const rows = csvRows(await (await site.get("/api/v1/votes?format=csv")).text());
    assert.deepEqual(rows.map((r) => [r.id, r.result, r.yes, r.no, r.abstain, r.recused, r.absent, r.roll_call, r.demands]),
      votes.items.map((m: { id: string; result: string; tally: Record<string, number>; rollCall: { seat: number; vote: string }[]; demands: { slug: string }[] }) =>
        [m.id, m.result, ...["yes", "no", "abstain", "recused", "absent"].map((k) => String(m.tally[k])), m.rollCall.map((r) => `${r.seat}:${r.vote}`).join("; "), m.demands.map((d) => d.slug).join("; ")]));
    const again = await site.post(`${motionPath}/roll-call?lang=en`, { decided_on: "2021-06-01", vote_1: "no", vote_2: "no", vote_3: "no", vote_4: "no", vote_5: "no" });
    assert.equal(again.status, 409, "a roll call is recorded once");
  });

  it("publishes a valid Atom 1.0 feed in both languages", async () => {
    for (const lang of ["en", "es"] as const) {
      const response = await site.get(`/campaign/feed.atom?lang=${lang}`);
      assert.equal(response.headers.get("content-type"), "application/atom+xml; charset=utf-8");
      const xml = await response.text();
      assert.ok(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>'));
      const feed = parseXml(xml);
      assert.equal(feed.name, "feed");
      assert.equal(feed.attributes.xmlns, "http://www.w3.org/2005/Atom");
      assert.equal(feed.attributes["xml:lang"], lang);
      assert.equal(child(feed, "title")!.text, (lang === "es" ? campaignEs : campaignEn)["campaign.feedTitle"]);
      assert.match(child(feed, "updated")!.text, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.ok(child(child(feed, "author")!, "name")!.text);
      const self = childrenNamed(feed, "link").find((l) => l.attributes.rel === "self")!;
      assert.match(self.attributes.href, /\/campaign\/feed\.atom\?lang=/);
      const entries = childrenNamed(feed, "entry");
      assert.ok(entries.length > 20);
      const ids = new Set<string>();
      for (const entry of entries) {
        for (const required of ["id", "title", "updated", "content"]) assert.ok(child(entry, required), `entry has <${required}>`);
        assert.match(child(entry, "id")!.text, /^urn:uuid:[0-9a-f-]{36}$/);
        assert.match(child(entry, "updated")!.text, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        assert.ok(childrenNamed(entry, "link").some((l) => l.attributes.rel === "alternate" && /\/campaign\/demands\/kc-/.test(l.attributes.href)));
        ids.add(child(entry, "id")!.text);
      }
      assert.equal(ids.size, entries.length, "entry ids are unique");
      if (lang === "es") assert.match(child(entries[0], "title")!.text, /Demanda 1 — Las 14 demandas de la coalición/);
    }
  });

  it("documents its API for OpenAPI and declares its permissions", () => {
    for (const path of ["/api/v1/demands", "/api/v1/meetings", "/api/v1/votes"]) assert.ok(campaignOpenApiPaths[path as keyof typeof campaignOpenApiPaths]?.get.summary);
    assert.deepEqual([...CAMPAIGN_POLICY["campaign.record"]].sort(), ["admin", "organizer"]);
    assert.deepEqual(Object.keys(campaignEn).sort(), Object.keys(campaignEs).sort());
  });
});

describe(`the campaign refuses staff who are not organizers (${testEngine})`, () => {
  let site: Site;
  before(async () => {
    site = await campaignTestSite({ role: "intake" });
  });
  after(() => site.close());

  it("gives intake staff the public pages but no forms and a 403 on posts", async () => {
    const page = await (await site.get("/campaign/demands/kc-1", site.staff)).text();
    assert.doesNotMatch(page, /action="\/campaign\/demands\/kc-1\/status/);
    const post = await site.post("/campaign/demands/kc-1/status", { target: "board", status: "met", occurred_on: "2021-05-01", summary: "not allowed" });
    assert.equal(post.status, 403);
    const motion = await site.post("/campaign/votes", { body: "kc-board-of-police-commissioners", title: "x y z", moved_on: "2021-05-01" });
    assert.equal(motion.status, 403);
    const meeting = await site.post("/campaign/meetings", { title: "x y z", held_on: "2021-05-01", kind: "community", status: "held" });
    assert.equal(meeting.status, 403);
  });
});
