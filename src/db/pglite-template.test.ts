import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { connect } from "./connect.js";
import { loadMigrations, migrate } from "./migrate.js";
import { ensureTemplate, readTemplate, templatePath } from "./pglite-template.js";

/** The embedded database only: PostgreSQL servers are never made from the template. */
describe("PGlite template of the migrated, empty database", () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "oversight-template-"));
    await ensureTemplate();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("is named after the PGlite version and every migration's text", async () => {
    const path = await templatePath();
    assert.match(path, /node_modules\/\.cache\/oversight\/pglite-migrated-[0-9a-f]{16}\.tar\.gz$/);
    assert.ok(existsSync(path));
    assert.ok(await readTemplate());
  });

  it("gives a fresh data directory every migration, and the directory keeps what is written after a restart", async () => {
    const dataDir = join(dir, "fresh");
    const first = await connect({ dataDir });
    const versions = (await first.query<{ version: number }>("SELECT version FROM schema_migrations ORDER BY version")).map((row) => row.version);
    assert.deepEqual(versions, (await loadMigrations()).map((migration) => migration.version));
    assert.deepEqual(await migrate(first), [], "nothing left to apply");
    await first.query("INSERT INTO agencies (slug, name) VALUES ('kept', 'Kept PD')");
    await first.close();
    assert.ok(existsSync(join(dataDir, "PG_VERSION")), "a real data directory on disk");

    const again = await connect({ dataDir });
    const rows = await again.query<{ name: string }>("SELECT name FROM agencies WHERE slug = 'kept'");
    const [{ threshold }] = await again.query<{ threshold: string }>("SELECT current_setting('pg_trgm.word_similarity_threshold') AS threshold");
    await again.close();
    assert.deepEqual(rows, [{ name: "Kept PD" }]);
    assert.equal(threshold, "0.35");
  });

  it("never replaces an existing data directory", async () => {
    const dataDir = join(dir, "existing");
    const first = await connect({ dataDir, template: false });
    await migrate(first);
    await first.query("INSERT INTO agencies (slug, name) VALUES ('mine', 'Mine PD')");
    await first.close();
    const again = await connect({ dataDir });
    const [{ n }] = await again.query<{ n: number }>("SELECT count(*)::int AS n FROM agencies WHERE slug = 'mine'");
    await again.close();
    assert.equal(n, 1);
  });

  it("keeps in-memory databases apart: each starts empty", async () => {
    const a = await connect({});
    const b = await connect({});
    await a.query("INSERT INTO agencies (slug, name) VALUES ('only-a', 'A')");
    const [{ n }] = await b.query<{ n: number }>("SELECT count(*)::int AS n FROM agencies");
    await Promise.all([a.close(), b.close()]);
    assert.equal(n, 0);
  });
});
