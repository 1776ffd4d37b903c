import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteGroupCommit } from "./sqlite-group-commit.ts";

describe("SqliteGroupCommit", () => {
  let file: string;
  let db: DatabaseSync;
  beforeEach(() => {
    file = join(mkdtempSync(join(tmpdir(), "huzhu-group-")), "test.sqlite");
    db = new DatabaseSync(file);
    db.exec("PRAGMA journal_mode = WAL; CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)");
  });
  afterEach(() => db.close());

  const count = () => (db.prepare("SELECT count(*) AS n FROM t").get() as { n: number }).n;

  it("commits the writes of one turn together and gives each its own result", async () => {
    const writes = new SqliteGroupCommit(db);
    const insert = db.prepare("INSERT INTO t (k, v) VALUES (?, ?)");
    const results = await Promise.all(["a", "b", "c"].map((k, i) => writes.write(() => Number(insert.run(k, i).lastInsertRowid))));
    expect(results).toEqual([1, 2, 3]);
    // Another connection sees all three rows: they are committed, not just run.
    const other = new DatabaseSync(file);
    expect((other.prepare("SELECT count(*) AS n FROM t").get() as { n: number }).n).toBe(3);
    other.close();
    expect(db.isTransaction).toBe(false);
  });

  it("rolls back only the write that threw; the rest of its turn is stored", async () => {
    const writes = new SqliteGroupCommit(db);
    const insert = db.prepare("INSERT INTO t (k, v) VALUES (?, ?)");
    const outcomes = await Promise.allSettled([
      writes.write(() => insert.run("a", 1)),
      writes.write(() => {
        insert.run("b", 2);
        insert.run("a", 3); // duplicate key: this write fails after a partial insert
      }),
      writes.write(() => insert.run("c", 4)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(
      db
        .prepare("SELECT k FROM t ORDER BY k")
        .all()
        .map((row) => row["k"]),
    ).toEqual(["a", "c"]);
    expect(count()).toBe(2);
  });

  it("rejects every write of a turn whose commit fails, and stores none of them", async () => {
    const writes = new SqliteGroupCommit(db);
    const insert = db.prepare("INSERT INTO t (k, v) VALUES (?, ?)");
    // Another connection holds the write lock, so this turn cannot begin its transaction.
    const other = new DatabaseSync(file);
    other.exec("PRAGMA busy_timeout = 0; BEGIN IMMEDIATE");
    db.exec("PRAGMA busy_timeout = 0");
    const outcomes = await Promise.allSettled([writes.write(() => insert.run("a", 1)), writes.write(() => insert.run("b", 2))]);
    other.exec("ROLLBACK");
    other.close();
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected"]);
    expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/locked|busy/i);
    expect(count()).toBe(0);
    // The next turn works again.
    await writes.write(() => insert.run("c", 3));
    expect(count()).toBe(1);
  });
});
