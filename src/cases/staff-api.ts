import { setLegalHold } from "./retention.js";
import { Hono, type Context } from "hono";
import { z } from "zod";
import { authorize, can, requireUser } from "../auth/authorize.js";
import type { Actor, AppEnv } from "../web/context.js";
import { badRequest, describeIssues } from "../web/errors.js";
import { linkBase } from "../web/link-base.js";
import { parseParam, parseQuery } from "../web/validate.js";
import { assignCase } from "./assignment-service.js";
import { uuidSchema } from "../records/schema.js";
import { submitComplaint } from "./service.js";
import * as staff from "./staff-service.js";
import { presentCaseForStaff } from "./staff-present.js";
import { deadlineDashboard, staffCaseView } from "./staff-view.js";
import { settingsApiRoutes, settingsOpenApiPaths } from "./settings-routes.js";
import { TOLLING_KINDS } from "./deadlines.js";

type User = Extract<Actor, { kind: "user" }>;

const userOf = (c: Context<AppEnv>) => requireUser(c.get("actor"));

async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw badRequest("the body must be JSON");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw badRequest(describeIssues(parsed.error.issues));
  return parsed.data;
}

/**
 * The staff JSON API: the same services as the staff pages, for scripts and
 * integrations. Signed-in session cookie plus the CSRF token in x-csrf-token.
 */
export function staffApiRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("/api/v1/staff/*", async (c, next) => {
    authorize(userOf(c), "cases.read");
    await next();
    c.res.headers.set("Cache-Control", "no-store");
  });
  const db = (c: Context<AppEnv>) => c.get("deps").db;
  app.route("/", settingsApiRoutes());
  const who = (user: User) => `user:${user.id}`;

  app.get("/api/v1/staff/cases", async (c) => {
    const { mine } = parseQuery(c, z.object({ mine: z.enum(["0", "1"]).optional() }));
    return c.json({ items: await deadlineDashboard(db(c), userOf(c), new Date(), mine === "1" ? { assignedTo: userOf(c).id } : {}) });
  });

  // Intake and admins assign anyone eligible; investigators only take a free case or give back their own.
  app.put("/api/v1/staff/cases/:id/assignment", async (c) => {
    const user = userOf(c);
    authorize(user, "cases.work");
    const caseId = parseParam(c, "id", uuidSchema);
    const { userId } = await jsonBody(c, z.object({ userId: z.string().uuid().nullable() }));
    const result = await assignCase(db(c), { id: user.id, scope: can(user, "cases.assign") ? "any" : "self" }, caseId, userId, linkBase(c));
    return c.json({ ok: true, result });
  });

  app.get("/api/v1/staff/cases/:id", async (c) => {
    const user = userOf(c);
    const view = await staffCaseView(db(c), user, parseParam(c, "id", uuidSchema));
    return c.json(presentCaseForStaff(view, user.role, can(user, "cases.readIdentity")));
  });

  app.post("/api/v1/staff/cases", async (c) => {
    const user = userOf(c);
    authorize(user, "cases.enter");
    // The service validates (and names any bad field); here we only check it is an object.
    const input = await jsonBody(c, z.record(z.string(), z.unknown()));
    const filed = await submitComplaint(db(c), c.get("deps").secret, input as never, user.id, { linkBase: linkBase(c) });
    return c.json({ id: filed.caseId, caseNumber: filed.caseNumber, receipt: filed.receipt }, 201);
  });

  const caseAction = <S extends z.ZodType>(path: string, action: Parameters<typeof authorize>[1], schema: S, run: (c: Context<AppEnv>, user: User, caseId: string, input: z.infer<S>) => Promise<unknown>) =>
    app.post(`/api/v1/staff/cases/:id/${path}`, async (c) => {
      const user = userOf(c);
      authorize(user, action);
      const caseId = parseParam(c, "id", uuidSchema);
      const result = await run(c, user, caseId, await jsonBody(c, schema));
      return c.json({ ok: true, result: result ?? null });
    });

  caseAction("transitions", "cases.work", z.object({ to: z.string(), note: z.string().optional() }), (c, u, id, input) => staff.transition(db(c), who(u), id, input as never));
  caseAction("notes", "cases.work", z.object({ body: z.string(), toComplainant: z.boolean().default(false) }), (c, u, id, input) => staff.addNote(db(c), who(u), id, input.body, input.toComplainant, linkBase(c)));
  caseAction("referrals", "cases.work", z.object({ reason: z.string() }), (c, u, id, input) => staff.referToProsecutor(db(c), who(u), id, input.reason));
  caseAction("tolling", "cases.work", z.record(z.string(), z.unknown()), (c, u, id, input) => staff.addTolling(db(c), who(u), id, input as never));
  caseAction("panel", "cases.decide", z.object({ members: z.array(z.string()) }), (c, u, id, input) => staff.assignBoardPanel(db(c), who(u), id, input.members));
  caseAction("votes", "cases.vote", z.record(z.string(), z.unknown()), (c, u, id, input) => staff.castVote(db(c), u.id, id, input as never));
  caseAction("final-decisions", "cases.decide", z.record(z.string(), z.unknown()), (c, u, id, input) => staff.recordFinalDecision(db(c), who(u), id, input as never));
  caseAction("legal-hold", "cases.decide", z.object({ hold: z.boolean() }), (c, u, id, input) => setLegalHold(db(c), who(u), id, input.hold));

  app.post("/api/v1/staff/reinstatements", async (c) => {
    const user = userOf(c);
    authorize(user, "cases.decide");
    const input = await jsonBody(c, z.object({ personId: z.string().uuid(), reportedOn: z.iso.date() }));
    return c.json({ flags: await staff.reportReinstatement(db(c), who(user), input.personId, input.reportedOn) });
  });
  return app;
}

const staffRef = (summary: string, body?: Record<string, unknown>) => ({
  post: {
    summary, security: [{ session: [] }],
    parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
    ...(body ? { requestBody: { required: true, content: { "application/json": { schema: { type: "object", properties: body } } } } } : {}),
    responses: { "200": { description: "Done" }, "400": { description: "A field is wrong; the message names it" }, "403": { description: "Your role may not do this" }, "409": { description: "The workflow refuses this now; the message says why" } },
  },
});

/** Staff API paths for /api/openapi.json. */
export const staffOpenApiPaths = {
  ...settingsOpenApiPaths,
  "/api/v1/staff/cases": {
    get: {
      summary: "Open cases with their clocks and assignee, most urgent first (staff)", security: [{ session: [] }],
      parameters: [{ name: "mine", in: "query", required: false, schema: { type: "string", enum: ["0", "1"] }, description: "1: only the cases assigned to you" }],
      responses: { "200": { description: "Cases" }, "403": { description: "Not staff" } },
    },
    post: { summary: "Enter a complaint taken by phone, mail or in person (admin, intake)", security: [{ session: [] }], responses: { "201": { description: "Case number and receipt" } } },
  },
  "/api/v1/staff/cases/{id}": { get: { summary: "One case as your role may see it", security: [{ session: [] }], parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }], responses: { "200": { description: "The case" }, "404": { description: "No such case" } } } },
  "/api/v1/staff/cases/{id}/transitions": staffRef("Move the case to another state", { to: { type: "string" }, note: { type: "string" } }),
  "/api/v1/staff/cases/{id}/notes": staffRef("Add a staff note or a message to the complainant", { body: { type: "string" }, toComplainant: { type: "boolean" } }),
  "/api/v1/staff/cases/{id}/referrals": staffRef("Refer to the prosecutor", { reason: { type: "string" } }),
  "/api/v1/staff/cases/{id}/tolling": staffRef("Pause the discipline clock", { kind: { type: "string", enum: [...TOLLING_KINDS] }, starts_on: { type: "string", format: "date" }, ends_on: { type: "string", format: "date" } }),
  "/api/v1/staff/cases/{id}/panel": staffRef("Set the board panel (admin)", { members: { type: "array", items: { type: "string", format: "uuid" } } }),
  "/api/v1/staff/cases/{id}/votes": staffRef("A panel member's vote or recusal on one allegation", { allegation_id: { type: "string" }, vote: { type: "string" }, recused: { type: "boolean" } }),
  "/api/v1/staff/cases/{id}/assignment": {
    put: {
      summary: "Assign the case to an active investigator or administrator, or clear it with null (admin, intake; an investigator may take an unassigned case or give back their own)",
      security: [{ session: [] }],
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
      requestBody: { required: true, content: { "application/json": { schema: { type: "object", required: ["userId"], properties: { userId: { type: ["string", "null"], format: "uuid" } } } } } },
      responses: {
        "200": { description: "The assignee now; changed is false when it was already so. The assignee is emailed unless they assigned themselves" },
        "400": { description: "userId is not a user id or null" },
        "403": { description: "Your role may not make this assignment" },
        "404": { description: "No such case" },
        "409": { description: "The user is not an active investigator or administrator, or the case is closed" },
      },
    },
  },
  "/api/v1/staff/cases/{id}/legal-hold": staffRef("Place or lift a legal hold: while held, retention keeps the contact details (admin)", { hold: { type: "boolean" } }),
  "/api/v1/staff/cases/{id}/final-decisions": staffRef("The department's final decision on one allegation (admin)", { allegation_id: { type: "string" }, final_finding: { type: "string" }, final_penalty: { type: "string" } }),
  "/api/v1/staff/reinstatements": { post: { summary: "The department reports an officer reinstated; flags open cases (admin)", security: [{ session: [] }], responses: { "200": { description: "Flags raised" } } } },
};
