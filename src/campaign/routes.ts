import { Hono } from "hono";
import type { AppEnv } from "../web/context.js";
import { campaignApiRoutes } from "./api-routes.js";
import { campaignPageRoutes } from "./page-routes.js";

/** The campaign: mount with app.route("/", campaignRoutes()). */
export function campaignRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.route("/", campaignApiRoutes());
  app.route("/", campaignPageRoutes());
  return app;
}
