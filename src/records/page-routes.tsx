import { Hono, type Context } from "hono";
import { authorize, can } from "../auth/authorize.js";
import { mergePeople, splitPerson } from "./identity/admin-service.js";
import type { AppEnv } from "../web/context.js";
import { notFound } from "../web/errors.js";
import { renderPage } from "../web/render.js";
import { parseParam, parseQuery } from "../web/validate.js";
import { barChartSvg } from "./charts.js";
import * as present from "./present.js";
import { complaintQuerySchema, officerQuerySchema, sha256Schema, uuidSchema } from "./schema.js";
import * as service from "./service.js";
import { profileTimeline } from "./timeline.js";
import { AgencyDetailView, AgencyList } from "./views/agencies.js";
import { ComplaintDetailView } from "./views/complaint-detail.js";
import { ComplaintSearch } from "./views/complaint-search.js";
import { OfficerProfileView } from "./views/officer-profile.js";
import { OfficerSearch } from "./views/officer-search.js";
import { SourceFileView, SourcesView } from "./views/sources.js";

/** The public pages of the open records. */
export function recordsPageRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("*", async (c, next) => {
    authorize(c.get("actor"), "records.read");
    await next();
  });
  const db = (c: Context<AppEnv>) => c.get("deps").db;
  const rawQuery = (c: Context<AppEnv>) => new URL(c.req.url).searchParams;

  app.get("/officers", async (c) => {
    const query = parseQuery(c, officerQuerySchema);
    const [page, agencies] = await Promise.all([service.searchOfficers(db(c), query), service.listAgencies(db(c))]);
    const t = c.get("t");
    return renderPage(c, t("officers.title"), (
      <OfficerSearch t={t} lang={c.get("lang")} query={query} rawQuery={rawQuery(c)} items={page.items.map(present.presentOfficerListItem)}
        total={page.total} pages={Math.max(1, Math.ceil(page.total / page.perPage))} agencies={agencies} />
    ));
  });

  app.get("/officers/:id", async (c) => {
    const found = await service.officerProfile(db(c), parseParam(c, "id", uuidSchema));
    if (!found) throw notFound();
    if (found.person.merged_into) return c.redirect(`/officers/${found.person.merged_into}?lang=${c.get("lang")}`, 301);
    const profile = present.presentOfficerProfile(found);
    const t = c.get("t");
    const timeline = profileTimeline(profile);
    const series = [t("officers.allegations"), t("profile.useOfForce"), t("table.settlements")];
    const timelineSvg = timeline.length
      ? await barChartSvg(timeline.flatMap((row) => [
          { x: row.year, y: row.allegations, series: series[0] },
          { x: row.year, y: row.force, series: series[1] },
          { x: row.year, y: row.settlements, series: series[2] },
        ]), { xTitle: t("agencies.year"), yTitle: t("agencies.count"), height: 180, grouped: true, integer: true, seriesOrder: series })
      : "";
    const adminCsrf = can(c.get("actor"), "records.mergePeople") ? c.get("csrfToken") : undefined;
    return renderPage(c, profile.name, <OfficerProfileView t={t} lang={c.get("lang")} profile={profile} timeline={timeline} timelineSvg={timelineSvg} adminCsrf={adminCsrf} />);
  });

  app.post("/officers/:id/merge", async (c) => {
    const actor = c.get("actor");
    authorize(actor, "records.mergePeople");
    const body = await c.req.parseBody();
    const result = await mergePeople(db(c), actorName(actor), parseParam(c, "id", uuidSchema), { into: String(body.into ?? ""), reason: String(body.reason ?? "") });
    return c.redirect(`/officers/${result.into}`, 303);
  });

  app.post("/officers/:id/split", async (c) => {
    const actor = c.get("actor");
    authorize(actor, "records.mergePeople");
    const body = await c.req.parseBody({ all: true });
    const mentions = ([] as unknown[]).concat(body.mentions ?? []).map(String);
    const id = parseParam(c, "id", uuidSchema);
    await splitPerson(db(c), actorName(actor), id, { mentions, reason: String(body.reason ?? "") });
    return c.redirect(`/officers/${id}`, 303);
  });

  app.get("/complaints", async (c) => {
    const query = parseQuery(c, complaintQuerySchema);
    const [page, agencies] = await Promise.all([service.searchComplaints(db(c), query), service.listAgencies(db(c))]);
    const t = c.get("t");
    return renderPage(c, t("complaints.title"), (
      <ComplaintSearch t={t} lang={c.get("lang")} query={query} rawQuery={rawQuery(c)} items={page.items.map(present.presentComplaintListItem)}
        total={page.total} totalExact={page.totalExact} pages={Math.max(1, Math.ceil(page.total / page.perPage))} agencies={agencies} />
    ));
  });

  app.get("/complaints/:id", async (c) => {
    const detail = await service.complaintDetail(db(c), parseParam(c, "id", uuidSchema));
    if (!detail) throw notFound();
    const complaint = present.presentComplaint(detail);
    return renderPage(c, `${c.get("t")("profile.complaint")} ${complaint.externalId}`, <ComplaintDetailView t={c.get("t")} lang={c.get("lang")} complaint={complaint} />);
  });

  app.get("/agencies", async (c) => {
    const agencies = (await service.listAgencies(db(c))).map(present.presentAgency);
    return renderPage(c, c.get("t")("agencies.title"), <AgencyList t={c.get("t")} lang={c.get("lang")} agencies={agencies} />);
  });

  app.get("/agencies/:slug", async (c) => {
    const detail = await service.agencyDetail(db(c), c.req.param("slug").slice(0, 100));
    if (!detail) throw notFound();
    const agency = present.presentAgencyDetail(detail);
    const t = c.get("t");
    const charts = {
      byYear: agency.complaintsByYearAndCategory.length
        ? await barChartSvg(topCategories(agency.complaintsByYearAndCategory).map((row) => ({ x: row.year, y: row.complaints, series: row.category })), { xTitle: t("agencies.year"), yTitle: t("table.complaints"), integer: true })
        : "",
      sustained: agency.sustainedByYear.length
        ? await barChartSvg(agency.sustainedByYear.map((row) => ({ x: row.year, y: row.share })), { xTitle: t("agencies.year"), yTitle: t("agencies.share"), percent: true })
        : "",
      settlements: agency.settlementsByYear.length
        ? await barChartSvg(agency.settlementsByYear.map((row) => ({ x: row.year, y: row.amountCents / 100 })), { xTitle: t("agencies.year"), yTitle: t("agencies.total"), money: true })
        : "",
    };
    return renderPage(c, agency.name, <AgencyDetailView t={t} lang={c.get("lang")} agency={agency} charts={charts} />);
  });

  app.get("/sources", async (c) => {
    const files = (await service.sourceFiles(db(c))).map(present.presentSourceFile);
    return renderPage(c, c.get("t")("sources.title"), <SourcesView t={c.get("t")} files={files} />);
  });

  app.get("/sources/:sha256", async (c) => {
    const file = await service.sourceFile(db(c), parseParam(c, "sha256", sha256Schema));
    if (!file) throw notFound();
    return renderPage(c, file.name, <SourceFileView t={c.get("t")} file={present.presentSourceFile(file)} />);
  });
  return app;
}

const actorName = (actor: import("../web/context.js").Actor) => (actor.kind === "user" ? `user:${actor.id}` : "public");

/** Keeps the eight largest categories and folds the rest into "Other", so the chart stays legible. */
function topCategories(rows: { year: number; category: string; complaints: number }[]) {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(row.category, (totals.get(row.category) ?? 0) + row.complaints);
  const keep = new Set([...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([category]) => category));
  const folded = new Map<string, { year: number; category: string; complaints: number }>();
  for (const row of rows) {
    const category = keep.has(row.category) ? row.category : "Other";
    const key = `${row.year}|${category}`;
    const entry = folded.get(key) ?? { year: row.year, category, complaints: 0 };
    entry.complaints += row.complaints;
    folded.set(key, entry);
  }
  return [...folded.values()];
}
