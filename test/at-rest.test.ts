import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { sealOlderCaseData, submitComplaint } from "../src/cases/service.js";
import * as staff from "../src/cases/staff-service.js";
import { verifyRows } from "../src/audit/service.js";
import * as caseRepo from "../src/cases/repo.js";
import { CASE_ROW_TABLES } from "../src/cases/vouched-rows.js";
import { connect } from "../src/db/connect.js";
import { DATA_KEY_FILE, dataKeyFrom, installDataKey, loadDataKey, openDataKey, openText, SealError, sealText } from "../src/db/data-key.js";
import { loadConfig } from "../src/config.js";
import { startServer } from "../src/server.js";
import type { Db } from "../src/db/db.js";
import { migrate } from "../src/db/migrate.js";
import { openTestDb, TEST_DATA_KEY, testEngine } from "../src/db/test-db.js";
import { TEST_SECRET } from "../src/web/test-app.js";
import { evidenceForCase, openEvidence } from "../src/cases/evidence/store.js";
import { plainJpeg } from "../src/cases/evidence/fixtures.js";

/** A complainant whose every value is unique, so a plain-text copy anywhere is found. */
export const AT_REST_CANARY = {
  name: "Quillon Restcanary",
  email: "quillon.restcanary@example.org",
  phone: "816-555-0142",
  address: "9021 Restcanary Row",
  narrative: "RESTCANARY-NARRATIVE-5521 the officer kicked my door",
  location: "RESTCANARY-CORNER of 12th and Grand",
  witness: "Wilma Restcanarywit",
  officerDescription: "RESTCANARY-OFFICER tall with a scar on his chin",
  evidenceComment: "RESTCANARY-JPEG-COMMENT-8843",
  evidenceName: "Quillon Restcanary bruise.jpg",
};

/** A small JPEG with the canary's marker in a comment segment (FF FE) right after SOI. */
function canaryJpeg(): Uint8Array {
  const plain = plainJpeg();
  const text = Buffer.from(AT_REST_CANARY.evidenceComment, "utf8");
  const comment = Buffer.concat([Buffer.from([0xff, 0xfe, (text.length + 2) >> 8, (text.length + 2) & 0xff]), text]);
  return new Uint8Array(Buffer.concat([Buffer.from(plain.subarray(0, 2)), comment, Buffer.from(plain.subarray(2))]));
}

/** Every file under dir, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function pgDumpBinary(): string {
  const versions = existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql").sort().reverse() : [];
  for (const version of versions) {
    const path = `/usr/lib/postgresql/${version}/bin/pg_dump`;
    if (existsSync(path)) return path;
  }
  return "pg_dump";
}

describe(`complainants' data is sealed at rest (${testEngine})`, () => {
  let db: Db;
  let dataDir = "";
  let caseId = "";
  let pixels = Buffer.alloc(0);

  before(async () => {
    if (testEngine === "pglite") {
      dataDir = mkdtempSync(join(tmpdir(), "oversight-at-rest-"));
      db = await connect({ dataDir: join(dataDir, "db") });
      await migrate(db);
      installDataKey(TEST_DATA_KEY);
    } else {
      db = await openTestDb();
    }
    const filed = await submitComplaint(db, TEST_SECRET, {
      narrative: AT_REST_CANARY.narrative, location: AT_REST_CANARY.location, district: "Westport", categories: ["excessive_force"],
      witnesses: [{ name: AT_REST_CANARY.witness, contact: "" }], officers: [{ badge: "4411", description: AT_REST_CANARY.officerDescription }],
      name: AT_REST_CANARY.name, email: AT_REST_CANARY.email, phone: AT_REST_CANARY.phone, address: AT_REST_CANARY.address, contact_ok: true, third_party: false,
    }, null, { evidence: [{ name: AT_REST_CANARY.evidenceName, type: "image/jpeg", bytes: canaryJpeg() }] });
    caseId = filed.caseId;
    // 32 bytes from the end of the image data: in both the original and the stripped copy.
    const jpeg = Buffer.from(canaryJpeg());
    pixels = jpeg.subarray(jpeg.length - 40, jpeg.length - 8);
  });
  after(async () => {
    await db.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("reads everything back in the clear through the repository", async () => {
    const found = await caseRepo.findCase(db, caseId);
    assert.equal(found?.narrative, AT_REST_CANARY.narrative);
    assert.equal(found?.location, AT_REST_CANARY.location);
    const people = await caseRepo.peopleOf(db, caseId);
    const complainant = people.find((p) => p.role === "complainant")!;
    assert.deepEqual([complainant.name, complainant.email, complainant.phone, complainant.address], [AT_REST_CANARY.name, AT_REST_CANARY.email, AT_REST_CANARY.phone, AT_REST_CANARY.address]);
    assert.equal(people.find((p) => p.role === "witness")?.name, AT_REST_CANARY.witness);
    assert.equal((await caseRepo.officersOf(db, caseId))[0].description, AT_REST_CANARY.officerDescription);
    const [item] = await evidenceForCase(db, caseId, { names: true });
    assert.equal(item.originalName, AT_REST_CANARY.evidenceName);
    const opened = await db.transaction((tx) => openEvidence(tx, caseId, item.id, "complainant", "viewed"));
    assert.ok(opened && opened !== "refused", "the photo opens");
    assert.ok(Buffer.from(opened.bytes).includes(pixels), "the stripped copy opens to the picture");
    assert.ok(!Buffer.from(opened.bytes).includes(AT_REST_CANARY.evidenceComment), "and without its comment");
  });

  it("leaves none of the canary's values in plain text in a dump of the database", async () => {
    let dump: Buffer;
    if (testEngine === "pglite") {
      await db.exec("CHECKPOINT");
      await db.close();
      dump = Buffer.concat(filesUnder(join(dataDir, "db")).map((file) => readFileSync(file)));
      db = await connect({ dataDir: join(dataDir, "db") });
    } else {
      const [{ name }] = await db.query<{ name: string }>("SELECT current_database() AS name");
      const url = new URL(process.env.DATABASE_URL!);
      url.pathname = `/${name}`;
      dump = execFileSync(pgDumpBinary(), ["--no-owner", "--dbname", url.toString()], { maxBuffer: 512 * 1024 * 1024 });
    }
    assert.ok(dump.length > 10_000, "the dump is not empty");
    // Not vacuous: the dump holds the case (its number is not sealed).
    const [{ case_number }] = await db.query<{ case_number: string }>("SELECT case_number FROM cases WHERE id = $1", [caseId]);
    assert.ok(dump.includes(Buffer.from(case_number)), "the case is in the dump");
    // The acknowledgement email to the canary is queued, its address sealed.
    const [mail] = await db.query<{ to_address: string }>("SELECT to_address FROM email_outbox WHERE dedupe_key = $1", [`case.received:${caseId}`]);
    assert.equal(openText(mail.to_address), AT_REST_CANARY.email);
    const found = Object.entries(AT_REST_CANARY).filter(([, value]) => dump.includes(Buffer.from(value, "utf8")));
    assert.deepEqual(found.map(([field]) => field), []);
    assert.ok(!dump.includes(pixels), "neither copy of the photo is in the dump");
  });
});

describe(`the data key stays outside the database and must match it (${testEngine})`, () => {
  let db: Db;
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "oversight-data-key-"));
    dirs.push(dir);
    return dir;
  };
  before(async () => {
    db = await openTestDb();
  });
  after(async () => {
    await db.close();
    installDataKey(TEST_DATA_KEY);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("makes data.key on first use, owner-only, and refuses a start without it or with another key", async () => {
    const dir = tempDir();
    const key = await openDataKey(db, dir, {});
    assert.equal(statSync(join(dir, DATA_KEY_FILE)).mode & 0o777, 0o600);
    assert.equal((await openDataKey(db, dir, {})).id, key.id, "the same key on the next start");
    const empty = tempDir();
    await assert.rejects(openDataKey(db, empty, {}), /data key .*data\.key is missing.*Restore data\.key/);
    assert.ok(!existsSync(join(empty, DATA_KEY_FILE)), "no new key is made for a database that has one");
    await assert.rejects(openDataKey(db, empty, { OVERSIGHT_DATA_KEY: "11".repeat(32) }), /is not the key this database's complainant data is sealed with/);
    assert.equal((await openDataKey(db, empty, { OVERSIGHT_DATA_KEY: key.kek.toString("base64") })).id, key.id, "the same key given as base64 works");
  });

  it("refuses a damaged key file and never replaces it", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, DATA_KEY_FILE), "not a key");
    assert.throws(() => loadDataKey(dir, {}), /data key .* is damaged/);
    assert.equal(readFileSync(join(dir, DATA_KEY_FILE), "utf8"), "not a key");
    assert.throws(() => loadDataKey(dir, { OVERSIGHT_DATA_KEY: "short" }), /OVERSIGHT_DATA_KEY is not a data key/);
  });

  it("refuses to open a value sealed under a key this process does not hold, instead of showing garbage", () => {
    installDataKey(dataKeyFrom(Buffer.alloc(32, 9)));
    const sealed = sealText("secret narrative");
    assert.equal(openText(sealed), "secret narrative");
    const tampered = sealed.slice(0, -4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
    assert.throws(() => openText(tampered), SealError);
    assert.throws(() => openText(sealed.replace(/^ov1\.[0-9a-f]{16}/, "ov1.0123456789abcdef")), /not loaded/);
  });
});

if (testEngine === "pglite") {
  describe("the server refuses to start without the data key (pglite)", () => {
    it("starts, files a complaint, and after data.key is removed refuses to start with a clear message", async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "oversight-no-key-"));
      try {
        const first = await startServer(loadConfig({ dataDir, port: 0 }, {}), { demo: false });
        await submitComplaint(first.db, TEST_SECRET, { narrative: AT_REST_CANARY.narrative, anonymous: true }, null);
        await first.close();
        rmSync(join(dataDir, DATA_KEY_FILE));
        await assert.rejects(startServer(loadConfig({ dataDir, port: 0 }, {}), { demo: false }), /data\.key is missing .* Oversight will not start without it/);
      } finally {
        installDataKey(TEST_DATA_KEY);
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
}

describe(`rows written before sealing are sealed at start-up (${testEngine})`, () => {
  let db: Db;
  before(async () => {
    db = await openTestDb();
  });
  after(() => db.close());

  it("seals plain narratives, people and history in place, vouches for every changed row, and then finds nothing to do", async () => {
    const { caseId } = await submitComplaint(db, TEST_SECRET, { narrative: "Older narrative written in the clear.", name: "Olga Older", email: "olga@example.org", contact_ok: true }, null);
    await staff.addNote(db, "user:staff", caseId, "Called Olga Older", false);
    // As a database from before sealing holds them: plain text.
    await db.query("UPDATE cases SET narrative = 'Older narrative written in the clear.' WHERE id = $1", [caseId]);
    await db.query("UPDATE case_people SET name = 'Olga Older', email = 'olga@example.org' WHERE case_id = $1", [caseId]);
    await db.query("UPDATE case_events SET body = 'Called Olga Older' WHERE case_id = $1 AND kind = 'note'", [caseId]);
    const before = await verifyRows(db, CASE_ROW_TABLES);
    assert.deepEqual(before.ok ? [] : [...new Set(before.problems.map((p) => p.table))].sort(), ["case_events", "case_people", "cases"], "the plain rows differ from what their entries recorded");
    assert.ok((await sealOlderCaseData(db)) >= 3);
    const stored = JSON.stringify(await db.query("SELECT c.narrative, p.name, p.email, e.body FROM cases c JOIN case_people p ON p.case_id = c.id JOIN case_events e ON e.case_id = c.id WHERE c.id = $1", [caseId]));
    assert.doesNotMatch(stored, /Older|olga@/);
    assert.equal((await caseRepo.findCase(db, caseId))?.narrative, "Older narrative written in the clear.");
    assert.equal((await caseRepo.peopleOf(db, caseId))[0].email, "olga@example.org");
    assert.ok((await caseRepo.eventsOf(db, caseId)).some((e) => e.body === "Called Olga Older"));
    assert.equal((await verifyRows(db, CASE_ROW_TABLES)).ok, true, "the sealed rows are vouched for again");
    assert.equal(await sealOlderCaseData(db), 0);
  });
});
