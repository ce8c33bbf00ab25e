import { Hono, type Context } from "hono";
import { ZodError } from "zod";
import { authorize, can, requireUser } from "../auth/authorize.js";
import { setLegalHold } from "./retention.js";
import type { Actor, AppEnv } from "../web/context.js";
import { describeIssues, HttpError } from "../web/errors.js";
import { linkBase } from "../web/link-base.js";
import { renderPage } from "../web/render.js";
import { parseParam } from "../web/validate.js";
import { uuidSchema } from "../records/schema.js";
import { filesFromForm, intakeFromForm } from "./form.js";
import { evidenceFromFiles } from "./evidence/check.js";
import { evidenceForCase } from "./evidence/store.js";
import { EvidenceList } from "./evidence/views.js";
import { formatReceipt } from "./receipts.js";
import { submitComplaint } from "./service.js";
import * as staff from "./staff-service.js";
import { presentCaseForStaff } from "./staff-present.js";
import { deadlineDashboard, disciplineWindow, staffCaseView } from "./staff-view.js";
import { settingsPageRoutes } from "./settings-routes.js";
import { ASSIGNABLE_ROLES, assignCase, listAssignableStaff } from "./assignment-service.js";
import { Dashboard } from "./views/dashboard.js";
import { FiledView, IntakeForm } from "./views/intake.js";
import { StaffCaseView } from "./views/staff-case.js";

type Body = Record<string, string | File | (string | File)[]>;
const text = (body: Body, key: string) => (typeof body[key] === "string" ? (body[key] as string) : "");
const checked = (body: Body, key: string) => text(body, key) === "1";

const userOf = (c: Context<AppEnv>) => requireUser(c.get("actor"));
/** Whether cases can be assigned to this account, so "mine" means something to them. */
const mayBeAssigned = (actor: Extract<Actor, { kind: "user" }>) => (ASSIGNABLE_ROLES as readonly string[]).includes(actor.role);

/** The office's staff pages. Every handler checks the actor's role; every page is private. */
export function staffRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("/staff/*", async (c, next) => {
    await next();
    c.res.headers.set("Cache-Control", "no-store");
  });
  app.use("/staff/*", async (c, next) => {
    if (c.get("actor").kind !== "user") return c.redirect(`/login?lang=${c.get("lang")}`, 303);
    authorize(c.get("actor"), "cases.read");
    await next();
  });
  const db = (c: Context<AppEnv>) => c.get("deps").db;
  app.route("/", settingsPageRoutes());

  app.get("/staff/cases", async (c) => {
    const actor = userOf(c);
    const mine = c.req.query("mine") === "1";
    const [rows, flags, window] = await Promise.all([deadlineDashboard(db(c), actor, new Date(), mine ? { assignedTo: actor.id } : {}), staff.listReinstatementFlags(db(c)), disciplineWindow(db(c))]);
    return renderPage(c, c.get("t")("staff.cases"), (
      <Dashboard t={c.get("t")} rows={rows} canEnter={can(actor, "cases.enter")} flags={flags} window={window} canChangeSettings={can(actor, "cases.settings")}
        filter={mayBeAssigned(actor) ? (mine ? "mine" : "all") : null} />
    ));
  });

  app.get("/staff/cases/new", (c) => {
    authorize(c.get("actor"), "cases.enter");
    return renderPage(c, c.get("t")("staff.newCase"), <IntakeForm t={c.get("t")} lang={c.get("lang")} csrfToken={c.get("csrfToken")} action="/staff/cases/new" staff />);
  });

  app.post("/staff/cases/new", async (c) => {
    const actor = userOf(c);
    authorize(actor, "cases.enter");
    const body = await c.req.parseBody({ all: true });
    const evidence = await evidenceFromFiles(filesFromForm(body));
    const filed = await submitComplaint(db(c), c.get("deps").secret, intakeFromForm(body), actor.id, { evidence, linkBase: linkBase(c) });
    return renderPage(c, c.get("t")("cases.filedTitle"), <FiledView t={c.get("t")} lang={c.get("lang")} caseNumber={filed.caseNumber} receipt={formatReceipt(filed.receipt)} />);
  });

  app.get("/staff/cases/:id", async (c) => showCase(c));

  /** Runs one case action; a refused action re-renders the case with the reason. */
  const action = (path: string, run: (c: Context<AppEnv>, actor: Extract<Actor, { kind: "user" }>, caseId: string, body: Body) => Promise<unknown>, next = (caseId: string, _body: Body) => `/staff/cases/${caseId}`) =>
    app.post(`/staff/cases/:id/${path}`, async (c) => {
      const actor = userOf(c);
      const caseId = parseParam(c, "id", uuidSchema);
      const body = await c.req.parseBody({ all: true });
      try {
        await run(c, actor, caseId, body);
      } catch (error) {
        if (error instanceof HttpError && error.status === 409) return showCase(c, error.detail, 409);
        if (error instanceof ZodError) return showCase(c, describeIssues(error.issues), 400);
        throw error;
      }
      return c.redirect(next(caseId, body), 303);
    });

  const who = (actor: Extract<Actor, { kind: "user" }>) => `user:${actor.id}`;
  action("transition", (c, actor, id, body) => (authorize(actor, "cases.work"), staff.transition(db(c), who(actor), id, { to: text(body, "to") as never, note: text(body, "note") })));
  action("mark", (c, actor, id, body) => (authorize(actor, "cases.work"), staff.markDone(db(c), who(actor), id, text(body, "what") === "contacted" ? "contacted" : "acknowledged")));
  action("notes", (c, actor, id, body) => (authorize(actor, "cases.work"), staff.addNote(db(c), who(actor), id, text(body, "body"), checked(body, "to_complainant"), linkBase(c))));
  action("refer", (c, actor, id, body) => (authorize(actor, "cases.work"), staff.referToProsecutor(db(c), who(actor), id, text(body, "reason"))));
  action("tolling", (c, actor, id, body) => (authorize(actor, "cases.work"), staff.addTolling(db(c), who(actor), id, { kind: text(body, "kind") as never, starts_on: text(body, "starts_on"), ends_on: text(body, "ends_on") })));
  action("panel", (c, actor, id, body) => (authorize(actor, "cases.decide"), staff.assignBoardPanel(db(c), who(actor), id, ([] as unknown[]).concat(body.members ?? []).flatMap((value) => String(value).split(",")).map((s) => s.trim()).filter(Boolean))));
  action("vote", (c, actor, id, body) => (authorize(actor, "cases.vote"), staff.castVote(db(c), actor.id, id, { allegation_id: text(body, "allegation_id"), vote: checked(body, "recused") ? null : (text(body, "vote") as never), recused: checked(body, "recused") })),
    // After a recusal the member no longer reads the case: back to their list.
    (id, body) => (checked(body, "recused") ? "/staff/cases" : `/staff/cases/${id}`));
  action("assignment", (c, actor, id, body) => {
    authorize(actor, "cases.work");
    return assignCase(db(c), { id: actor.id, scope: can(actor, "cases.assign") ? "any" : "self" }, id, text(body, "user_id").trim() || null, linkBase(c));
  });
  action("legal-hold", (c, actor, id, body) => (authorize(actor, "cases.decide"), setLegalHold(db(c), who(actor), id, checked(body, "hold"))));
  action("final", (c, actor, id, body) => (authorize(actor, "cases.decide"), staff.recordFinalDecision(db(c), who(actor), id, { allegation_id: text(body, "allegation_id"), final_finding: text(body, "final_finding") as never, final_penalty: text(body, "final_penalty") })));
  app.post("/staff/cases/:id/allegations/:allegation", async (c) => {
    const actor = userOf(c);
    authorize(actor, "cases.work");
    const caseId = parseParam(c, "id", uuidSchema);
    const allegationId = parseParam(c, "allegation", uuidSchema);
    const body = await c.req.parseBody();
    await staff.updateAllegation(db(c), who(actor), caseId, allegationId, {
      is_force: checked(body, "is_force"), is_criminal: checked(body, "is_criminal"),
      investigator_finding: (text(body, "investigator_finding") || null) as never,
    });
    return c.redirect(`/staff/cases/${caseId}`, 303);
  });
  app.post("/staff/cases/:id/officers/:officer", async (c) => {
    const actor = userOf(c);
    authorize(actor, "cases.work");
    const caseId = parseParam(c, "id", uuidSchema);
    const body = await c.req.parseBody();
    const personId = text(body, "person_id").trim() || null;
    await staff.identifyOfficer(db(c), who(actor), caseId, parseParam(c, "officer", uuidSchema), personId ? uuidSchema.parse(personId) : null);
    return c.redirect(`/staff/cases/${caseId}`, 303);
  });
  return app;
}

async function showCase(c: Context<AppEnv>, error?: string, status: 200 | 400 | 409 = 200) {
  const actor = userOf(c);
  const caseId = parseParam(c, "id", uuidSchema);
  const identity = can(actor, "cases.readIdentity");
  const view = presentCaseForStaff(await staffCaseView(c.get("deps").db, actor, caseId), actor.role, identity);
  // Original file names only for roles that may know who complained.
  const evidence = await evidenceForCase(c.get("deps").db, caseId, { names: identity });
  const boardMembers = can(actor, "cases.decide") ? await staff.listBoardMembers(c.get("deps").db) : undefined;
  const assignable = can(actor, "cases.assign") ? await listAssignableStaff(c.get("deps").db) : undefined;
  const t = c.get("t");
  return renderPage(c, t("staff.caseTitle", { number: view.caseNumber }), (
    <StaffCaseView t={t} view={view} csrfToken={c.get("csrfToken")} userId={actor.id} error={error} boardMembers={boardMembers} assignable={assignable}
      evidence={<EvidenceList lang={c.get("lang")} caseId={caseId} items={evidence} full={can(actor, "cases.work")} csrfToken={c.get("csrfToken")} />}
      can={{ work: can(actor, "cases.work"), vote: can(actor, "cases.vote"), decide: can(actor, "cases.decide"), identity, assign: can(actor, "cases.assign"), claim: can(actor, "cases.work") && mayBeAssigned(actor) }} />
  ), status);
}
