import { Hono } from "hono";
import { authorize } from "../auth/authorize.js";
import type { AppEnv } from "../web/context.js";
import { presentStats } from "./present.js";
import { recordStats } from "./service.js";

export function recordsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/api/v1/stats", async (c) => {
    authorize(c.get("actor"), "records.read");
    return c.json(presentStats(await recordStats(c.get("deps").db)));
  });
  return app;
}
