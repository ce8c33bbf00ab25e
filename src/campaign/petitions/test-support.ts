/**
 * Test helpers: the real app with the petitions mounted (as src/app.tsx will
 * mount them) over a fresh test database (PGlite, or PostgreSQL when DATABASE_URL
 * is set), and a visitor that loads a petition page and signs from a given
 * client address.
 */
import { Hono } from "hono";
import { createApp } from "../../app.js";
import { loadConfig } from "../../config.js";
import type { Db } from "../../db/db.js";
import { openTestDb } from "../../db/test-db.js";
import { createLogger } from "../../logger.js";
import type { AppEnv } from "../../web/context.js";
import { TEST_SECRET } from "../../web/test-app.js";
import type { PetitionSettings } from "./config.js";
import { petitionAbuseCounter, petitionRoutes } from "./routes.js";
import { petitionRuntime, type PetitionRuntime } from "./runtime.js";
import { createPetition } from "./service.js";
import type { PetitionInput } from "./schema.js";

export { TEST_SECRET };

export interface PetitionTestApp {
  app: Hono<AppEnv>;
  db: Db;
  runtime: PetitionRuntime;
  close(): Promise<void>;
}

/** Settings for tests: no waiting for batches to fill, generous defaults unless a test narrows them. */
export const TEST_SETTINGS: Partial<PetitionSettings> = { batchDelayMs: 1, liveIntervalMs: 50, pageCacheMs: 0 };

/** `env` replaces the settings' environment (by default the public address http://oversight.test). */
export async function createPetitionTestApp(options: { settings?: Partial<PetitionSettings>; db?: Db; env?: NodeJS.ProcessEnv } = {}): Promise<PetitionTestApp> {
  const db = options.db ?? (await openTestDb());
  const settings = { ...TEST_SETTINGS, ...options.settings };
  const config = { ...loadConfig({ dataDir: "/nonexistent" }, { OVERSIGHT_ADMIN_TWO_FACTOR: "optional", ...(options.env ?? { OVERSIGHT_PUBLIC_URL: "http://oversight.test" }) }), apiRateLimit: 100_000 };
  // Made first, so the routes (ours or src/app.tsx's) find these settings.
  const runtime = petitionRuntime(db, { settings });
  const site = createApp({ db, config, logger: createLogger("silent"), demo: false, secret: TEST_SECRET });
  let app: Hono<AppEnv> = site;
  if (!site.routes.some((route) => route.path === "/petitions/:id/sign")) {
    // Not wired into src/app.tsx yet: mount them the way it will (the counter before the CSRF check).
    site.route("/", petitionRoutes({ settings }));
    app = new Hono<AppEnv>();
    app.use("/petitions/*", petitionAbuseCounter({ settings }));
    app.route("/", site);
    app.notFound((c) => site.fetch(c.req.raw, c.env));
  }
  return {
    app,
    db,
    runtime,
    async close() {
      runtime.live.closeAll();
      await runtime.batcher.stop();
      await db.close();
    },
  };
}

/** A petition open since yesterday, closing in a month, unless `overrides` say otherwise. */
export function samplePetition(overrides: Partial<PetitionInput> = {}): PetitionInput {
  const day = 86_400_000;
  return {
    slug: "test-petition",
    titleEn: "Fund the independent complaints office",
    titleEs: "Financien la oficina independiente de quejas",
    textEn: "We ask the council to fund the office.\n\nSecond paragraph.",
    textEs: "Pedimos al concejo que financie la oficina.\n\nSegundo párrafo.",
    targetEn: "City Council",
    targetEs: "Concejo Municipal",
    targetEmail: "council@city.example",
    goal: 100,
    opensAt: new Date(Date.now() - day).toISOString(),
    closesAt: new Date(Date.now() + 30 * day).toISOString(),
    sponsors: [{ name: "Urban League of Greater Kansas City", organizationSlug: "urban-league-gkc" }],
    thresholds: [{ signatures: 3, labelEn: "The council must answer in writing.", labelEs: "El concejo debe responder por escrito." }],
    ...overrides,
  };
}

export async function makePetition(db: Db, overrides: Partial<PetitionInput> = {}): Promise<string> {
  return createPetition(db, samplePetition(overrides), "test");
}

/** The env app.request() passes so the app sees this client address on the socket. */
export const from = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

export interface Visitor {
  cookie: string;
  csrf: string;
  form: string;
  address: string;
}

/** Loads the petition page as a new visitor from `address`, keeping its CSRF cookie and the page's form token. */
export async function visit(app: Hono<AppEnv>, slug: string, address = "198.51.100.7"): Promise<Visitor> {
  const response = await app.request(`/petitions/${slug}`, {}, from(address));
  if (response.status !== 200) throw new Error(`petition page answered ${response.status}`);
  const html = await response.text();
  const cookie = /oversight_csrf=([^;]+)/.exec(response.headers.getSetCookie().join(";"))?.[1];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const form = /name="_form" value="([^"]+)"/.exec(html)?.[1];
  if (!cookie || !csrf || !form) throw new Error("the petition page has no form tokens");
  return { cookie: `oversight_csrf=${cookie}`, csrf, form, address };
}

export interface SignFields {
  name?: string;
  email: string;
  zip?: string;
  show_publicly?: string;
  website?: string;
  _csrf?: string | null;
  _form?: string | null;
}

/** Posts the signing form as this visitor; `_csrf: null` / `_form: null` leave a token out. */
export async function sign(app: Hono<AppEnv>, slug: string, visitor: Visitor, fields: SignFields, address = visitor.address): Promise<Response> {
  const body = new URLSearchParams();
  if (fields._csrf !== null) body.set("_csrf", fields._csrf ?? visitor.csrf);
  if (fields._form !== null) body.set("_form", fields._form ?? visitor.form);
  body.set("name", fields.name ?? "Ada Signer");
  body.set("email", fields.email);
  body.set("zip", fields.zip ?? "64106");
  if (fields.show_publicly) body.set("show_publicly", fields.show_publicly);
  if (fields.website !== undefined) body.set("website", fields.website);
  return app.request(`/petitions/${slug}/sign`, { method: "POST", body, headers: { cookie: visitor.cookie, "content-type": "application/x-www-form-urlencoded" } }, from(address));
}

/** The confirmation path (/petitions/confirm/…) in an email's text. */
export function confirmLink(text: string): string {
  const match = /https?:\/\/[^\s]+(\/petitions\/confirm\/[^\s?]+)(\?lang=\w+)?/.exec(text);
  if (!match) throw new Error("no confirmation link in the email");
  return match[1] + (match[2] ?? "");
}
