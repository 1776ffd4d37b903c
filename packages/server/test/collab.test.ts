import { type RowId, type SheetId, openWorkbook } from "@huzhu/schema";
import { describe, expect, it } from "vitest";
import { createWorkbookOverHttp, readStoredDocument, useHarness, waitFor } from "./helpers.ts";

const requests = "requests" as SheetId;

describe("live collaboration over /collab", () => {
  const { start, peer: connect } = useHarness();

  it("a standard provider with the editor token syncs the workbook created over HTTP", async () => {
    const server = await start();
    const { body } = await createWorkbookOverHttp(server);
    const peer = await connect(server, body);
    expect(peer.workbook.readMeta().title).toBe("测试");
    expect(peer.workbook.listSheets().map((sheet) => sheet.id)).toEqual(["notice", "requests", "channels", "hospitals"]);
  });

  it("two providers see each other's edits, both ways", async () => {
    const server = await start();
    const { body } = await createWorkbookOverHttp(server);
    const alice = await connect(server, body);
    const bob = await connect(server, body);

    const rowId = alice.workbook.insertRow(requests, { description: "需要胰岛素" });
    await waitFor(() => bob.workbook.findRow(requests, rowId)?.cells["description"] === "需要胰岛素", "Alice's row at Bob");

    bob.workbook.setCell(requests, rowId, "street" as never, "长乐路 100 弄");
    await waitFor(() => alice.workbook.findRow(requests, rowId)?.cells["street"] === "长乐路 100 弄", "Bob's edit at Alice");
  });

  it("an acknowledged edit is in SQLite before the ack, with the server still running", async () => {
    const server = await start();
    const { body } = await createWorkbookOverHttp(server);
    const peer = await connect(server, body);
    const rowId = peer.workbook.insertRow(requests, { description: "透析中断，急需床位" });
    await peer.acknowledged();

    // Read the file at once, from a separate connection, without closing or flushing anything.
    const stored = readStoredDocument(server.dataDir, body.id);
    expect(stored && openWorkbook(stored).findRow(requests, rowId)?.cells["description"]).toBe("透析中断，急需床位");
  });

  it("an edit survives a server restart on the same DATA_DIR", async () => {
    const first = await start();
    const { body } = await createWorkbookOverHttp(first);
    const peer = await connect(first, body);
    const rowId = peer.workbook.insertRow(requests, { description: "重启之前写的" });
    await peer.acknowledged();
    peer.destroy();
    await first.close();

    const second = await start({ dataDir: first.dataDir });
    const again = await connect(second, body);
    expect(again.workbook.findRow(requests, rowId as RowId)?.cells["description"]).toBe("重启之前写的");
  });
});
