import type { ColumnId, RowId, SheetId } from "@huzhu/schema";
import { describe, expect, it } from "vitest";
import type { HistoryEntry } from "@huzhu/schema";
import type { VersionInfo } from "../src/storage/version-store.ts";
import { createWorkbookOverHttp, useHarness, waitFor } from "./helpers.ts";
import { api, issueLink } from "./history-helpers.ts";

const requests = "requests" as SheetId;
const col = (id: string) => id as ColumnId;

interface HistoryPage {
  entries: HistoryEntry[];
  next: number | null;
}

describe("row history (audit log)", () => {
  const { start, peer: connect } = useHarness();

  it("attributes every change to the link label or the server write, with time, column and old → new value", async () => {
    const server = await start();
    const { body: created } = await createWorkbookOverHttp(server);
    const peer = await connect(server, created);
    const rowId = peer.workbook.insertRow(requests, { description: "需要胰岛素", phone: "13800000001" });
    peer.workbook.setCell(requests, rowId, col("phone"), "13800000002");
    peer.workbook.deleteRow(requests, rowId);
    peer.workbook.restoreRow(requests, rowId);
    await peer.acknowledged();
    await waitFor(() => String(peer.workbook.findRow(requests, rowId)?.cells["caseNumber"]) !== "", "a case number");

    const history = (
      await api<HistoryPage>(server, `/api/workbooks/${created.id}/rows/requests/${rowId}/history`, created.links.editor.token)
    ).body;
    const entries = history.entries;
    const phones = entries.filter((entry) => entry.columnId === "phone");
    expect(phones.map(({ before, after, actor, via }) => ({ before, after, actor, via }))).toEqual([
      { before: "13800000001", after: "13800000002", actor: "编辑者", via: "edit" },
      { before: undefined, after: "13800000001", actor: "编辑者", via: "edit" },
    ]);
    expect(entries.map((entry) => entry.event)).toEqual(expect.arrayContaining(["created", "trashed", "untrashed", "cell"]));
    const numbered = entries.find((entry) => entry.columnId === "caseNumber");
    expect(numbered).toMatchObject({ actor: "system", via: "case-numbers", after: expect.stringMatching(/^SH-\d{4}$/) });
    expect(entries.every((entry) => !Number.isNaN(Date.parse(entry.at)) && entry.valuesErased === false)).toBe(true);
    // Newest first, and never the row's order key.
    expect(entries.map((entry) => entry.id)).toEqual([...entries.map((entry) => entry.id)].sort((a, b) => b - a));
    expect(entries.some((entry) => entry.event === "other")).toBe(false);
  });

  it("pages backwards through a long history", async () => {
    const server = await start();
    const { body: created } = await createWorkbookOverHttp(server);
    const peer = await connect(server, created);
    const rowId = peer.workbook.insertRow(requests, { age: 1 });
    // The server stamps a new row (case number, time) while its edits keep coming: first that.
    await waitFor(() => Boolean(peer.workbook.findRow(requests, rowId)?.cells["submittedAt"]), "the row's stamp");
    for (let age = 2; age <= 12; age += 1) peer.workbook.setCell(requests, rowId, col("age"), age);
    await peer.acknowledged();
    const path = `/api/workbooks/${created.id}/rows/requests/${rowId}/history`;
    const first = (await api<HistoryPage>(server, `${path}?limit=5`, created.links.editor.token)).body;
    expect(first.entries).toHaveLength(5);
    const second = (await api<HistoryPage>(server, `${path}?limit=5&before=${first.next}`, created.links.editor.token)).body;
    expect(second.entries[0]?.id).toBeLessThan(first.entries.at(-1)?.id ?? 0);
    expect(first.entries[0]).toMatchObject({ columnId: "age", before: 11, after: 12 });
  });

  it("answers only admin and editor links", async () => {
    const server = await start();
    const { body: created } = await createWorkbookOverHttp(server);
    const path = `/api/workbooks/${created.id}/rows/requests/r1/history`;
    expect((await api(server, path, await issueLink(server, created.id, "public", "公众"))).status).toBe(403);
    expect((await api(server, path, await issueLink(server, created.id, "form", "表单"))).status).toBe(403);
    expect((await api(server, path, "not-a-token")).status).toBe(401);
    expect((await api(server, path, await issueLink(server, created.id, "admin", "管理员"))).status).toBe(200);
  });
});

describe("versions", () => {
  const { start, peer: connect } = useHarness();

  it("saves named versions, shows one read-only, and restores a row as a new change that merges with a concurrent edit", async () => {
    const server = await start();
    const { body: created } = await createWorkbookOverHttp(server);
    const token = created.links.editor.token;
    const alice = await connect(server, created);
    const bob = await connect(server, created);
    const rowId = alice.workbook.insertRow(requests, { description: "原始描述", street: "武康路" });
    await alice.acknowledged();

    const saved = await api<VersionInfo>(server, `/api/workbooks/${created.id}/versions`, token, { body: { name: "核实前" } });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ kind: "named", name: "核实前", createdBy: "编辑者" });

    alice.workbook.setCells(requests, rowId, { description: "被误改", street: "错误街道" });
    const later = alice.workbook.insertRow(requests, { description: "之后新增" });
    await alice.acknowledged();

    const view = await api<{ workbook: { sheets: { id: string; rows: { id: string; cells: Record<string, unknown> }[] }[] } }>(
      server,
      `/api/workbooks/${created.id}/versions/${saved.body.id}`,
      token,
    );
    expect(view.status).toBe(200);
    const pastRows = view.body.workbook.sheets.find((sheet) => sheet.id === "requests")?.rows ?? [];
    expect(pastRows.find((row) => row.id === rowId)?.cells).toMatchObject({ description: "原始描述", street: "武康路" });
    expect(pastRows.some((row) => row.id === later)).toBe(false);

    // Bob edits another cell of the row offline, concurrently with the restore: both survive.
    await waitFor(() => bob.workbook.findRow(requests, rowId)?.cells["street"] === "错误街道", "Bob to see the bad edit");
    bob.socket.disconnect();
    await waitFor(() => bob.socket.status === "disconnected", "Bob offline");
    bob.workbook.setCell(requests, rowId, col("notes"), "鲍勃的备注");
    const restored = await api<{ cellsChanged: number; beforeRestore: VersionInfo }>(
      server,
      `/api/workbooks/${created.id}/versions/${saved.body.id}/restore`,
      token,
      { body: { sheetId: "requests", rowId } },
    );
    expect(restored.status).toBe(200);
    expect(restored.body.cellsChanged).toBeGreaterThanOrEqual(2);
    expect(restored.body.beforeRestore.kind).toBe("before-restore");
    await bob.socket.connect();
    await waitFor(
      () =>
        [alice, bob].every((peer) => {
          const cells = peer.workbook.findRow(requests, rowId)?.cells;
          return cells?.["description"] === "原始描述" && cells["street"] === "武康路" && cells["notes"] === "鲍勃的备注";
        }),
      "both peers to show the restored row with Bob's note",
    );
    // A row restore leaves other rows alone.
    expect(alice.workbook.findRow(requests, later)?.deletedAt).toBeNull();

    const history = await api<HistoryPage>(server, `/api/workbooks/${created.id}/rows/requests/${rowId}/history`, token);
    expect(history.body.entries.find((entry) => entry.columnId === "description")).toMatchObject({
      actor: "编辑者",
      via: "restore",
      before: "被误改",
      after: "原始描述",
    });
  });

  it("restores a whole workbook: rows added since go to the trash, and the restore can be undone from its before-restore version", async () => {
    const server = await start();
    const { body: created } = await createWorkbookOverHttp(server);
    const token = created.links.editor.token;
    const peer = await connect(server, created);
    const kept = peer.workbook.insertRow(requests, { description: "保留" });
    await peer.acknowledged();
    const saved = (await api<VersionInfo>(server, `/api/workbooks/${created.id}/versions`, token, { body: { name: "v1" } })).body;
    const added = peer.workbook.insertRow(requests, { description: "新增" });
    peer.workbook.deleteRow(requests, kept);
    await peer.acknowledged();

    const restored = await api<{ rowsTrashed: number; rowsUntrashed: number; beforeRestore: VersionInfo }>(
      server,
      `/api/workbooks/${created.id}/versions/${saved.id}/restore`,
      token,
      { method: "POST" },
    );
    expect(restored.body).toMatchObject({ rowsTrashed: 1, rowsUntrashed: 1 });
    await waitFor(
      () => peer.workbook.findRow(requests, added)?.deletedAt !== null && peer.workbook.findRow(requests, kept)?.deletedAt === null,
      "the added row in the trash and the deleted one back",
    );

    await api(server, `/api/workbooks/${created.id}/versions/${restored.body.beforeRestore.id}/restore`, token, { method: "POST" });
    await waitFor(
      () => peer.workbook.findRow(requests, added)?.deletedAt === null && peer.workbook.findRow(requests, kept)?.deletedAt !== null,
      "the restore undone",
    );
    const list = (await api<{ versions: VersionInfo[] }>(server, `/api/workbooks/${created.id}/versions`, token)).body.versions;
    expect(list.map((version) => version.kind)).toEqual(["before-restore", "before-restore", "named"]);
  });

  it("saves automatic versions after a number of changes and a while after a change", async () => {
    const server = await start({ history: { versions: { everyUpdates: 5, everyMs: 300, minIntervalMs: 0 } } });
    const { body: created } = await createWorkbookOverHttp(server);
    const token = created.links.editor.token;
    const peer = await connect(server, created);
    const rowId = peer.workbook.insertRow(requests, { age: 1 });
    for (let age = 2; age <= 5; age += 1) peer.workbook.setCell(requests, rowId, col("age"), age);
    await peer.acknowledged();
    const autos = async () =>
      (await api<{ versions: VersionInfo[] }>(server, `/api/workbooks/${created.id}/versions`, token)).body.versions.filter(
        (version) => version.kind === "auto",
      );
    // Five changes (the case number adds one more), so one version at once.
    const deadline = Date.now() + 2_000;
    while ((await autos()).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await autos()).toHaveLength(1);
    peer.workbook.setCell(requests, rowId, col("age"), 99);
    await peer.acknowledged();
    expect(await autos()).toHaveLength(1);
    const timed = Date.now() + 2_000;
    while ((await autos()).length < 2 && Date.now() < timed) await new Promise((resolve) => setTimeout(resolve, 20));
    const versions = await autos();
    expect(versions).toHaveLength(2);
    const view = await api<{ workbook: { sheets: { id: string; rows: { id: string; cells: Record<string, unknown> }[] }[] } }>(
      server,
      `/api/workbooks/${created.id}/versions/${versions[0]?.id}`,
      token,
    );
    expect(view.body.workbook.sheets.find((sheet) => sheet.id === "requests")?.rows.find((row) => row.id === rowId)?.cells["age"]).toBe(99);
  });

  it("answers 404 for a version of another workbook and 400 for a row restore without its sheet", async () => {
    const server = await start();
    const { body: one } = await createWorkbookOverHttp(server);
    const { body: other } = await createWorkbookOverHttp(server);
    const saved = (await api<VersionInfo>(server, `/api/workbooks/${one.id}/versions`, one.links.editor.token, { body: { name: "x" } }))
      .body;
    expect((await api(server, `/api/workbooks/${other.id}/versions/${saved.id}`, other.links.editor.token)).status).toBe(404);
    const refused = await api<{ error: { field: string } }>(
      server,
      `/api/workbooks/${one.id}/versions/${saved.id}/restore`,
      one.links.editor.token,
      { body: { rowId: "abc" as RowId } },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.field).toBe("sheetId");
  });
});
