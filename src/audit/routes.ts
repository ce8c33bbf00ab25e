import { Hono } from "hono";
import { authorize } from "../auth/authorize.js";
import type { AppEnv } from "../web/context.js";
import { currentTreeHead } from "./service.js";

/** Anyone may read the log's current tree head and check it against a copy they kept. */
export function auditRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/api/v1/audit/tree-head", async (c) => {
    authorize(c.get("actor"), "audit.read");
    return c.json(await currentTreeHead(c.get("deps").db));
  });
  return app;
}
