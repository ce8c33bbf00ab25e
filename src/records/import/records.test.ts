import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ImportError } from "./errors.js";
import { ReadAhead, readCsv, type CsvEvent } from "./records.js";
import { describeSource, type SourceFile } from "./source.js";

/** Reading a file's records, and replaying a file read ahead of its turn instead of reading it again. */
describe("CSV records and read-ahead", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "oversight-records-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function file(name: string, text: string): Promise<SourceFile> {
    const path = join(dir, name);
    await writeFile(path, text);
    return describeSource(path);
  }

  async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const item of items) out.push(item);
    return out;
  }

  const GOOD = ' id , note\n1,plain\n2,"two\nlines"\n\n3,last\n';

  it("yields the trimmed header, then each record with the line it ends on", async () => {
    const events = await all(readCsv(await file("good.csv", GOOD), { skipBadRows: false }));
    assert.deepEqual(events, [
      { header: ["id", "note"] },
      { record: { id: "1", note: "plain" }, line: 2 },
      { record: { id: "2", note: "two\nlines" }, line: 4 },
      { record: { id: "3", note: "last" }, line: 6 },
    ]);
  });

  it("names the file and line of a broken row, or reports it as unreadable with --skip-bad-rows", async () => {
    const broken = await file("broken.csv", "id,note\n1,fine\n2,too,many\n3,fine\n");
    await assert.rejects(all(readCsv(broken, { skipBadRows: false })), (error: unknown) => {
      assert.ok(error instanceof ImportError);
      assert.match(error.message, /broken\.csv.*line 3.*different number of fields/);
      return true;
    });
    const events = await all(readCsv(broken, { skipBadRows: true }));
    const records = events.filter((event): event is Extract<CsvEvent, { record: unknown }> => "record" in event);
    assert.deepEqual(records.map((event) => event.record.id), ["1", "3"]);
    const unreadable = events.filter((event): event is Extract<CsvEvent, { unreadable: unknown }> => "unreadable" in event);
    assert.equal(unreadable.length, 1);
    assert.equal(unreadable[0].unreadable.line, 3);
  });

  it("names the column of a broken quote, and keeps a column called __proto__ as a plain field", async () => {
    const quoting = await file("quoting.csv", 'id,note,extra\n1,"a"b,c\n');
    await assert.rejects(all(readCsv(quoting, { skipBadRows: false })), (error: unknown) => {
      assert.ok(error instanceof ImportError);
      assert.equal(error.line, 2);
      assert.equal(error.column, "note");
      return true;
    });
    const hostile = await file("proto.csv", "id,__proto__,constructor\n1,polluted,x\n");
    const [, first] = await all(readCsv(hostile, { skipBadRows: false }));
    assert.ok("record" in first);
    assert.equal(Object.getPrototypeOf(first.record), Object.prototype, "the record's prototype is untouched");
    assert.deepEqual(Object.entries(first.record), [["id", "1"], ["__proto__", "polluted"], ["constructor", "x"]]);
  });

  it("replays a file read ahead, unreadable rows included, without reading it again", async () => {
    const source = await file("ahead.csv", "id,note\n1,a\n2,b,extra\n3,c\n");
    const read: string[] = [];
    const progress: number[] = [];
    const reader = new ReadAhead(true, (_, bytes) => progress.push(bytes));
    for await (const record of reader.records(source)) read.push(record.id!);
    assert.deepEqual(read, ["1", "3"], "read ahead, the format sees the good records");
    assert.ok(progress.length > 0, "reading ahead reports progress");

    // Were the file read again at its turn, these rows would come out instead.
    await writeFile(source.path, "id,note\n9,changed\n");
    const readingProgress = progress.length;
    const replayed = await all(reader.events(source));
    assert.equal(progress.at(-1), source.sizeBytes, "the replay reports progress to the file's end");
    assert.ok(progress.length > readingProgress, "the replay reports progress of its own");
    assert.deepEqual(replayed, [
      { header: ["id", "note"] },
      { record: { id: "1", note: "a" }, line: 2 },
      { unreadable: { line: 3, reason: "the row has a different number of fields than the header", record: null } },
      { record: { id: "3", note: "c" }, line: 4 },
    ]);

    // Replayed once: a second turn reads the file as it now is.
    const again = await all(reader.events(source));
    assert.deepEqual(again.filter((event) => "record" in event), [{ record: { id: "9", note: "changed" }, line: 2 }]);
  });
});
