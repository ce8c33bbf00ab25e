import { Hono } from "hono";
import type { AppEnv } from "../web/context.js";
import { recordsApiRoutes } from "./api-routes.js";
import { recordsPageRoutes } from "./page-routes.js";

export function recordsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.route("/", recordsApiRoutes());
  app.route("/", recordsPageRoutes());
  return app;
}
