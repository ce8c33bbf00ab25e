import { Hono, type Context } from "hono";
import { authorize, requireUser } from "../auth/authorize.js";
import type { AppEnv } from "../web/context.js";
import { badRequest } from "../web/errors.js";
import { renderPage } from "../web/render.js";
import { officeSettings, saveOfficeSettings, SettingsError, type OfficeSettings } from "./settings-service.js";
import { SettingsPage, type SettingsFormValues } from "./views/settings.js";

const PENALTY_FIELD = "penalty.";

const formValues = (settings: OfficeSettings): SettingsFormValues => ({ window: settings.disciplineWindow, matrix: { ...settings.disciplineMatrix } });

/** The office's settings page (admins): the discipline window and matrix, in one form. */
export function settingsPageRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/staff/settings", async (c) => {
    authorize(c.get("actor"), "cases.settings");
    const values = formValues(await officeSettings(c.get("deps").db));
    return renderPage(c, c.get("t")("staff.settings.title"), <SettingsPage t={c.get("t")} csrfToken={c.get("csrfToken")} values={values} saved={c.req.query("saved") === "1"} />);
  });

  app.post("/staff/settings", async (c) => {
    const actor = requireUser(c.get("actor"));
    authorize(actor, "cases.settings");
    const body = await c.req.parseBody();
    const matrix: Record<string, string> = {};
    for (const [key, value] of Object.entries(body)) {
      if (key.startsWith(PENALTY_FIELD) && typeof value === "string") matrix[key.slice(PENALTY_FIELD.length)] = value;
    }
    const window = typeof body.discipline_window === "string" ? body.discipline_window : "";
    try {
      await saveOfficeSettings(c.get("deps").db, `user:${actor.id}`, { discipline_window: window, discipline_matrix: matrix });
    } catch (error) {
      if (!(error instanceof SettingsError)) throw error;
      // Show what was typed, with each problem beside its row; nothing was saved.
      return renderPage(c, c.get("t")("staff.settings.title"), <SettingsPage t={c.get("t")} csrfToken={c.get("csrfToken")} values={{ window, matrix }} problems={error.problems} />, 400);
    }
    return c.redirect("/staff/settings?saved=1", 303);
  });
  return app;
}

/** The same settings for scripts: GET reads them, PATCH changes the window, the matrix or both. */
export function settingsApiRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Snake case, as the PATCH body and its error messages name the fields: what GET gives can be sent back.
  const present = (settings: OfficeSettings) => ({ discipline_window: settings.disciplineWindow, discipline_matrix: settings.disciplineMatrix });

  app.get("/api/v1/staff/settings", async (c) => {
    authorize(requireUser(c.get("actor")), "cases.settings");
    return c.json(present(await officeSettings(c.get("deps").db)));
  });

  app.patch("/api/v1/staff/settings", async (c) => {
    const actor = requireUser(c.get("actor"));
    authorize(actor, "cases.settings");
    const input = await jsonObject(c);
    // SettingsError is an HttpError: app.onError answers 400 with every problem named.
    return c.json(present(await saveOfficeSettings(c.get("deps").db, `user:${actor.id}`, { discipline_window: input.discipline_window, discipline_matrix: input.discipline_matrix })));
  });
  return app;
}

async function jsonObject(c: Context): Promise<Record<string, unknown>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw badRequest("the body must be JSON");
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw badRequest("input: the body must be a JSON object");
  return raw as Record<string, unknown>;
}

const problemsResponse = { description: "A field or a matrix row is wrong; the message names each (nothing is saved)" };

/** OpenAPI paths for the settings API. */
export const settingsOpenApiPaths = {
  "/api/v1/staff/settings": {
    get: {
      summary: "The office's discipline window and discipline matrix (admin)", security: [{ session: [] }],
      responses: { "200": { description: "The settings" }, "403": { description: "Only administrators" } },
    },
    patch: {
      summary: "Change the discipline window, the discipline matrix or both, in one step (admin)", security: [{ session: [] }],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              properties: {
                discipline_window: { type: "string", enum: ["180d", "1y", "18m"], description: "From the incident: 180 days, 1 year or 18 months" },
                discipline_matrix: { type: "object", additionalProperties: { type: "string" }, description: "A recommended penalty for every intake category; each must be a penalty the office can rank" },
              },
            },
          },
        },
      },
      responses: { "200": { description: "The settings now in force" }, "400": problemsResponse, "403": { description: "Only administrators" } },
    },
  },
};
