import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { verifyAuditLog } from "../audit/service.js";
import { createUser } from "../auth/service.js";
import { testEngine } from "../db/test-db.js";
import { createTestApp, TEST_SECRET } from "../web/test-app.js";
import { DEFAULT_DISCIPLINE_MATRIX } from "./board.js";
import * as repo from "./repo.js";
import { submitComplaint } from "./service.js";
import { officeSettings, saveOfficeSettings, SettingsError, validateSettings } from "./settings-service.js";
import * as staff from "./staff-service.js";
import { deadlineDashboard, OFFICE_READER } from "./staff-view.js";
import { staffClient, type StaffClient } from "./test-staff.js";

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const INCIDENT = isoDay(new Date(Date.now() - 10 * 86_400_000));
const after180Days = isoDay(new Date(Date.parse(`${INCIDENT}T00:00:00Z`) + 180 * 86_400_000));
const afterOneYear = (() => {
  const end = new Date(`${INCIDENT}T00:00:00Z`);
  end.setUTCFullYear(end.getUTCFullYear() + 1);
  return isoDay(end);
})();
const matrixForm = (matrix: Record<string, string>) => Object.fromEntries(Object.entries(matrix).map(([row, penalty]) => [`penalty.${row}`, penalty]));
const auditSize = async (site: { db: { query: <T>(q: string) => Promise<T[]> } }) => (await site.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log"))[0].n;

describe(`office settings: discipline window and matrix (${testEngine})`, () => {
  let site: Awaited<ReturnType<typeof createTestApp>>;
  let admin: StaffClient;
  let intake: StaffClient;
  let caseId: string;
  let caseNumber: string;

  before(async () => {
    site = await createTestApp();
    admin = await staffClient(site, { email: "admin@example.org", displayName: "Ada Admin", role: "admin" });
    intake = await staffClient(site, { email: "intake@example.org", displayName: "Irene Intake", role: "intake" });
    const filed = await submitComplaint(site.db, TEST_SECRET, { narrative: "Pushed against a wall during a stop.", categories: ["excessive_force"], incident_date: INCIDENT, anonymous: true }, null);
    caseId = filed.caseId;
    caseNumber = filed.caseNumber;
  });
  after(() => site.close());

  it("names the field or row of every problem, in one refusal", () => {
    const bad = () => validateSettings({
      discipline_window: "2y",
      discipline_matrix: { ...DEFAULT_DISCIPLINE_MATRIX, discourtesy: "   ", speeding: "100 - REPRIMAND", false_arrest: "a stern look", death: undefined },
    });
    assert.throws(bad, (error: unknown) => {
      assert.ok(error instanceof SettingsError);
      assert.equal(error.status, 400);
      assert.deepEqual(error.problems.map((p) => `${p.field}${"row" in p ? `.${p.row}` : ""}:${p.problem}`).sort(), [
        "discipline_matrix.death:missing_penalty", "discipline_matrix.discourtesy:missing_penalty", "discipline_matrix.false_arrest:unranked_penalty",
        "discipline_matrix.speeding:unknown_category", "discipline_window:unknown_window",
      ]);
      assert.match(error.message, /discipline_window: "2y" is not a window/);
      assert.match(error.message, /discipline_matrix\.speeding: unknown category/);
      assert.match(error.message, /discipline_matrix\.discourtesy: write the recommended penalty/);
      return true;
    });
    assert.throws(() => validateSettings({}), /give discipline_window, discipline_matrix or both/);
    assert.throws(() => validateSettings({ discipline_matrix: ["100 - REPRIMAND"] }), /discipline_matrix: give an object/);
  });

  it("writes nothing when any part is wrong: the valid window stays unsaved and no audit entry is added", async () => {
    const before = await auditSize(site);
    await assert.rejects(saveOfficeSettings(site.db, "user:test", { discipline_window: "18m", discipline_matrix: { ...DEFAULT_DISCIPLINE_MATRIX, other: "" } }), SettingsError);
    assert.equal((await officeSettings(site.db)).disciplineWindow, "1y");
    assert.equal(await repo.getSetting(site.db, "discipline_window"), undefined);
    assert.equal(await auditSize(site), before);
  });

  it("the settings page shows the window and every row, in English and Spanish, to admins only", async () => {
    const en = await (await admin.get("/staff/settings", "en")).text();
    assert.match(en, /<h1>Office settings<\/h1>/);
    assert.match(en, /name="discipline_window" value="1y" checked/);
    for (const row of Object.keys(DEFAULT_DISCIPLINE_MATRIX)) assert.match(en, new RegExp(`name="penalty\\.${row}" value="${DEFAULT_DISCIPLINE_MATRIX[row]}"`), row);
    assert.match(en, /<label for="penalty-discourtesy">Rudeness, threats or offensive language<\/label>/);
    const es = await (await admin.get("/staff/settings", "es")).text();
    assert.match(es, /<h1>Configuración de la oficina<\/h1>/);
    assert.match(es, /18 meses desde el incidente/);
    assert.equal((await intake.get("/staff/settings")).status, 403);
    assert.equal((await intake.form("/staff/settings", { discipline_window: "180d" })).status, 403);
    const dashboard = await (await admin.get("/staff/cases")).text();
    assert.match(dashboard, /Discipline window: 1 year from the incident · <a href="\/staff\/settings">Change<\/a>/);
    assert.doesNotMatch(await (await intake.get("/staff/cases")).text(), /href="\/staff\/settings"/);
  });

  it("refuses a bad form with each row named in the reader's language, keeps what was typed, and saves nothing", async () => {
    const before = await auditSize(site);
    const fields = { discipline_window: "180d", ...matrixForm({ ...DEFAULT_DISCIPLINE_MATRIX, discourtesy: "", false_arrest: "a stern look" }), "penalty.speeding": "100 - REPRIMAND" };
    const refused = await admin.form("/staff/settings?lang=en", fields);
    assert.equal(refused.status, 400);
    const en = await refused.text();
    assert.match(en, /Nothing was saved/);
    assert.match(en, /Discipline matrix, row &quot;Rudeness, threats or offensive language&quot;: write the recommended penalty\./);
    assert.match(en, /row &quot;Arrest or stop without a reason&quot;: &quot;a stern look&quot; is not a penalty the office can rank/);
    assert.match(en, /row &quot;speeding&quot;: there is no such kind of allegation/);
    assert.match(en, /name="penalty\.false_arrest" value="a stern look"/, "what was typed is kept");
    assert.match(en, /name="discipline_window" value="180d" checked/);
    assert.match(en, /id="penalty-discourtesy"[^>]*aria-invalid="true"/);
    const es = await (await admin.form("/staff/settings?lang=es", { ...fields, discipline_window: "2y" })).text();
    assert.match(es, /No se guardó nada/);
    assert.match(es, /Plazo disciplinario: &quot;2y&quot; no es uno de los plazos ofrecidos\./);
    assert.match(es, /fila &quot;Groserías, amenazas o lenguaje ofensivo&quot;: escriba la sanción recomendada\./);
    assert.equal((await officeSettings(site.db)).disciplineWindow, "1y");
    assert.equal(await auditSize(site), before);
  });

  it("changing the window on the page moves every discipline clock on the deadlines dashboard, with one audit entry", async () => {
    const disciplineDue = async () => (await deadlineDashboard(site.db, OFFICE_READER)).find((row) => row.id === caseId)!.deadlines.find((d) => d.kind === "discipline")!.dueAt!.slice(0, 10);
    const dashboardRow = async () => {
      const html = await (await intake.get("/staff/cases")).text();
      const start = html.indexOf(`>${caseNumber}</a>`);
      return html.slice(start, html.indexOf("</tr>", start));
    };
    assert.equal(await disciplineDue(), afterOneYear);
    assert.match(await dashboardRow(), new RegExp(afterOneYear));
    const before = await auditSize(site);
    const saved = await admin.form("/staff/settings", { discipline_window: "180d", ...matrixForm(DEFAULT_DISCIPLINE_MATRIX) });
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.get("location"), "/staff/settings?saved=1");
    assert.match(await (await admin.get("/staff/settings?saved=1")).text(), /role="status">Settings saved/);
    assert.equal(await disciplineDue(), after180Days);
    const row = await dashboardRow();
    assert.match(row, new RegExp(after180Days));
    assert.doesNotMatch(row, new RegExp(afterOneYear));
    assert.match(await (await intake.get("/staff/cases")).text(), /Discipline window: 180 days from the incident/);
    const detail = await (await intake.get(`/api/v1/staff/cases/${caseId}`)).json();
    assert.equal(detail.deadlines.find((d: { kind: string }) => d.kind === "discipline").dueAt.slice(0, 10), after180Days);
    assert.equal(await auditSize(site), before + 1);
    const [entry] = await site.db.query<{ actor: string; action: string; entry: string }>("SELECT actor, action, entry FROM audit_log ORDER BY seq DESC LIMIT 1");
    assert.equal(entry.action, "office.settings");
    assert.equal(entry.actor, `user:${admin.id}`);
    assert.match(entry.entry, /"discipline_window":"180d"/);
    assert.equal((await verifyAuditLog(site.db)).ok, true);
  });

  it("a changed matrix is what the board's substantiated finding recommends", async () => {
    const matrix = { ...DEFAULT_DISCIPLINE_MATRIX, excessive_force: "200 - SUSPENDED OVER 30 DAYS" };
    assert.equal((await admin.form("/staff/settings", { discipline_window: "180d", ...matrixForm(matrix) })).status, 303);
    const member = await createUser(site.db, { email: "board@example.org", displayName: "Bea Board", password: "board member password", role: "board_member" }, "test");
    for (const to of ["triage", "investigation", "review", "board_review"]) await staff.transition(site.db, "user:test", caseId, { to: to as never });
    await staff.assignBoardPanel(site.db, "user:test", caseId, [member]);
    const [allegation] = await repo.allegationsOf(site.db, caseId);
    await staff.castVote(site.db, member, caseId, { allegation_id: allegation.id, vote: "substantiated" });
    assert.equal((await repo.allegationsOf(site.db, caseId))[0].recommended_penalty, "200 - SUSPENDED OVER 30 DAYS");
  });

  it("the settings API reads and changes them, names bad fields, and is for admins only", async () => {
    const read = await (await admin.get("/api/v1/staff/settings")).json();
    assert.equal(read.discipline_window, "180d");
    assert.equal(read.discipline_matrix.excessive_force, "200 - SUSPENDED OVER 30 DAYS");
    const windowOnly = await admin.json("PATCH", "/api/v1/staff/settings", { discipline_window: "18m" });
    assert.equal(windowOnly.status, 200);
    assert.equal((await windowOnly.json()).discipline_window, "18m");
    const bad = await admin.json("PATCH", "/api/v1/staff/settings", { discipline_window: "1y", discipline_matrix: { ...read.discipline_matrix, death: "" } });
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).error.detail, /discipline_matrix\.death: write the recommended penalty/);
    assert.equal((await officeSettings(site.db)).disciplineWindow, "18m", "the refused PATCH changed nothing");
    assert.equal((await intake.get("/api/v1/staff/settings")).status, 403);
    assert.equal((await intake.json("PATCH", "/api/v1/staff/settings", { discipline_window: "1y" })).status, 403);
    const openapi = await (await site.app.request("/api/openapi.json")).json();
    assert.ok(openapi.paths["/api/v1/staff/settings"].get && openapi.paths["/api/v1/staff/settings"].patch);
  });
});
