import { Hono, type Context } from "hono";
import type { AppEnv } from "../web/context.js";
import { csvResponse } from "../web/csv.js";
import { notFound } from "../web/errors.js";
import { parseParam, parseQuery } from "../web/validate.js";
import { authorizeCampaign } from "./access.js";
import * as present from "./present.js";
import { listQuerySchema, slugSchema, uuidSchema } from "./schema.js";
import * as service from "./service.js";

/** The campaign's public, read-only JSON API. Lists take ?format=csv. */
export function campaignApiRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const db = (c: Context<AppEnv>) => c.get("deps").db;
  const read = (c: Context<AppEnv>) => {
    authorizeCampaign(c.get("actor"), "campaign.read");
    return parseQuery(c, listQuerySchema);
  };

  app.get("/api/v1/demands", async (c) => {
    const query = read(c);
    const board = present.presentScoreboard(await service.scoreboard(db(c)));
    if (query.format === "csv") return csvResponse(c, "demands", present.demandCsvRows(board));
    return c.json(present.presentDemandsApi(board));
  });

  app.get("/api/v1/demands/:slug", async (c) => {
    read(c);
    const detail = await service.demandDetail(db(c), parseParam(c, "slug", slugSchema));
    if (!detail) throw notFound();
    return c.json(present.presentDemandDetail(detail));
  });

  app.get("/api/v1/meetings", async (c) => {
    const query = read(c);
    const overview = await service.meetingsOverview(db(c));
    const items = overview.meetings.map(({ meeting, attendance }) => present.presentMeeting(meeting, attendance));
    if (query.format === "csv") return csvResponse(c, "meetings", present.meetingCsvRows(items));
    return c.json({ items, total: items.length, promises: overview.promises.map(({ promise, summary }) => present.presentPromise(promise, summary)) });
  });

  app.get("/api/v1/votes", async (c) => {
    const query = read(c);
    const votes = present.presentVotes(await service.votesOverview(db(c)));
    if (query.format === "csv") return csvResponse(c, "votes", present.motionCsvRows(votes.items));
    return c.json({ items: votes.items, total: votes.items.length, bodies: votes.bodies });
  });

  app.get("/api/v1/votes/:id", async (c) => {
    read(c);
    const detail = await service.motionDetail(db(c), parseParam(c, "id", uuidSchema));
    if (!detail) throw notFound();
    return c.json(present.presentMotionDetail(detail));
  });
  return app;
}
