import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Db } from "./db.js";
import { migrate } from "./migrate.js";
import { openTestDb, testEngine } from "./test-db.js";

describe(`database (${testEngine})`, () => {
  let db: Db;
  before(async () => {
    db = await openTestDb();
  });
  after(() => db.close());

  it("applies every migration once, and a second run applies none", async () => {
    const rows = await db.query<{ name: string }>("SELECT name FROM schema_migrations ORDER BY version");
    assert.ok(rows.length >= 2);
    assert.equal(rows[0].name, "0001_foundation.sql");
    assert.deepEqual(await migrate(db), []);
  });

  it("returns dates as YYYY-MM-DD strings and counts as numbers on both engines", async () => {
    const [row] = await db.query<{ d: unknown; n: unknown }>("SELECT DATE '2020-06-01' AS d, count(*) AS n FROM generate_series(1, 3)");
    assert.equal(row.d, "2020-06-01");
    assert.equal(row.n, 3);
  });

  it("rolls back everything in a failed transaction", async () => {
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO agencies (slug, name) VALUES ('rollback-test', 'Rollback')");
        throw new Error("boom");
      }),
      /boom/,
    );
    const rows = await db.query("SELECT 1 FROM agencies WHERE slug = 'rollback-test'");
    assert.equal(rows.length, 0);
  });

  it("bulk-loads with COPY inside a transaction, keeping NULL apart from empty text and quotes intact", async () => {
    await db.transaction((tx) =>
      db.copyRows(tx, "agencies", ["slug", "name", "city", "state"], [
        ["copy-a", 'He said "hi", then left', "", null],
        ["copy-b", "Line\nbreak", "Chicago", "IL"],
      ]),
    );
    const rows = await db.query<{ slug: string; name: string; city: string | null; state: string | null }>(
      "SELECT slug, name, city, state FROM agencies WHERE slug LIKE 'copy-%' ORDER BY slug",
    );
    assert.deepEqual(rows, [
      { slug: "copy-a", name: 'He said "hi", then left', city: "", state: null },
      { slug: "copy-b", name: "Line\nbreak", city: "Chicago", state: "IL" },
    ]);
  });

  it("refuses to update or delete audit log entries", async () => {
    await assert.rejects(db.query("DELETE FROM audit_log"), /append-only/);
  });
});

describe(`JSON columns (${testEngine})`, () => {
  it("stores JSON passed as text once, not as a quoted string", async () => {
    const db = await openTestDb();
    try {
      await db.query("UPDATE import_runs SET report = $1 WHERE false", ['{"a":1}']);
      const [row] = await db.query<{ report: unknown; kind: string }>(
        "INSERT INTO import_runs (format, report) VALUES ('t', $1) RETURNING report, jsonb_typeof(report) AS kind",
        ['{"a":[1,2]}'],
      );
      assert.equal(row.kind, "object");
      assert.deepEqual(row.report, { a: [1, 2] });
    } finally {
      await db.close();
    }
  });
});

describe(`name-search threshold (${testEngine})`, () => {
  it("keeps typo tolerance (0.35) after the database is reopened", async () => {
    if (testEngine === "postgres") {
      const db = await openTestDb();
      try {
        // New connections take the per-database setting from migration 0004.
        const rows = await Promise.all(Array.from({ length: 4 }, () => db.query<Record<string, string>>("SHOW pg_trgm.word_similarity_threshold")));
        assert.ok(rows.every(([row]) => Object.values(row)[0] === "0.35"));
      } finally {
        await db.close();
      }
      return;
    }
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { connect } = await import("./connect.js");
    const dir = mkdtempSync(join(tmpdir(), "oversight-reopen-"));
    try {
      const first = await connect({ dataDir: dir });
      await migrate(first);
      await first.close();
      const again = await connect({ dataDir: dir });
      const [row] = await again.query<Record<string, string>>("SHOW pg_trgm.word_similarity_threshold");
      await again.close();
      assert.equal(Object.values(row)[0], "0.35");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe(`connections and COPY (${testEngine})`, () => {
  let db: Db;
  before(async () => {
    db = await openTestDb();
  });
  after(() => db.close());

  it("connects to PostgreSQL through the next host of a multi-host URL when the first refuses", { skip: testEngine !== "postgres" && "PostgreSQL only" }, async () => {
    const { connect } = await import("./connect.js");
    const net = await import("node:net");
    // A port that was just free: nothing listens there, so the connection is refused.
    const closedPort = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const url = new URL(process.env.DATABASE_URL!);
    const multi = `postgres://${url.username}${url.password ? `:${url.password}` : ""}@127.0.0.1:${closedPort},${url.hostname}:${url.port}${url.pathname}`;
    const db = await connect({ databaseUrl: multi });
    try {
      const [row] = await db.query<{ one: number }>("SELECT 1 AS one");
      assert.equal(row.one, 1);
    } finally {
      await db.close();
    }
  });

  it("reports a COPY the server refuses, at once or after the data, and stays usable", async () => {
    await db.exec("CREATE TABLE copy_refusals (id int PRIMARY KEY, name text NOT NULL)");
    await assert.rejects(db.transaction((tx) => db.copyRows(tx, "copy_refusals", ["id", "no_such_column"], [[1, "a"]])), /no_such_column/);
    await assert.rejects(db.transaction((tx) => db.copyRows(tx, "copy_refusals", ["id", "name"], [[1, "a"], [1, "b"]])), /duplicate key/);
    await assert.rejects(db.transaction((tx) => db.copyRows(tx, "copy_refusals", ["id", "name"], [[2, null]])), /null value/);
    await db.transaction((tx) => db.copyRows(tx, "copy_refusals", ["id", "name"], [[3, "c"]]));
    assert.deepEqual(await db.query("SELECT id, name FROM copy_refusals"), [{ id: 3, name: "c" }]);
  });
});
