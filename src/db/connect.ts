import net from "node:net";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import postgres from "postgres";
import type { Db, Queryable, Row } from "./db.js";
import { toCopyCsvLine } from "./csv-encode.js";
import { readTemplate } from "./pglite-template.js";
import { inspectDataDir, lockDataDir, openFailure } from "./data-dir.js";

/** OIDs whose text form we keep as-is so both drivers return the same JS values. */
const DATE_OID = 1082;
const TIMESTAMP_OID = 1114;
const TIMESTAMPTZ_OID = 1184;
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const JSON_OID = 114;
const JSONB_OID = 3802;

const keepText = (value: string) => value;
/** Counts and sums come back as int8; they stay far below 2^53 in this domain. */
const toNumber = (value: string) => Number(value);

export interface ConnectOptions {
  /** PGlite data directory; ignored when databaseUrl is given. Omit for in-memory. */
  dataDir?: string;
  databaseUrl?: string;
  /** Unpack a new PGlite database from the migrated template when there is one (default true). */
  template?: boolean;
}

/** Opens PostgreSQL when a URL is given, else an embedded PGlite database. */
export async function connect(options: ConnectOptions): Promise<Db> {
  return options.databaseUrl ? connectPostgres(options.databaseUrl) : connectPglite(options.dataDir, options.template ?? true);
}

const COPY_BATCH_BYTES = 4 * 1024 * 1024;

function copyStatement(table: string, columns: readonly string[], source: string): string {
  return `COPY ${table} (${columns.join(", ")}) FROM ${source} WITH (FORMAT csv)`;
}

/** PGlite with the extensions and type parsers every embedded database uses. */
export async function createPglite(dataDir: string | undefined, loadDataDir?: Blob): Promise<PGlite> {
  return PGlite.create(dataDir, {
    extensions: { pg_trgm },
    loadDataDir,
    parsers: {
      [DATE_OID]: keepText,
      [TIMESTAMP_OID]: keepText,
      [TIMESTAMPTZ_OID]: keepText,
      [INT8_OID]: toNumber,
      [NUMERIC_OID]: keepText,
    },
  });
}

/**
 * A data directory is locked for this process, checked (absent or empty → new;
 * anything else must be a PGlite database), and only a new one is unpacked from
 * the migrated template. In memory, there is nothing to lock or check.
 */
async function connectPglite(dataDir: string | undefined, useTemplate: boolean): Promise<Db> {
  if (!dataDir) return pgliteDb(await createPglite(undefined, useTemplate ? await readTemplate() : undefined));
  const lock = lockDataDir(dataDir);
  try {
    const fresh = inspectDataDir(dataDir) === "new";
    const template = useTemplate && fresh ? await readTemplate() : undefined;
    const pg = await createPglite(dataDir, template).catch((error: unknown) => {
      throw openFailure(dataDir, error);
    });
    const db = await pgliteDb(pg);
    return { ...db, close: () => db.close().finally(() => lock.release()) };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** The Db interface over an open PGlite database. */
export async function pgliteDb(pg: PGlite): Promise<Db> {
  // PGlite does not apply per-database settings (ALTER DATABASE … SET) to its session on reopen:
  // set the name-search threshold here too (see migration 0004), or typo tolerance drops after a restart.
  await pg.exec("SET pg_trgm.word_similarity_threshold = 0.35").catch(() => undefined);
  type PgliteLike = {
    query<T>(text: string, params?: unknown[], options?: { blob?: Blob }): Promise<{ rows: T[] }>;
    exec(text: string): Promise<unknown>;
  };
  const wrap = (target: PgliteLike): Queryable & { copy: PgliteCopy } => ({
    async query<T = Row>(text: string, params: readonly unknown[] = []) {
      return (await target.query<T>(text, [...params])).rows;
    },
    async exec(text: string) {
      await target.exec(text);
    },
    async copy(table, columns, rows) {
      // PGlite reads COPY input from a virtual /dev/blob device.
      for (const chunk of csvChunks(rows)) {
        await target.query(copyStatement(table, columns, "'/dev/blob'"), [], { blob: new Blob([chunk]) });
      }
    },
  });
  const root = wrap(pg as unknown as PgliteLike);
  return {
    kind: "pglite",
    query: root.query,
    exec: root.exec,
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx as unknown as PgliteLike))),
    copyRows: (tx, table, columns, rows) => (tx as Queryable & { copy: PgliteCopy }).copy(table, columns, rows),
    // PGlite's dump holds its query lock for the whole copy: no statement writes meanwhile.
    dumpFiles: async () => new Uint8Array(await (await pg.dumpDataDir("none")).arrayBuffer()),
    close: () => pg.close(),
  };
}

/**
 * A promise that rejects with the server's error for a COPY … FROM STDIN.
 * postgres.js 3.4 reports a COPY the server refuses after the data was sent
 * (a foreign key, a unique index) only to the query promise, which has already
 * resolved to the stream, so the error is lost and the stream never finishes
 * (porsager/postgres#1173). Its reject hook still runs: listen there.
 */
function serverErrorOf(query: unknown): Promise<never> {
  const hooks = query as { reject: (error: unknown) => void };
  return new Promise<never>((_, reject) => {
    const original = hooks.reject;
    hooks.reject = (error) => {
      reject(error);
      original(error);
    };
  });
}

interface SocketTarget {
  host: string[];
  port: number[];
  path?: string;
}

/**
 * Opens the server connection with TCP_NODELAY, as libpq does. postgres.js
 * leaves Nagle's algorithm on, so the small CopyDone that ends every COPY waited
 * for the server's delayed ACK: 50–90 ms per COPY on loopback (bench/records).
 * Hosts are tried in order, as postgres.js does with a multi-host URL.
 */
async function noDelaySocket(target: SocketTarget): Promise<net.Socket> {
  if (target.path) return opened(net.connect({ path: target.path }));
  let lastError: unknown;
  for (let i = 0; i < target.host.length; i++) {
    try {
      return await opened(net.connect({ host: target.host[i], port: target.port[i] ?? target.port[0], noDelay: true }));
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

function opened(socket: net.Socket): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => {
      socket.off("error", reject);
      resolve(socket);
    });
    socket.once("error", reject);
  });
}

type PgliteCopy = (table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]) => Promise<void>;

function* csvChunks(rows: readonly (readonly unknown[])[]): Generator<string> {
  let lines: string[] = [];
  let size = 0;
  for (const row of rows) {
    const line = toCopyCsvLine(row);
    lines.push(line);
    size += line.length;
    if (size >= COPY_BATCH_BYTES) {
      yield lines.join("");
      lines = [];
      size = 0;
    }
  }
  if (lines.length) yield lines.join("");
}

async function connectPostgres(url: string): Promise<Db> {
  const sql = postgres(url, {
    max: 10,
    // A documented postgres.js option its type definitions omit.
    ...({ socket: noDelaySocket } as object),
    onnotice: () => {},
    types: {
      date: { to: DATE_OID, from: [DATE_OID, TIMESTAMP_OID, TIMESTAMPTZ_OID], serialize: (v: unknown) => String(v), parse: keepText },
      int8: { to: INT8_OID, from: [INT8_OID], serialize: (v: unknown) => String(v), parse: toNumber },
      // Repositories pass JSON as text, as PGlite expects; without this postgres-js would encode it twice.
      jsonb: { to: JSONB_OID, from: [JSON_OID, JSONB_OID], serialize: (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v)), parse: (v: string) => JSON.parse(v) },
    },
  });
  type SqlLike = postgres.Sql | postgres.TransactionSql;
  const wrap = (target: SqlLike): Queryable & { copy: PgliteCopy } => ({
    async query<T = Row>(text: string, params: readonly unknown[] = []) {
      // A plain array, so results compare and serialise the same on both engines.
      return [...(await target.unsafe(text, params as postgres.ParameterOrJSON<never>[]))] as unknown as T[];
    },
    async exec(text: string) {
      // The simple protocol allows several statements in one call, as migrations need.
      await target.unsafe(text).simple();
    },
    async copy(table, columns, rows) {
      const query = target.unsafe(copyStatement(table, columns, "STDIN"));
      const failed = serverErrorOf(query);
      // Handled here as well: when the COPY is refused at once, writable() throws and nothing else awaits this.
      failed.catch(() => undefined);
      const stream = await query.writable();
      for (const chunk of csvChunks(rows)) {
        if (!stream.write(chunk)) await Promise.race([new Promise((resolve) => stream.once("drain", resolve)), failed]);
      }
      await Promise.race([
        new Promise<void>((resolve, reject) => {
          stream.on("error", reject);
          stream.on("finish", resolve);
          stream.end();
        }),
        failed,
      ]);
    },
  });
  const root = wrap(sql);
  return {
    kind: "postgres",
    query: root.query,
    exec: root.exec,
    transaction: (fn) => sql.begin((tx) => fn(wrap(tx))) as Promise<never>,
    copyRows: (tx, table, columns, rows) => (tx as Queryable & { copy: PgliteCopy }).copy(table, columns, rows),
    close: () => sql.end({ timeout: 5 }),
  };
}
