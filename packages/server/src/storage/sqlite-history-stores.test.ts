import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteAuditStore } from "./sqlite-audit-store.ts";
import { SqliteLifecycleStore } from "./sqlite-lifecycle-store.ts";
import { SqliteDocStore } from "./sqlite-store.ts";
import { SqliteVersionStore } from "./sqlite-version-store.ts";

const WB = "wbwbwbwbwbwbwbwb";

describe("SQLite history stores", () => {
  let docs: SqliteDocStore;
  beforeEach(() => {
    docs = new SqliteDocStore(mkdtempSync(join(tmpdir(), "huzhu-history-")));
  });
  afterEach(() => docs.close());

  it("audit: a row's history newest first, paged; erasing values keeps who and when", async () => {
    const audit = new SqliteAuditStore(docs);
    const entry = (key: string, after: string) => ({
      workbookId: WB,
      sheetId: "requests",
      rowId: "r1",
      key,
      actor: "编辑者",
      via: "edit",
      at: "2022-04-10T00:00:00.000Z",
      before: null,
      after: JSON.stringify(after),
    });
    await audit.appendAuditEntries([entry("phone", "13800000000"), entry("notes", "已联系"), entry("phone", "13900000000")]);
    const page = await audit.listRowHistory(WB, "requests", "r1", { limit: 2 });
    expect(page.map((e) => e.after)).toEqual(['"13900000000"', '"已联系"']);
    expect((await audit.listRowHistory(WB, "requests", "r1", { limit: 5, beforeId: page[1]?.id })).map((e) => e.key)).toEqual(["phone"]);
    expect(await audit.eraseRowValues(WB, "requests", "r1", ["phone"])).toBe(2);
    const all = await audit.listRowHistory(WB, "requests", "r1", { limit: 5 });
    expect(all.filter((e) => e.key === "phone").every((e) => e.valuesErased && e.after === null && e.actor === "编辑者")).toBe(true);
    expect(all.find((e) => e.key === "notes")?.after).toBe('"已联系"');
  });

  it("versions: keeps the newest automatic ones, rewrites states and deletes a version whose bytes are damaged", async () => {
    const versions = new SqliteVersionStore(docs.database);
    const save = (kind: "auto" | "named", byte: number) =>
      versions.saveVersion(
        {
          workbookId: WB,
          kind,
          name: kind === "named" ? "n" : null,
          createdBy: "system",
          createdAt: new Date().toISOString(),
          state: new Uint8Array([byte]),
        },
        2,
      );
    const named = await save("named", 1);
    await save("auto", 2);
    await save("auto", 3);
    const newest = await save("auto", 4);
    expect((await versions.listVersions(WB)).map((v) => v.kind)).toEqual(["auto", "auto", "named"]);
    docs.database.prepare("UPDATE versions SET state = x'ff' WHERE id = ?").run(newest.id);
    await expect(versions.loadVersion(WB, newest.id)).rejects.toThrow(/checksum/);
    const rewritten = await versions.rewriteVersions(WB, (state) => (state[0] === 1 ? new Uint8Array([9]) : null));
    expect(rewritten).toBe(2);
    expect((await versions.loadVersion(WB, named.id))?.state).toEqual(new Uint8Array([9]));
    expect(await versions.loadVersion(WB, newest.id)).toBeUndefined();
  });

  it("lifecycle: due retention checks and purge jobs until finished", async () => {
    const lifecycle = new SqliteLifecycleStore(docs.database);
    await lifecycle.setNextRetentionCheck(WB, "2022-04-17T00:00:00.000Z");
    await lifecycle.setNextRetentionCheck("otherotherotheri", "2022-05-01T00:00:00.000Z");
    expect(await lifecycle.dueRetentionChecks("2022-04-20T00:00:00.000Z")).toEqual([WB]);
    await lifecycle.setNextRetentionCheck(WB, null);
    expect(await lifecycle.dueRetentionChecks("2022-06-01T00:00:00.000Z")).toEqual(["otherotherotheri"]);
    const [job] = await lifecycle.addPurgeJobs([{ workbookId: WB, sheetId: "requests", rowId: "r1", scope: "private", createdAt: "now" }]);
    expect(await lifecycle.pendingPurgeJobs()).toEqual([job]);
    await lifecycle.finishPurgeJobs([job!.id]);
    expect(await lifecycle.pendingPurgeJobs()).toEqual([]);
    await lifecycle.scrubFreedSpace({ vacuum: true });
  });
});
