import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewAuditEntry } from "./audit-store.ts";
import { SqliteGroupCommit } from "./sqlite-group-commit.ts";
import { SQLITE_FILE, SqliteDocStore } from "./sqlite-store.ts";

const WB = "wbwbwbwbwbwbwbwb";
const bytes = (n: number) => new Uint8Array([n, n, n]);

describe("SqliteGroupCommit (writer thread)", () => {
  let file: string;
  let reader: DatabaseSync;
  const open: SqliteGroupCommit[] = [];
  beforeEach(async () => {
    const dir = mkdtempSync(join(tmpdir(), "huzhu-group-"));
    // The doc store creates the tables; the group commits under test are our own.
    await new SqliteDocStore(dir).close();
    file = join(dir, SQLITE_FILE);
    reader = new DatabaseSync(file);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((writes) => writes.close()));
    reader.close();
  });
  const groupCommit = (busyTimeoutMs?: number) => {
    const writes = new SqliteGroupCommit({ file, ...(busyTimeoutMs === undefined ? {} : { busyTimeoutMs }) });
    open.push(writes);
    return writes;
  };
  const stored = () => (reader.prepare("SELECT doc_name AS name FROM updates ORDER BY seq").all() as { name: string }[]).map((r) => r.name);

  it("commits the writes of one turn together and gives each its own result", async () => {
    const writes = groupCommit();
    const results = await Promise.all([
      writes.write("appendUpdate", "a", bytes(1)),
      writes.write("caseNumbers", WB, ["r1", "r2"]),
      writes.write("appendUpdate", "b", bytes(2)),
      writes.write("caseNumbers", WB, ["r1"]),
    ]);
    expect(results).toEqual([1, [1, 2], 2, [1]]);
    // Another connection sees them: committed, not just run.
    expect(stored()).toEqual(["a", "b"]);
  });

  it("rolls back only the write that threw; the rest of its batch is stored", async () => {
    const writes = groupCommit();
    const outcomes = await Promise.allSettled([
      writes.write("appendUpdate", "a", bytes(1)),
      // doc_name is NOT NULL: this write fails inside the batch.
      writes.write("appendUpdate", null as unknown as string, bytes(2)),
      writes.write("appendUpdate", "c", bytes(3)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/NOT NULL/);
    expect(stored()).toEqual(["a", "c"]);
  });

  it("rejects every write of a batch whose commit fails, and stores none of them", async () => {
    const writes = groupCommit(0);
    // Another connection holds the write lock, so the batch cannot begin its transaction.
    reader.exec("BEGIN IMMEDIATE");
    const outcomes = await Promise.allSettled([writes.write("appendUpdate", "a", bytes(1)), writes.write("appendUpdate", "b", bytes(2))]);
    reader.exec("ROLLBACK");
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected"]);
    const reason = (outcomes[0] as PromiseRejectedResult).reason as Error & { code?: string };
    expect(reason.message).toMatch(/locked|busy/i);
    expect(stored()).toEqual([]);
    // The next batch works again.
    await writes.write("appendUpdate", "c", bytes(3));
    expect(stored()).toEqual(["c"]);
  });

  it("keeps the event loop free while a commit waits for the disk or the lock", async () => {
    const writes = groupCommit(5_000);
    await writes.write("appendUpdate", "warm", bytes(0));
    reader.exec("BEGIN IMMEDIATE");
    let committed = false;
    const pending = writes.write("appendUpdate", "a", bytes(1)).then(() => {
      committed = true;
    });
    // On the event loop, the busy wait would hold these timers back until the lock is free.
    const ticks: number[] = [];
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      ticks.push(i);
    }
    expect(ticks).toHaveLength(5);
    expect(committed).toBe(false);
    reader.exec("COMMIT");
    await pending;
    expect(stored()).toEqual(["warm", "a"]);
  });

  it("commits in the order asked: an erasure asked for later never overtakes the entries before it", async () => {
    const writes = groupCommit();
    const entry: NewAuditEntry = {
      workbookId: WB,
      sheetId: "requests",
      rowId: "r1",
      key: "phone",
      actor: "编辑者",
      via: "edit",
      at: "2022-04-10T00:00:00.000Z",
      before: null,
      after: JSON.stringify("13800000000"),
    };
    const first = writes.write("appendAuditEntries", [entry]);
    // A later turn, while the first batch may still be on its way to disk.
    await new Promise((resolve) => setImmediate(resolve));
    const erased = await writes.write("eraseAuditValues", WB, "requests", "r1", ["phone"]);
    await first;
    expect(erased).toBe(1);
    expect(reader.prepare("SELECT after_value, values_erased FROM audit_entries").all()).toEqual([{ after_value: null, values_erased: 1 }]);
  });

  it("after close, refuses new writes; what was asked before is committed", async () => {
    const writes = groupCommit();
    const before = writes.write("appendUpdate", "a", bytes(1));
    await writes.close();
    await expect(before).resolves.toBe(1);
    await expect(writes.write("appendUpdate", "b", bytes(2))).rejects.toThrow(/closed/);
    expect(stored()).toEqual(["a"]);
  });
});
