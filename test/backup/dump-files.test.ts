import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { readTar, writeTar } from "../../src/backup/tar.js";
import { connect, createPglite } from "../../src/db/connect.js";
import { lockHolder, noteLockOwner } from "../../src/db/data-dir.js";
import { openTestDb } from "../../src/db/test-db.js";

describe(`the data directory copy a backup is made from (${process.env.DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("holds committed rows and not a transaction still open when it was taken", async (t) => {
    const db = await openTestDb();
    try {
      if (db.kind === "postgres") {
        assert.equal(db.dumpFiles, undefined, "a PostgreSQL server is backed up with pg_dump, not a file copy");
        return;
      }
      await db.exec("CREATE TABLE copy_probe (n int)");
      await db.query("INSERT INTO copy_probe VALUES (1)");
      let copy: Uint8Array | undefined;
      await db.transaction(async (tx) => {
        await tx.query("INSERT INTO copy_probe VALUES (2)");
        copy = await db.dumpFiles!();
      });
      assert.deepEqual(await db.query("SELECT n FROM copy_probe ORDER BY n"), [{ n: 1 }, { n: 2 }]);
      // Through our tar writer, as a backup stores it.
      const pg = await createPglite(undefined, new Blob([new Uint8Array(await writeTar(await readTar(copy!)))]));
      try {
        assert.deepEqual((await pg.query("SELECT n FROM copy_probe ORDER BY n")).rows, [{ n: 1 }], "the open transaction's row is not in the copy");
      } finally {
        await pg.close();
      }
      t.diagnostic(`copy of ${copy!.byteLength} bytes`);
    } finally {
      await db.close();
    }
  });

  it("names the backup socket in the lock of the process that holds the directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "oversight-lock-note-"));
    try {
      assert.equal(lockHolder(dir), undefined, "nobody holds a new directory");
      const db = await connect({ dataDir: dir });
      try {
        noteLockOwner(dir, { backupSocket: "/tmp/example/backup.sock" });
        const holder = lockHolder(dir);
        assert.equal(holder?.pid, process.pid);
        assert.equal(holder?.backupSocket, "/tmp/example/backup.sock");
      } finally {
        await db.close();
      }
      assert.equal(lockHolder(dir), undefined, "the lock is gone once the database is closed");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
