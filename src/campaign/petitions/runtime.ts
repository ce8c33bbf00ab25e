/**
 * The petitions' in-process machinery for one database: the group-commit
 * batcher, the rate limits, the counts of refused attempts, the live-count hub
 * and a short cache of petitions. One per Db (a WeakMap), made on first use by the
 * routes, or up front by `startPetitions` (the server start hook, which also runs
 * the background jobs and shuts everything down in order).
 */
import type { Db } from "../../db/db.js";
import { loadPetitionSettings, type PetitionSettings } from "./config.js";
import { GroupCommit } from "./group-commit.js";
import { RejectionCounter, SigningLimits } from "./limits.js";
import { LiveCounts } from "./live.js";
import * as repo from "./repo.js";
import { presentPetitionDetail, presentSigner, type PetitionView } from "./present.js";
import { anonymiseDue, petitionDetail, publicSigners } from "./service.js";
import { writeBatch, type WriteOp, type WriteResult } from "./writes.js";

export interface RuntimeLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface PetitionRuntime {
  settings: PetitionSettings;
  batcher: GroupCommit<WriteOp, WriteResult>;
  limits: SigningLimits;
  rejections: RejectionCounter;
  live: LiveCounts;
  /** A petition by id or slug, cached for two seconds (the signing path reads it on every post). */
  petition(idOrSlug: string): Promise<repo.PetitionWithTally | undefined>;
  /**
   * What a petition's page shows (its presented view and the first listed signers),
   * reused for `pageCacheMs`; concurrent loads of the same page share one read, so a
   * surge of visitors costs the database a few queries a second, not a few per visitor.
   */
  page(idOrSlug: string): Promise<PetitionPageData | undefined>;
  forget(): void;
  /** Base of links written outside a request (the batcher's): `linkBase` (web/link-base.ts), set by the routes. */
  origin: string;
  link(slug: string): string;
}

export interface PetitionPageData {
  view: PetitionView;
  signers: ReturnType<typeof presentSigner>[];
  signersTotal: number;
}

/** How many listed signers a petition page shows. */
export const SIGNERS_ON_PAGE = 30;

const runtimes = new WeakMap<Db, PetitionRuntime>();
const PETITION_CACHE_MS = 2000;

/** The runtime for this database, made on first use with the environment's settings (or `overrides`). */
export function petitionRuntime(db: Db, options: { settings?: Partial<PetitionSettings>; logger?: RuntimeLogger } = {}): PetitionRuntime {
  const existing = runtimes.get(db);
  if (existing) return existing;
  const settings = loadPetitionSettings(process.env, options.settings);
  const cache = new Map<string, { at: number; row: repo.PetitionWithTally | undefined }>();
  const pages = new Map<string, { at: number; data: Promise<PetitionPageData | undefined> }>();
  const loadPage = async (idOrSlug: string): Promise<PetitionPageData | undefined> => {
    const detail = await petitionDetail(db, idOrSlug);
    if (!detail) return undefined;
    const signers = await publicSigners(db, detail.petition.id, SIGNERS_ON_PAGE, 0);
    return { view: presentPetitionDetail(detail), signers: signers.rows.map(presentSigner), signersTotal: signers.total };
  };
  const runtime: PetitionRuntime = {
    settings,
    batcher: new GroupCommit<WriteOp, WriteResult>((ops) => writeBatch(db, ops, (slug) => runtime.link(slug)), {
      delayMs: settings.batchDelayMs,
      maxBatch: settings.batchMax,
      maxQueue: settings.queueMax,
    }),
    limits: new SigningLimits(settings),
    rejections: new RejectionCounter(),
    live: new LiveCounts(db, settings.liveIntervalMs, options.logger),
    async petition(idOrSlug) {
      const hit = cache.get(idOrSlug);
      if (hit && Date.now() - hit.at < PETITION_CACHE_MS) return hit.row;
      const row = await repo.findPetition(db, idOrSlug);
      if (cache.size > 1000) cache.clear();
      cache.set(idOrSlug, { at: Date.now(), row });
      return row;
    },
    page(idOrSlug) {
      const hit = pages.get(idOrSlug);
      if (hit && Date.now() - hit.at < settings.pageCacheMs) return hit.data;
      const data = loadPage(idOrSlug);
      if (pages.size > 1000) pages.clear();
      pages.set(idOrSlug, { at: Date.now(), data });
      // A failed read is not kept.
      data.catch(() => pages.delete(idOrSlug));
      return data;
    },
    forget: () => {
      cache.clear();
      pages.clear();
    },
    origin: "http://localhost:3000",
    link: (slug) => `${runtime.origin}/petitions/${slug}`,
  };
  runtimes.set(db, runtime);
  return runtime;
}

export interface PetitionsHandle {
  runtime: PetitionRuntime;
  /**
   * Ends the live-count streams. Call it before closing the HTTP server, which
   * waits for open connections and would otherwise wait for every watcher.
   */
  closeStreams(): void;
  /** Writes every signature already accepted, flushes the refusal counts and stops the jobs. Before db.close(). */
  stop(): Promise<void>;
}

/**
 * The server start hook: makes the runtime and starts its jobs (refusal counts
 * written every two seconds; the anonymisation job at start and then every
 * `anonymiseIntervalMs`).
 */
export function startPetitions(deps: { db: Db; logger?: RuntimeLogger }, overrides: Partial<PetitionSettings> = {}): PetitionsHandle {
  const runtime = petitionRuntime(deps.db, { settings: overrides, logger: deps.logger });
  const { db, logger } = deps;
  let stopped = false;
  const flushRejections = async () => {
    try {
      await runtime.rejections.flush(db);
    } catch (error) {
      logger?.warn({ err: { message: (error as Error).message } }, "petition refusal counts not written; will retry");
    }
  };
  const countsTimer = setInterval(() => void flushRejections(), 2000);
  countsTimer.unref();
  let anonymising: Promise<unknown> = Promise.resolve();
  const anonymise = () => {
    if (stopped) return;
    anonymising = anonymiseDue(db, { afterDays: runtime.settings.anonymiseAfterDays })
      .then((report) => {
        if (report.petitions.length) logger?.info({ petitions: report.petitions.map((p) => ({ id: p.id, wiped: p.wiped, expired: p.expired })) }, "petition signer data anonymised");
      })
      .catch((error: Error) => logger?.error({ err: { message: error.message } }, "petition anonymisation failed; will retry"));
  };
  const anonymiseTimer = setInterval(anonymise, runtime.settings.anonymiseIntervalMs);
  anonymiseTimer.unref();
  setImmediate(anonymise);
  return {
    runtime,
    closeStreams: () => runtime.live.closeAll(),
    async stop() {
      stopped = true;
      clearInterval(countsTimer);
      clearInterval(anonymiseTimer);
      runtime.live.closeAll();
      await runtime.batcher.stop();
      await anonymising;
      await flushRejections();
    },
  };
}
