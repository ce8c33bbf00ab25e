import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { connect } from "./connect.js";
import { DataDirError, LOCK_FILE } from "./data-dir.js";
import { migrate } from "./migrate.js";

/** The embedded engine's data directory fails closed: these hold on every run, whatever DATABASE_URL says. */
describe("an embedded data directory", () => {
  let root: string;
  let good: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), "oversight-datadir-"));
    good = join(root, "good");
    const db = await connect({ dataDir: good });
    await migrate(db);
    await db.query("INSERT INTO agencies (slug, name) VALUES ('kept', 'Kept agency')");
    await db.close();
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const copyOfGood = (name: string) => {
    const dir = join(root, name);
    cpSync(good, dir, { recursive: true });
    return dir;
  };

  it("reopens a database with its rows, and releases its lock on close", async () => {
    const db = await connect({ dataDir: good });
    try {
      assert.deepEqual(await db.query("SELECT name FROM agencies WHERE slug = 'kept'"), [{ name: "Kept agency" }]);
      assert.ok(readdirSync(good).includes(LOCK_FILE), "the open directory is locked");
    } finally {
      await db.close();
    }
    assert.ok(!readdirSync(good).includes(LOCK_FILE), "closing removes the lock");
  });

  it("refuses a directory whose PG_VERSION is gone, and writes nothing into it", async () => {
    const dir = copyOfGood("half-copied");
    rmSync(join(dir, "PG_VERSION"));
    const before = readdirSync(dir).sort();
    await assert.rejects(connect({ dataDir: dir }), (error: Error) => {
      assert.ok(error instanceof DataDirError);
      assert.match(error.message, /is not empty but holds no database \(PG_VERSION is missing/);
      assert.ok(error.message.includes(dir), "names the directory");
      return true;
    });
    assert.deepEqual(readdirSync(dir).sort(), before, "nothing was unpacked or left behind");
  });

  it("refuses a directory of unrelated files", async () => {
    const dir = join(root, "junk");
    mkdirSync(dir);
    writeFileSync(join(dir, "notes.txt"), "not a database");
    await assert.rejects(connect({ dataDir: dir }), /holds no database \(PG_VERSION is missing; found notes\.txt\)/);
    assert.deepEqual(readdirSync(dir), ["notes.txt"]);
  });

  it("refuses a PostgreSQL server's directory and says to use DATABASE_URL", async () => {
    const dir = copyOfGood("foreign");
    writeFileSync(join(dir, "PG_VERSION"), "15\n");
    await assert.rejects(connect({ dataDir: dir }), /holds a PostgreSQL 15 data directory.*set DATABASE_URL/);
  });

  it("names the directory when its files are damaged, instead of PGlite's bare failure", async () => {
    const dir = copyOfGood("corrupt");
    writeFileSync(join(dir, "global", "pg_control"), Buffer.alloc(8192, 0x5a));
    await assert.rejects(connect({ dataDir: dir }), (error: Error) => {
      assert.ok(error instanceof DataDirError);
      assert.match(error.message, new RegExp(`the database in ${dir} could not be opened .*Nothing was changed`));
      return true;
    });
    assert.ok(!readdirSync(dir).includes(LOCK_FILE), "a failed open leaves no lock");
  });

  it("refuses a path that is a file", async () => {
    const file = join(root, "a-file");
    writeFileSync(file, "x");
    await assert.rejects(connect({ dataDir: file }), /is a file, not a directory/);
  });

  it("lets one opener at a time hold a directory, naming the holder to the second", async () => {
    const first = await connect({ dataDir: good });
    try {
      await assert.rejects(connect({ dataDir: good }), new RegExp(`is in use by process ${process.pid}`));
    } finally {
      await first.close();
    }
    const again = await connect({ dataDir: good });
    await again.close();
  });

  it("takes over the lock of a process that died", async () => {
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const deadPid = Number(dead.stdout);
    writeFileSync(join(good, LOCK_FILE), JSON.stringify({ pid: deadPid, host: (await import("node:os")).hostname(), command: "oversight serve", since: "2026-01-01T00:00:00Z" }));
    const db = await connect({ dataDir: good });
    try {
      assert.deepEqual(await db.query("SELECT name FROM agencies WHERE slug = 'kept'"), [{ name: "Kept agency" }]);
    } finally {
      await db.close();
    }
  });

  it("starts an empty or absent directory as a new database", async () => {
    const empty = join(root, "empty");
    mkdirSync(empty);
    const db = await connect({ dataDir: empty });
    try {
      const rows = await db.query<{ n: number }>("SELECT count(*) AS n FROM schema_migrations");
      assert.ok(rows[0].n > 0, "unpacked from the migrated template");
    } finally {
      await db.close();
    }
  });
});
