import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parse } from "csv-parse/sync";
import { openText } from "../../db/data-key.js";
import { testEngine } from "../../db/test-db.js";
import { createTestApp } from "../../web/test-app.js";
import { reportsOpenApiPaths } from "./openapi.js";
import { reportRoutes } from "./routes.js";
import { figureId, figureRows } from "./rows.js";
import { reportFigures, type ComplaintsReport } from "./service.js";
import { buildFixture, CANARY, type Fixture } from "./test-fixture.js";

type Cells = Map<string, { value: string; suppressed: string }>;

const unescape = (text: string) => text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** Every figure cell of the page: <td data-figure data-value data-suppressed>text</td>. */
function pageCells(html: string): { cells: Cells; texts: Map<string, string> } {
  const cells: Cells = new Map();
  const texts = new Map<string, string>();
  for (const match of html.matchAll(/<td class="num" data-figure="([^"]*)" data-value="([^"]*)" data-suppressed="([^"]*)">([^<]*)<\/td>/g)) {
    const id = unescape(match[1]);
    assert.ok(!cells.has(id), `figure ${id} appears once`);
    cells.set(id, { value: match[2], suppressed: match[3] });
    texts.set(id, unescape(match[4]));
  }
  return { cells, texts };
}

const jsonCells = (report: ComplaintsReport): Cells =>
  new Map(figureRows(report).map((row) => [figureId(row.section, row.group, row.key), { value: String(row.value), suppressed: row.suppressed }]));

const csvCells = (csv: string): Cells =>
  new Map((parse(csv, { columns: true }) as Record<string, string>[]).map((row) => [figureId(row.section, row.group, row.key), { value: row.value, suppressed: row.suppressed }]));

describe(`public report routes: page, JSON and CSV agree, and no complainant leaks (${testEngine})`, () => {
  let site: Awaited<ReturnType<typeof createTestApp>>;
  let fixture: Fixture;
  before(async () => {
    site = await createTestApp();
    // Mounted after the app's own middleware (language, session, rate limit) and error handling, as app.tsx will.
    site.app.route("/", reportRoutes());
    fixture = await buildFixture(site.db);
  });
  after(() => site.close());

  const get = (path: string, headers: Record<string, string> = {}) => site.app.request(path, { headers });

  it("answers the same figures, with the same suppression, in the page, the JSON and the CSV", async () => {
    for (const period of ["2025-Q3", "2025", "2025-Q2"]) {
      const json = await get(`/api/v1/reports/complaints?period=${period}`);
      assert.equal(json.status, 200);
      assert.match(json.headers.get("content-type") ?? "", /application\/json/);
      const report = (await json.json()) as ComplaintsReport;
      assert.equal(report.period.label, period);
      assert.deepEqual(report, JSON.parse(JSON.stringify(await reportFigures(site.db, report.period))), "the API answers the service's report");

      const csv = await get(`/api/v1/reports/complaints?period=${period}&format=csv`);
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get("content-type") ?? "", /text\/csv/);
      assert.match(csv.headers.get("content-disposition") ?? "", new RegExp(`complaints-report-${period}\\.csv`));
      const csvText = await csv.text();
      assert.equal(csvText.split("\r\n")[0], "period,section,group,key,value,suppressed");

      const page = await get(`/reports/complaints?period=${period}&lang=en`);
      assert.equal(page.status, 200);
      const html = await page.text();
      const { cells, texts } = pageCells(html);

      const fromJson = jsonCells(report);
      assert.ok(fromJson.size > 100, "every figure is compared");
      assert.deepEqual(csvCells(csvText), fromJson, `${period}: CSV = JSON`);
      assert.deepEqual(cells, fromJson, `${period}: page = JSON`);
      for (const [id, cell] of cells) {
        if (cell.suppressed === "fewer_than_3") assert.equal(texts.get(id), "fewer than 3", id);
        else if (cell.suppressed === "withheld") assert.equal(texts.get(id), "withheld", id);
        else if (cell.value !== "") assert.equal(texts.get(id)!.replace(/,/g, ""), cell.value, id);
      }
      assert.ok([...cells.values()].some((cell) => cell.suppressed === "fewer_than_3"), "the test data has small figures");
      // The CSV download link on the page is the API's.
      assert.ok(html.includes(`/api/v1/reports/complaints?period=${period}&amp;format=csv`));
    }
  });

  it("shows 2025-Q3 with charts, the suppression wording and the definitions, in English and Spanish", async () => {
    const html = await (await get("/reports/complaints?period=2025-Q3&lang=en")).text();
    assert.match(html, /<h1>Complaints office statistics: 2025, quarter 3<\/h1>/);
    assert.ok((html.match(/<svg/g) ?? []).length >= 5, "charts are drawn");
    assert.match(html, /How these figures are counted/);
    assert.match(html, /nearest-rank/);
    assert.match(html, /<option value="2025-Q3" selected="">|<option value="2025-Q3" selected>/);
    const { cells } = pageCells(html);
    assert.deepEqual(cells.get(figureId("received", "", "total")), { value: "11", suppressed: "" });
    assert.deepEqual(cells.get(figureId("received_by_channel", "", "mail")), { value: "", suppressed: "fewer_than_3" });
    assert.deepEqual(cells.get(figureId("closed", "", "without_findings")), { value: "", suppressed: "withheld" });

    const es = await (await get("/reports/complaints?period=2025-Q3&lang=es")).text();
    assert.match(es, /<html lang="es">/);
    assert.match(es, /Estadísticas de la oficina de quejas: 2025, trimestre 3/);
    assert.match(es, />menos de 3</);
    assert.match(es, />reservada</);
    assert.match(es, /Cómo se cuentan estas cifras/);
    const spanish = pageCells(es);
    assert.deepEqual(spanish.cells, pageCells(html).cells, "the same figures in either language");
  });

  it("keeps every complainant, witness, narrative, location, rare district, receipt, case number and officer name out of the page, JSON and CSV", async () => {
    const bodies: { where: string; text: string }[] = [];
    for (const period of ["2025-Q3", "2025", "2025-Q2", "2025-Q4"]) {
      for (const path of [`/reports/complaints?period=${period}&lang=en`, `/reports/complaints?period=${period}&lang=es`, `/api/v1/reports/complaints?period=${period}`, `/api/v1/reports/complaints?period=${period}&format=csv`]) {
        const response = await get(path);
        assert.equal(response.status, 200, path);
        bodies.push({ where: path, text: await response.text() });
      }
    }
    const forbidden = [...Object.values(CANARY), ...fixture.receipts, ...fixture.caseNumbers, ...Object.values(fixture.ids), "Northeast"];
    for (const { where, text } of bodies) {
      assert.doesNotMatch(text, /canary/i, where);
      for (const value of forbidden) assert.ok(!text.includes(value), `${where} contains ${value}`);
    }
    // The canaries are really in the database: the check above is not vacuous.
    const narratives = await site.db.query<{ narrative: string }>("SELECT narrative FROM cases");
    assert.equal(narratives.filter((row) => openText(row.narrative).includes("CANARY")).length, 17);
  });

  it("refuses a bad period with a 400 naming the field, on the page and the API", async () => {
    for (const bad of ["2025-Q5", "abc", "1999", "2025-07"]) {
      const api = await get(`/api/v1/reports/complaints?period=${encodeURIComponent(bad)}`);
      assert.equal(api.status, 400, bad);
      const body = (await api.json()) as { error: { status: number; detail: string } };
      assert.equal(body.error.status, 400);
      assert.match(body.error.detail, /^period: /);
      const page = await get(`/reports/complaints?period=${encodeURIComponent(bad)}`);
      assert.equal(page.status, 400);
      assert.match(await page.text(), /period: /);
    }
    const future = await get("/api/v1/reports/complaints?period=2099");
    assert.equal(future.status, 400);
    assert.match(((await future.json()) as { error: { detail: string } }).error.detail, /period: has not started yet/);
    const format = await get("/api/v1/reports/complaints?period=2025&format=xml");
    assert.equal(format.status, 400);
    assert.match(((await format.json()) as { error: { detail: string } }).error.detail, /^format: /);
  });

  it("defaults to the current year, still running", async () => {
    const report = (await (await get("/api/v1/reports/complaints")).json()) as ComplaintsReport;
    const year = String(new Date().getUTCFullYear());
    assert.equal(report.period.label, year);
    assert.equal(report.period.from, `${year}-01-01`);
    assert.equal(report.period.to, `${year}-12-31`);
    assert.equal(report.period.complete, false);
    const page = await (await get("/reports/complaints?lang=en")).text();
    assert.match(page, new RegExp(`<h1>Complaints office statistics: ${year}</h1>`));
    assert.match(page, /This period is not over/);
  });

  it("is public, and documented in OpenAPI", async () => {
    assert.equal((await get("/api/v1/reports/complaints?period=2025")).status, 200);
    const path = reportsOpenApiPaths["/api/v1/reports/complaints"].get;
    assert.deepEqual(path.parameters.map((p) => p.name), ["period", "format"]);
    const schema = path.responses["200"].content["application/json"].schema;
    const report = await reportFigures(site.db, { label: "2025", from: "2025-01-01", to: "2025-12-31" });
    // Every top-level field the API answers is documented, and nothing documented is missing.
    assert.deepEqual(Object.keys(schema.properties).sort(), Object.keys(report).sort());
    for (const [key, value] of Object.entries(schema.properties)) {
      const documented = (value as { properties?: Record<string, unknown> }).properties;
      const answered = report[key as keyof ComplaintsReport];
      if (documented && answered && typeof answered === "object" && !Array.isArray(answered)) assert.deepEqual(Object.keys(documented).sort(), Object.keys(answered).sort(), key);
    }
  });
});
