/**
 * A migrated, empty PGlite database kept as a tarball, so a new embedded
 * database (a fresh data directory, or an in-memory one in the tests) is
 * unpacked instead of created: PGlite's own initdb plus every migration takes
 * 2–5 s, unpacking under one (bench/RESULTS.md, start-up).
 *
 * The tarball is made once per set of migrations (`npm install` runs
 * scripts/pglite-template.ts; `npm test` makes it when missing) and lives in
 * node_modules/.cache, never in git. Its name carries a hash of the PGlite
 * version and of every migration file, so a changed or added migration is never
 * served from an old tarball: without a matching one, databases are created
 * the slow way, and migrate() still runs after either.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadMigrations } from "./migrate.js";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CACHE_DIR = join(REPO_ROOT, "node_modules", ".cache", "oversight");

async function pgliteVersion(): Promise<string> {
  const manifest = join(REPO_ROOT, "node_modules", "@electric-sql", "pglite", "package.json");
  return (JSON.parse(await readFile(manifest, "utf8")) as { version: string }).version;
}

/** Where the tarball for the current migrations and PGlite version is (whether or not it exists yet). */
export async function templatePath(): Promise<string> {
  const hash = createHash("sha256").update(await pgliteVersion());
  for (const migration of await loadMigrations()) hash.update(`\0${migration.name}\0${migration.sql}`);
  return join(CACHE_DIR, `pglite-migrated-${hash.digest("hex").slice(0, 16)}.tar.gz`);
}

/** Read once per process: a test run opens hundreds of databases from the same tarball. */
let loaded: Promise<Blob | undefined> | undefined;

/** The tarball for the current migrations, or undefined when it has not been made. */
export function readTemplate(): Promise<Blob | undefined> {
  loaded ??= loadTemplate();
  return loaded;
}

async function loadTemplate(): Promise<Blob | undefined> {
  try {
    const path = await templatePath();
    if (!existsSync(path)) return undefined;
    return new Blob([await readFile(path)]);
  } catch {
    // No node_modules beside the code (an installed copy), or unreadable: create databases the slow way.
    return undefined;
  }
}

/**
 * Makes the tarball if it is missing: a new in-memory database, migrated, dumped.
 * Written under a temporary name and renamed, so a reader never sees half a file.
 */
export async function ensureTemplate(): Promise<{ path: string; made: boolean }> {
  const path = await templatePath();
  if (existsSync(path)) return { path, made: false };
  // Imported here: connect.ts reads templates through this module.
  const { createPglite, pgliteDb } = await import("./connect.js");
  const { migrate } = await import("./migrate.js");
  const pg = await createPglite(undefined);
  const db = await pgliteDb(pg);
  try {
    await migrate(db);
    const tarball = await pg.dumpDataDir("gzip");
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await tarball.arrayBuffer()));
    await rename(partial, path);
    loaded = undefined;
  } finally {
    await db.close();
  }
  return { path, made: true };
}
