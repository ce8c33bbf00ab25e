import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { verifyAuditLog } from "../../src/audit/service.js";
import { readBackup, restoreBackup, type Manifest } from "../../src/backup/service.js";
import { readTar, writeTar } from "../../src/backup/tar.js";
import { seedKansasCityPetition } from "../../src/campaign/petitions/seed.js";
import { connect } from "../../src/db/connect.js";
import type { Db } from "../../src/db/db.js";
import { migrate } from "../../src/db/migrate.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SLUG = "kc-chief-resignation";
const postgresRun = Boolean(process.env.DATABASE_URL);

/** Runs the CLI without blocking this process (the burst keeps going meanwhile). */
function oversight(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["bin/oversight.js", ...args], { cwd: ROOT, env: { ...env, LOG_LEVEL: "silent" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("exit", (status) => resolve({ status, stdout, stderr }));
  });
}

/** Every public table: its row count and a hash of its rows in a fixed order. */
async function tableDigests(db: Db): Promise<Record<string, { rows: number; md5: string }>> {
  const tables = await db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  const digests: Record<string, { rows: number; md5: string }> = {};
  for (const { table_name } of tables) {
    const [row] = await db.query<{ rows: number; md5: string | null }>(
      `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS md5 FROM "${table_name}" t`,
    );
    digests[table_name] = { rows: row.rows, md5: row.md5 ?? "" };
  }
  return digests;
}

/** The petition's own tables agree with each other and with the audit log. */
async function assertConsistent(db: Db, label: string): Promise<number> {
  const signatures = await db.query<{ id: string }>("SELECT id FROM petition_signatures");
  const mail = new Set((await db.query<{ dedupe_key: string }>("SELECT dedupe_key FROM email_outbox WHERE template = 'petition.confirm'")).map((m) => m.dedupe_key));
  assert.ok(signatures.every((row) => mail.has(`petition.confirm:${row.id}`)), `${label}: every signature has its confirmation email`);
  const [{ n: signAudits }] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'petition.sign'");
  assert.equal(signAudits, signatures.length, `${label}: one audit entry per signature`);
  const [tally] = await db.query<{ pending: number }>("SELECT pending FROM petition_tallies");
  assert.equal(Number(tally.pending), signatures.length, `${label}: the tally equals the rows`);
  return signatures.length;
}

/**
 * A backup taken from a running server in the middle of a burst of petition
 * signatures restores to a database whose audit log verifies at exactly the
 * head the manifest recorded and whose tables agree with each other; a backup
 * taken after the burst restores to a copy equal to the live database table by
 * table. Restores refuse a non-empty target, a truncated archive and a tampered
 * one, and leave nothing behind when they refuse.
 */
describe(`backup and restore of a running embedded site (${postgresRun ? "postgres" : "pglite"})`, { skip: postgresRun && "the live backup is the embedded (PGlite) path; the PostgreSQL path is checked below" }, () => {
  let work: string;
  let dataDir: string;
  let server: ChildProcess | null = null;
  let url = "";
  let agent: Agent;
  const env = { ...process.env, DATABASE_URL: "", OVERSIGHT_PETITION_ADDRESS_LIMIT: "1000000", OVERSIGHT_PETITION_NETWORK_LIMIT: "1000000" };

  before(async () => {
    work = mkdtempSync(join(tmpdir(), "oversight-backup-"));
    dataDir = join(work, "live");
    const db = await connect({ dataDir });
    await migrate(db);
    await seedKansasCityPetition(db);
    await db.close();
    server = spawn(process.execPath, ["bin/oversight.js", "serve", "--port", "0", "--data-dir", dataDir], { cwd: ROOT, env: { ...env, LOG_LEVEL: "silent" }, stdio: ["ignore", "pipe", "pipe"] });
    url = await new Promise<string>((resolve, reject) => {
      let out = "";
      server!.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const found = /serving at http:\/\/localhost:(\d+)/.exec(out);
        if (found) resolve(`http://127.0.0.1:${found[1]}`);
      });
      server!.once("exit", (code) => reject(new Error(`the server exited with ${code}`)));
    });
    agent = new Agent({ keepAlive: true, maxSockets: 16 });
  });
  after(async () => {
    agent?.destroy();
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((resolve) => server!.once("exit", resolve));
    }
    rmSync(work, { recursive: true, force: true });
  });

  it("restores a backup taken during a burst at its recorded head, and one taken after equal to the live database", async (t) => {
    const page = await fetch(`${url}/petitions/${SLUG}`);
    const html = await page.text();
    const cookie = `oversight_csrf=${/oversight_csrf=([^;]+)/.exec(page.headers.get("set-cookie") ?? "")![1]}`;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1];
    const form = /name="_form" value="([^"]+)"/.exec(html)![1];
    const { port } = new URL(url);
    const post = (n: number) => new Promise<number>((resolve) => {
      const body = new URLSearchParams({ _csrf: csrf, _form: form, name: `Backup Signer ${n}`, email: `backup.${n}@example.org`, zip: "64106" }).toString();
      const req = request({ host: "127.0.0.1", port, path: `/petitions/${SLUG}/sign`, method: "POST", agent, headers: { cookie, "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", () => resolve(0));
      });
      req.on("error", () => resolve(0));
      req.end(body);
    });

    const duringFile = join(work, "during.backup");
    const TOTAL = 900;
    const BACKUP_AT = 150;
    let next = 0;
    let acknowledged = 0;
    let ackedWhileBackingUp = 0;
    let backingUp = false;
    let during: Promise<{ status: number | null; stdout: string; stderr: string }> | undefined;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < TOTAL) {
        const n = next++;
        if (n === BACKUP_AT) {
          backingUp = true;
          during = oversight(["backup", duringFile, "--data-dir", dataDir], env).finally(() => (backingUp = false));
        }
        const status = await post(n);
        assert.equal(status, 200, `signature ${n} is acknowledged`);
        acknowledged += 1;
        if (backingUp) ackedWhileBackingUp += 1;
      }
    }));
    const duringResult = await during!;
    assert.equal(duringResult.status, 0, duringResult.stderr);
    assert.match(duringResult.stdout, /copied by the running server/);
    assert.match(duringResult.stdout, /keep it as safe as the data directory/);
    t.diagnostic(`signatures acknowledged while the backup ran: ${ackedWhileBackingUp} of ${acknowledged}`);
    assert.ok(ackedWhileBackingUp > 0, "the site kept signing while the backup was taken");
    assert.equal(statSync(duringFile).mode & 0o777, 0o600, "the backup file is readable by its owner only");

    const afterFile = join(work, "after.backup");
    const afterResult = await oversight(["backup", afterFile, "--data-dir", dataDir], env);
    assert.equal(afterResult.status, 0, afterResult.stderr);
    assert.equal((await oversight(["backup", afterFile, "--data-dir", dataDir], env)).status, 1, "an existing backup file is never overwritten");

    server!.kill("SIGTERM");
    await new Promise((resolve) => server!.once("exit", resolve));
    server = null;

    const duringManifest = (await readBackup(duringFile)).manifest;
    const afterManifest = (await readBackup(afterFile)).manifest;
    assert.deepEqual(Object.keys(duringManifest.parts).sort(), ["audit-signing.key", "data.key", "database.tar", "secret.key"]);
    assert.equal(Buffer.from((await readBackup(afterFile)).parts.get("secret.key")!).toString(), readFileSync(join(dataDir, "secret.key"), "utf8"), "the secret key is saved");

    // During the burst: restored at exactly the recorded head, and consistent within itself.
    const duringDir = join(work, "restored-during");
    const restoredDuring = await oversight(["restore", duringFile, "--data-dir", duringDir], env);
    assert.equal(restoredDuring.status, 0, restoredDuring.stderr);
    assert.match(restoredDuring.stdout, new RegExp(`audit log verified, ${duringManifest.audit.size} entries`));
    assert.equal(existsSync(join(duringDir, "oversight.lock")), false, "no lock of the copying process is restored");
    const live = await connect({ dataDir });
    const restored = await connect({ dataDir: duringDir });
    try {
      const verified = await verifyAuditLog(restored);
      assert.ok(verified.ok, "the restored audit log verifies");
      assert.equal(verified.size, duringManifest.audit.size, "the restored log has the manifest's size");
      assert.equal(verified.root, duringManifest.audit.root, "and its root");
      const signed = await assertConsistent(restored, "the backup taken during the burst");
      assert.ok(signed > 0 && signed < TOTAL, `the backup caught the burst in the middle (${signed} of ${TOTAL} signatures)`);
      const liveHead = await verifyAuditLog(live);
      assert.ok(liveHead.ok && liveHead.size > duringManifest.audit.size, "the live log grew past the backup's head");
      assert.equal(readFileSync(join(duringDir, "audit-signing.key"), "utf8"), readFileSync(join(dataDir, "audit-signing.key"), "utf8"), "the audit key is restored");
      assert.equal(readFileSync(join(duringDir, "data.key"), "utf8"), readFileSync(join(dataDir, "data.key"), "utf8"), "the data key is restored, so sealed complainant data opens");
      assert.equal(statSync(join(duringDir, "secret.key")).mode & 0o777, 0o600);
    } finally {
      await restored.close();
    }

    // After the burst: equal to the live database, table by table.
    const afterDir = join(work, "restored-after");
    const restoredAfter = await oversight(["restore", afterFile, "--data-dir", afterDir], env);
    assert.equal(restoredAfter.status, 0, restoredAfter.stderr);
    const copy = await connect({ dataDir: afterDir });
    try {
      assert.equal(await assertConsistent(live, "the live database"), TOTAL);
      const [liveTables, copyTables] = [await tableDigests(live), await tableDigests(copy)];
      assert.ok(Object.keys(liveTables).length > 10, "every table is compared");
      assert.deepEqual(copyTables, liveTables, "every table of the restored copy equals the live database");
      assert.equal(afterManifest.audit.size, (await verifyAuditLog(live)).size);
    } finally {
      await copy.close();
      await live.close();
    }

    // A restore never overwrites: the restored directory is not empty now.
    const refused = await oversight(["restore", afterFile, "--data-dir", afterDir], env);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /^oversight: .*restored-after is not empty .*never overwrites/);

    await checkRefusals(afterFile);
  });

  /** Each damaged backup is refused with its problem named, and no directory is left behind. */
  async function checkRefusals(good: string): Promise<void> {
    const bytes = readFileSync(good);
    const entries = await readTar(gunzipSync(bytes));
    const repack = async (change: (name: string, data: Uint8Array) => Uint8Array) =>
      gzipSync(await writeTar(entries.map((entry) => ({ ...entry, data: change(entry.name, entry.data) }))));
    const manifest = JSON.parse(Buffer.from(entries.find((e) => e.name === "manifest.json")!.data).toString()) as Manifest;
    const cases: { label: string; bytes: Uint8Array; error: RegExp }[] = [
      { label: "truncated", bytes: bytes.subarray(0, Math.floor(bytes.length / 2)), error: /corrupt archive/ },
      {
        label: "tampered database",
        bytes: await repack((name, data) => {
          if (name !== "database.tar") return data;
          const changed = Buffer.from(data);
          changed[changed.length - 4096] ^= 0xff;
          return changed;
        }),
        error: /checksum mismatch .*database\.tar/,
      },
      {
        label: "tampered key",
        bytes: await repack((name, data) => (name === "secret.key" ? Buffer.from("0".repeat(64)) : data)),
        error: /checksum mismatch .*secret\.key/,
      },
      {
        label: "manifest head changed",
        bytes: await repack((name, data) => (name === "manifest.json" ? Buffer.from(JSON.stringify({ ...manifest, audit: { ...manifest.audit, size: manifest.audit.size - 1 } })) : data)),
        error: /audit mismatch/,
      },
      { label: "not a backup", bytes: gzipSync(await writeTar([{ name: "notes.txt", type: "file", mode: 0o644, mtime: 0, data: Buffer.from("hello") }])), error: /wrong format/ },
    ];
    const parent = join(work, "refusals");
    mkdirSync(parent);
    for (const [i, c] of cases.entries()) {
      const file = join(work, `bad-${i}.backup`);
      writeFileSync(file, c.bytes);
      const target = join(parent, `target-${i}`);
      await assert.rejects(restoreBackup(file, target), (error: Error) => {
        assert.match(error.message, c.error, c.label);
        return true;
      });
      assert.equal(existsSync(target), false, `${c.label}: no target directory is left`);
    }
    assert.deepEqual(readdirSync(parent), [], "no half-restored directory is left beside the targets");
  }
});

describe("backup with DATABASE_URL", () => {
  it("names the pg_dump path and the keys to keep", async () => {
    const result = await oversight(["backup", join(tmpdir(), "never-written.backup")], { ...process.env, DATABASE_URL: "postgres://localhost:1/none" });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /pg_dump --format=custom/);
    assert.match(result.stderr, /secret\.key and audit-signing\.key/);
    assert.equal(existsSync(join(tmpdir(), "never-written.backup")), false);
  });
});
