import { Hono, type Context } from "hono";
import { etag } from "hono/etag";
import { authorize } from "../auth/authorize.js";
import type { AppEnv } from "../web/context.js";
import { csvResponse } from "../web/csv.js";
import { notFound } from "../web/errors.js";
import { parseParam, parseQuery } from "../web/validate.js";
import * as present from "./present.js";
import { allegationQuerySchema, complaintQuerySchema, officerQuerySchema, settlementQuerySchema, sha256Schema, uuidSchema } from "./schema.js";
import * as service from "./service.js";
import type { Page } from "./service.js";

/** The versioned public JSON API for the open records. Lists take ?format=csv. */
export function recordsApiRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("/api/v1/*", etag({ weak: true }));
  app.use("/api/v1/*", async (c, next) => {
    authorize(c.get("actor"), "records.read");
    await next();
  });
  const db = (c: Context<AppEnv>) => c.get("deps").db;

  app.get("/api/v1/stats", async (c) => c.json(present.presentStats(await service.recordStats(db(c)))));

  app.get("/api/v1/officers", async (c) => {
    const query = parseQuery(c, officerQuerySchema);
    return answerList(c, "officers", await service.searchOfficers(db(c), query), present.presentOfficerListItem);
  });
  app.get("/api/v1/officers/:id", async (c) => {
    const profile = await service.officerProfile(db(c), parseParam(c, "id", uuidSchema));
    if (!profile) throw notFound();
    return c.json(present.presentOfficerProfile(profile));
  });

  app.get("/api/v1/complaints", async (c) => {
    const query = parseQuery(c, complaintQuerySchema);
    return answerList(c, "complaints", await service.searchComplaints(db(c), query), present.presentComplaintListItem);
  });
  app.get("/api/v1/complaints/:id", async (c) => {
    const detail = await service.complaintDetail(db(c), parseParam(c, "id", uuidSchema));
    if (!detail) throw notFound();
    return c.json(present.presentComplaint(detail));
  });

  app.get("/api/v1/allegations", async (c) => {
    const query = parseQuery(c, allegationQuerySchema);
    return answerList(c, "allegations", await service.listAllegations(db(c), query), present.presentAllegationListItem);
  });
  app.get("/api/v1/settlements", async (c) => {
    const query = parseQuery(c, settlementQuerySchema);
    return answerList(c, "settlements", await service.listSettlements(db(c), query), present.presentSettlementListItem);
  });

  app.get("/api/v1/agencies", async (c) => {
    const items = (await service.listAgencies(db(c))).map(present.presentAgency);
    if (c.req.query("format") === "csv") return csvResponse(c, "agencies", items);
    return c.json({ items, total: items.length });
  });
  app.get("/api/v1/agencies/:slug", async (c) => {
    const detail = await service.agencyDetail(db(c), c.req.param("slug").slice(0, 100));
    if (!detail) throw notFound();
    return c.json(present.presentAgencyDetail(detail));
  });

  app.get("/api/v1/search", async (c) => {
    // One search box across officers (by name) and complaints (by text), each with its own filters.
    const officers = await service.searchOfficers(db(c), parseQuery(c, officerQuerySchema));
    const complaints = await service.searchComplaints(db(c), parseQuery(c, complaintQuerySchema));
    return c.json({
      officers: { total: officers.total, items: officers.items.map(present.presentOfficerListItem) },
      complaints: { total: complaints.total, totalExact: complaints.totalExact, items: complaints.items.map(present.presentComplaintListItem) },
    });
  });

  app.get("/api/v1/sources/:sha256", async (c) => {
    const file = await service.sourceFile(db(c), parseParam(c, "sha256", sha256Schema));
    if (!file) throw notFound();
    return c.json(present.presentSourceFile(file));
  });
  return app;
}

/** A page of items as JSON (with total and Link headers) or, with ?format=csv, as a CSV download. */
function answerList<Row extends { total: number }, Out extends Record<string, unknown>>(
  c: Context<AppEnv>, name: string, page: Page<Row>, presenter: (row: Row) => Out,
) {
  const items = page.items.map(presenter);
  if (c.req.query("format") === "csv") return csvResponse(c, name, items);
  const lastPage = Math.max(1, Math.ceil(page.total / page.perPage));
  const links: string[] = [];
  const url = new URL(c.req.url);
  const pageUrl = (n: number) => {
    url.searchParams.set("page", String(n));
    return `<${url.pathname}${url.search}>`;
  };
  if (page.page < lastPage || !page.totalExact) links.push(`${pageUrl(page.page + 1)}; rel="next"`);
  if (page.page > 1) links.push(`${pageUrl(page.page - 1)}; rel="prev"`);
  if (links.length) c.header("Link", links.join(", "));
  return c.json({ items, total: page.total, totalExact: page.totalExact, page: page.page, perPage: page.perPage, pages: lastPage });
}
