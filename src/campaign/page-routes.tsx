import { readFileSync } from "node:fs";
import { Hono, type Context } from "hono";
import { ZodError } from "zod";
import { signedTreeHead } from "../audit/service.js";
import { barChartSvg } from "../records/charts.js";
import type { AppEnv } from "../web/context.js";
import { describeIssues, HttpError, notFound } from "../web/errors.js";
import { linkBase } from "../web/link-base.js";
import { renderPage } from "../web/render.js";
import { parseParam } from "../web/validate.js";
import { actorName, authorizeCampaign, canCampaign } from "./access.js";
import { atomFeed } from "./atom.js";
import { campaignTranslator, type CampaignKey, type CampaignTranslate } from "./i18n.js";
import * as present from "./present.js";
import { slugSchema, uuidSchema, type DemandStatus } from "./schema.js";
import * as service from "./service.js";
import { DemandView, type StatusFormValues } from "./views/demand.js";
import { MeetingsView, MeetingView, type MeetingFormOptions } from "./views/meetings.js";
import { pick, type Lang } from "./views/parts.js";
import { ScoreboardView } from "./views/scoreboard.js";
import { MotionView, VotesView } from "./views/votes.js";

/** The namespace of the signed audit tree head carried in the feed (its attributes are the fields of GET /api/v1/audit/tree-head). */
export const AUDIT_HEAD_NAMESPACE = "urn:oversight:audit-tree-head:v1";
const STYLES = readFileSync(new URL("./campaign.css", import.meta.url));

type Body = Record<string, string | File>;
const text = (body: Body, key: string) => (typeof body[key] === "string" ? (body[key] as string) : "");
const texts = (body: Body) => Object.fromEntries(Object.entries(body).filter(([key, value]) => key !== "_csrf" && typeof value === "string")) as Record<string, string>;

/** A refused form comes back with the reason, naming the field; anything else is thrown on. */
function formError(error: unknown): { message: string; status: 400 | 409 } | null {
  if (error instanceof ZodError) return { message: describeIssues(error.issues), status: 400 };
  if (error instanceof HttpError && (error.status === 400 || error.status === 409)) return { message: error.detail ?? error.message, status: error.status };
  return null;
}

/** The campaign's public pages, its staff forms and its Atom feed. */
export function campaignPageRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const db = (c: Context<AppEnv>) => c.get("deps").db;
  const ctx = (c: Context<AppEnv>) => {
    authorizeCampaign(c.get("actor"), "campaign.read");
    const lang = c.get("lang") as Lang;
    return { lang, t: campaignTranslator(lang) };
  };
  const recorder = (c: Context<AppEnv>) => (canCampaign(c.get("actor"), "campaign.record") ? c.get("csrfToken") : undefined);

  app.get("/campaign/campaign.css", (c) => c.body(STYLES, 200, { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=3600" }));

  app.get("/campaign", async (c) => {
    const { lang, t } = ctx(c);
    const board = present.presentScoreboard(await service.scoreboard(db(c)));
    return renderPage(c, t("campaign.title"), <ScoreboardView t={t} lang={lang} board={board} />);
  });

  // Demands ------------------------------------------------------------------
  const showDemand = async (c: Context<AppEnv>, extra: { error?: string; values?: StatusFormValues; status?: 200 | 400 | 409 } = {}) => {
    const { lang, t } = ctx(c);
    const detail = await service.demandDetail(db(c), parseParam(c, "slug", slugSchema));
    if (!detail) throw notFound();
    const demand = present.presentDemandDetail(detail);
    const title = t("campaign.listDemandNumber", { list: pick(demand.listInfo.title, lang), number: demand.number });
    return renderPage(c, title, (
      <DemandView t={t} lang={lang} demand={demand} csrfToken={recorder(c)} error={extra.error} values={extra.values} recorded={c.req.query("recorded") === "1"} />
    ), extra.status ?? 200);
  };
  app.get("/campaign/demands/:slug", (c) => showDemand(c));
  app.post("/campaign/demands/:slug/status", async (c) => {
    const actor = c.get("actor");
    authorizeCampaign(actor, "campaign.record");
    const slug = parseParam(c, "slug", slugSchema);
    const body = (await c.req.parseBody()) as Body;
    const values = texts(body);
    try {
      await service.recordStatusChange(db(c), actorName(actor), slug, {
        target: text(body, "target"), status: text(body, "status") as DemandStatus, occurred_on: text(body, "occurred_on"), summary: text(body, "summary"),
        summary_lang: text(body, "summary_lang") === "es" ? "es" : "en", evidence_url: text(body, "evidence_url"), evidence_title: text(body, "evidence_title"),
      });
    } catch (error) {
      const refused = formError(error);
      if (!refused) throw error;
      return showDemand(c, { error: refused.message, values, status: refused.status });
    }
    return c.redirect(`/campaign/demands/${slug}?lang=${c.get("lang")}&recorded=1`, 303);
  });

  // Meetings -----------------------------------------------------------------
  const meetingOptions = async (c: Context<AppEnv>): Promise<MeetingFormOptions> => {
    const board = present.presentScoreboard(await service.scoreboard(db(c)));
    const overview = await service.meetingsOverview(db(c));
    return {
      coalitions: board.coalitions.map((coalition) => ({ slug: coalition.slug, name: pick(coalition.name, c.get("lang") as Lang) })),
      organizations: board.coalitions.flatMap((coalition) => coalition.members).filter((org, i, all) => all.findIndex((o) => o.slug === org.slug) === i),
      targets: board.targets,
      promises: overview.promises.map(({ promise }) => ({ slug: promise.slug, title: { en: promise.title_en, es: promise.title_es } })),
    };
  };
  const showMeetings = async (c: Context<AppEnv>, extra: { error?: string; values?: Record<string, string>; status?: 200 | 400 | 409 } = {}) => {
    const { lang, t } = ctx(c);
    const overview = await service.meetingsOverview(db(c));
    const meetings = overview.meetings.map(({ meeting, attendance }) => present.presentMeeting(meeting, attendance));
    const promises = await Promise.all(overview.promises.map(async ({ promise, summary }) => {
      const presented = present.presentPromise(promise, summary);
      return { promise: presented, chartSvg: await promiseChart(t, presented) };
    }));
    const token = recorder(c);
    const form = token ? { csrfToken: token, options: await meetingOptions(c), error: extra.error, values: extra.values } : undefined;
    return renderPage(c, t("campaign.meetingsTitle"), <MeetingsView t={t} lang={lang} meetings={meetings} promises={promises} form={form} recorded={c.req.query("recorded") === "1"} />, extra.status ?? 200);
  };
  app.get("/campaign/meetings", (c) => showMeetings(c));
  app.post("/campaign/meetings", async (c) => {
    const actor = c.get("actor");
    authorizeCampaign(actor, "campaign.record");
    const body = (await c.req.parseBody()) as Body;
    const values = texts(body);
    const attendance = Object.entries(values).filter(([key]) => key.startsWith("attendance_"));
    try {
      await service.recordMeeting(db(c), actorName(actor), {
        title: text(body, "title"), title_es: text(body, "title_es"), kind: text(body, "kind") as never, format: (text(body, "format") || undefined) as never,
        held_on: text(body, "held_on"), status: text(body, "status") as never, by: text(body, "by"), promise: text(body, "promise"),
        participants_min: text(body, "participants_min"), agenda: text(body, "agenda"), minutes: text(body, "minutes"), minutes_url: text(body, "minutes_url"),
        attended: attendance.filter(([, v]) => v === "present").map(([key]) => key.slice("attendance_".length)),
        absent: attendance.filter(([, v]) => v === "absent").map(([key]) => key.slice("attendance_".length)),
      });
    } catch (error) {
      const refused = formError(error);
      if (!refused) throw error;
      return showMeetings(c, { error: refused.message, values, status: refused.status });
    }
    return c.redirect(`/campaign/meetings?lang=${c.get("lang")}&recorded=1`, 303);
  });
  app.get("/campaign/meetings/:id", async (c) => {
    const { lang, t } = ctx(c);
    const detail = await service.meetingDetail(db(c), parseParam(c, "id", uuidSchema));
    if (!detail) throw notFound();
    const meeting = present.presentMeeting(detail.meeting, detail.attendance);
    return renderPage(c, pick(meeting.title, lang), <MeetingView t={t} lang={lang} meeting={meeting} />);
  });

  // Votes --------------------------------------------------------------------
  const showVotes = async (c: Context<AppEnv>, extra: { error?: string; values?: Record<string, string>; status?: 200 | 400 | 409 } = {}) => {
    const { lang, t } = ctx(c);
    const votes = present.presentVotes(await service.votesOverview(db(c)));
    const token = recorder(c);
    let form;
    if (token) {
      const board = present.presentScoreboard(await service.scoreboard(db(c)));
      const lists = board.lists.map((list) => ({ slug: list.slug, title: list.title, demands: list.demands.map((d) => ({ slug: d.slug, number: d.number, text: d.text })) }));
      form = { csrfToken: token, options: { lists }, error: extra.error, values: extra.values };
    }
    return renderPage(c, t("campaign.votesTitle"), <VotesView t={t} lang={lang} votes={votes} form={form} recorded={c.req.query("recorded") === "1"} />, extra.status ?? 200);
  };
  app.get("/campaign/votes", (c) => showVotes(c));
  app.post("/campaign/votes", async (c) => {
    const actor = c.get("actor");
    authorizeCampaign(actor, "campaign.record");
    const body = (await c.req.parseBody()) as Body;
    let id: string;
    try {
      id = await service.createMotion(db(c), actorName(actor), {
        body: text(body, "body"), title: text(body, "title"), title_es: text(body, "title_es"), moved_on: text(body, "moved_on"),
        threshold: (text(body, "threshold") || undefined) as never, demand: text(body, "demand"), status_if_pass: text(body, "status_if_pass") as never, status_if_fail: text(body, "status_if_fail") as never,
      });
    } catch (error) {
      const refused = formError(error);
      if (!refused) throw error;
      return showVotes(c, { error: refused.message, values: texts(body), status: refused.status });
    }
    return c.redirect(`/campaign/votes/${id}?lang=${c.get("lang")}`, 303);
  });
  const showMotion = async (c: Context<AppEnv>, extra: { error?: string; values?: Record<string, string>; status?: 200 | 400 | 409 } = {}) => {
    const { lang, t } = ctx(c);
    const detail = await service.motionDetail(db(c), parseParam(c, "id", uuidSchema));
    if (!detail) throw notFound();
    const motion = present.presentMotionDetail(detail);
    const token = recorder(c);
    return renderPage(c, pick(motion.title, lang), (
      <MotionView t={t} lang={lang} motion={motion} form={token ? { csrfToken: token, error: extra.error, values: extra.values } : undefined} recorded={c.req.query("recorded") === "1"} />
    ), extra.status ?? 200);
  };
  app.get("/campaign/votes/:id", (c) => showMotion(c));
  app.post("/campaign/votes/:id/roll-call", async (c) => {
    const actor = c.get("actor");
    authorizeCampaign(actor, "campaign.record");
    const id = parseParam(c, "id", uuidSchema);
    const body = (await c.req.parseBody()) as Body;
    const values = texts(body);
    const votes = Object.fromEntries(Object.entries(values).filter(([key, value]) => /^vote_\d{1,3}$/.test(key) && value).map(([key, value]) => [key.slice(5), value]));
    try {
      await service.recordRollCall(db(c), actorName(actor), id, { decided_on: text(body, "decided_on"), votes: votes as never });
    } catch (error) {
      const refused = formError(error);
      if (!refused) throw error;
      return showMotion(c, { error: refused.message, values, status: refused.status });
    }
    return c.redirect(`/campaign/votes/${id}?lang=${c.get("lang")}&recorded=1`, 303);
  });

  // The Atom feed -------------------------------------------------------------
  app.get("/campaign/feed.atom", async (c) => {
    authorizeCampaign(c.get("actor"), "campaign.read");
    const lang: Lang = c.req.query("lang") === "es" ? "es" : c.req.query("lang") === "en" ? "en" : (c.get("lang") as Lang);
    const t = campaignTranslator(lang);
    const deps = c.get("deps");
    const events = await service.recentEvents(db(c), 100);
    // Entry ids must not change with the Host a reader's request names: the configured address, as emails use.
    const origin = linkBase(c);
    const words = feedWords(t, lang);
    const xml = atomFeed({
      id: `${origin}/campaign/feed.atom`,
      title: t("campaign.feedTitle"),
      subtitle: t("campaign.feedSubtitle"),
      lang,
      self: `${origin}/campaign/feed.atom?lang=${lang}`,
      alternate: `${origin}/campaign?lang=${lang}`,
      // With no entries, a fixed instant keeps the feed valid and stable.
      updated: events.map((event) => event.recorded_at).sort().at(-1) ?? "2020-06-01T00:00:00Z",
      author: "Oversight",
      entries: events.map((event) => present.presentFeedEntry(event, origin, lang, words)),
      // The audit log's current signed head, so anyone following the feed keeps copies to check later heads against.
      extensions: deps.auditKey ? [{ prefix: "audit", namespace: AUDIT_HEAD_NAMESPACE, name: "treeHead", attributes: { ...(await signedTreeHead(deps.db, deps.auditKey)) } }] : [],
    });
    return c.body(xml, 200, { "Content-Type": "application/atom+xml; charset=utf-8" });
  });
  return app;
}

function feedWords(t: CampaignTranslate, lang: Lang): present.FeedWords {
  const status = (s: string | null) => (s ? t(`campaign.status.${s}` as CampaignKey) : "—");
  return {
    status,
    demandLabel: (event) => t("campaign.listDemandNumber", { number: event.demand_number, list: lang === "es" ? event.list_title_es : event.list_title_en }),
    eventTitle: (event) => {
      switch (event.kind) {
        case "demanded": return t("campaign.event.demanded");
        case "status": return t("campaign.event.status", { from: status(event.status_from), to: status(event.status_to) });
        case "evidence": return t("campaign.event.evidence", { status: status(event.status_to) });
        case "vote": return event.status_from !== event.status_to ? t("campaign.event.voteChanged", { from: status(event.status_from), to: status(event.status_to) }) : t("campaign.event.vote");
      }
    },
  };
}

/** Promised vs held (and skipped, cancelled) per month, as grouped bars with fixed colours in either language. */
function promiseChart(t: CampaignTranslate, promise: present.PresentedPromise): Promise<string> {
  if (promise.months.length === 0) return Promise.resolve("");
  const series = [t("campaign.promised"), t("campaign.heldShort"), t("campaign.meeting.skipped"), t("campaign.meeting.cancelled")];
  return barChartSvg(
    promise.months.flatMap((row) => [
      { x: row.month, y: row.promised, series: series[0] },
      { x: row.month, y: row.held, series: series[1] },
      { x: row.month, y: row.skipped, series: series[2] },
      { x: row.month, y: row.cancelled, series: series[3] },
    ]),
    { xTitle: t("campaign.month"), yTitle: t("campaign.meetings"), height: 180, grouped: true, integer: true, seriesOrder: series },
  );
}
