import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { missingServices, useTestSchema } from "../../test/services.ts";
import type { NewAuditEntry } from "./audit-store.ts";
import { postgresHistoryStores } from "./postgres-history-stores.ts";
import { SharedPool } from "./postgres-pool.ts";
import { PostgresDocStore } from "./postgres-store.ts";

const skip = await missingServices(["postgres"]);
const WB = "wbwbwbwbwbwbwbwb";

describe.skipIf(skip)("history stores on PostgreSQL", () => {
  const schema = useTestSchema();
  let shared: SharedPool;
  let owner: PostgresDocStore;
  let stores: ReturnType<typeof postgresHistoryStores>;
  beforeAll(async () => {
    shared = await SharedPool.open(schema.url);
    owner = new PostgresDocStore(shared); // holds the pool; the history stores borrow it
    stores = postgresHistoryStores(shared);
  });
  afterAll(async () => {
    await owner.close();
  });

  const entry = (key: string, after: string, at: string): NewAuditEntry => ({
    workbookId: WB,
    sheetId: "requests",
    rowId: "row1",
    key,
    actor: "核实组 · 小王",
    via: "edit",
    at,
    before: null,
    after: JSON.stringify(after),
  });

  it("audit: newest first, pages by id, erases values but keeps who and when", async () => {
    await stores.audit.appendAuditEntries([
      entry("phone", "13800138000", "2026-01-01T00:00:00Z"),
      entry("status", "已核实", "2026-01-01T00:01:00Z"),
    ]);
    await stores.audit.appendAuditEntries([entry("phone", "13900139000", "2026-01-01T00:02:00Z")]);
    const all = await stores.audit.listRowHistory(WB, "requests", "row1", { limit: 10 });
    expect(all.map((e) => e.after)).toEqual(['"13900139000"', '"已核实"', '"13800138000"']);
    const page = await stores.audit.listRowHistory(WB, "requests", "row1", { limit: 1, beforeId: all[0]?.id });
    expect(page.map((e) => e.key)).toEqual(["status"]);

    expect(await stores.audit.eraseRowValues(WB, "requests", "row1", ["phone"])).toBe(2);
    const erased = await stores.audit.listRowHistory(WB, "requests", "row1", { limit: 10 });
    expect(erased.filter((e) => e.key === "phone")).toEqual([
      expect.objectContaining({ actor: "核实组 · 小王", before: null, after: null, valuesErased: true }),
      expect.objectContaining({ actor: "核实组 · 小王", before: null, after: null, valuesErased: true }),
    ]);
    expect(erased.find((e) => e.key === "status")?.valuesErased).toBe(false);
    expect(await stores.audit.eraseRowValues(WB, "requests", "row1", null)).toBe(1);
  });

  it("versions: keeps the newest automatic ones, verifies checksums, rewrites in place", async () => {
    const save = (kind: "auto" | "named", n: number) =>
      stores.versions.saveVersion(
        {
          workbookId: WB,
          kind,
          name: kind === "named" ? `v${n}` : null,
          createdBy: "system",
          createdAt: `2026-01-0${n}T00:00:00Z`,
          state: new Uint8Array([n, n, n]),
        },
        2,
      );
    await save("named", 1);
    for (const n of [2, 3, 4]) await save("auto", n);
    const listed = await stores.versions.listVersions(WB);
    expect(listed.map((v) => [v.kind, v.createdAt.slice(0, 10), v.byteSize])).toEqual([
      ["auto", "2026-01-04", 3],
      ["auto", "2026-01-03", 3],
      ["named", "2026-01-01", 3],
    ]);
    const newest = listed[0]!;
    expect((await stores.versions.loadVersion(WB, newest.id))?.state).toEqual(Buffer.from([4, 4, 4]));
    expect(await stores.versions.loadVersion("otherotherotherx", newest.id)).toBeUndefined();

    expect(await stores.versions.rewriteVersions(WB, (state) => (state[0] === 4 ? new Uint8Array([9]) : null))).toBe(1);
    expect((await stores.versions.loadVersion(WB, newest.id))?.state).toEqual(Buffer.from([9]));

    await schema.pool.query("UPDATE versions SET state = '\\x00'::bytea WHERE id = $1", [newest.id]);
    await expect(stores.versions.loadVersion(WB, newest.id)).rejects.toThrow(/checksum mismatch/);
  });

  it("lifecycle: retention schedule, purge jobs until finished, and scrubbing freed space", async () => {
    await stores.lifecycle.setNextRetentionCheck(WB, "2026-01-10T00:00:00Z");
    await stores.lifecycle.setNextRetentionCheck("laterlaterlaterl", "2026-02-01T00:00:00Z");
    expect(await stores.lifecycle.dueRetentionChecks("2026-01-15T00:00:00Z")).toEqual([WB]);
    await stores.lifecycle.setNextRetentionCheck(WB, null);
    expect(await stores.lifecycle.dueRetentionChecks("2026-01-15T00:00:00Z")).toEqual([]);

    const jobs = await stores.lifecycle.addPurgeJobs([
      { workbookId: WB, sheetId: "requests", rowId: "r1", scope: "private", createdAt: "2026-01-15T00:00:00Z" },
      { workbookId: WB, sheetId: "requests", rowId: "r2", scope: "row", createdAt: "2026-01-15T00:00:00Z" },
    ]);
    expect((await stores.lifecycle.pendingPurgeJobs()).map((job) => job.rowId)).toEqual(["r1", "r2"]);
    await stores.lifecycle.finishPurgeJobs([jobs[0]!.id]);
    expect(await stores.lifecycle.pendingPurgeJobs()).toEqual([jobs[1]]);

    await stores.lifecycle.scrubFreedSpace({ vacuum: false });
    await stores.lifecycle.scrubFreedSpace({ vacuum: true });
  });
});
