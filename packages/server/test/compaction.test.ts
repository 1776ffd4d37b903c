import type { SheetId } from "@huzhu/schema";
import { describe, expect, it } from "vitest";
import { createWorkbookOverHttp, openDatabase, readStoredDocument, useHarness, waitFor } from "./helpers.ts";
import { openWorkbook } from "@huzhu/schema";
import * as Y from "yjs";

const requests = "requests" as SheetId;

/** One row of a query about one document, on a connection of its own. */
function queryDocument<T>(dataDir: string, sql: string, documentName: string): T {
  const db = openDatabase(dataDir);
  try {
    return db.prepare(sql).get(documentName) as T;
  } finally {
    db.close();
  }
}

function logLength(dataDir: string, documentName: string): number {
  return queryDocument<{ n: number }>(dataDir, "SELECT COUNT(*) AS n FROM updates WHERE doc_name = ?", documentName).n;
}

/** Up to which log entry the snapshot holds. */
function snapshotUpto(dataDir: string, documentName: string): number {
  return queryDocument<{ upto: number }>(dataDir, "SELECT upto_seq AS upto FROM snapshots WHERE doc_name = ?", documentName).upto;
}

/** Whether the snapshot contains every entry still in the log (which only backs the previous generation). */
function snapshotHoldsLog(dataDir: string, documentName: string): boolean {
  const { last } = queryDocument<{ last: number | null }>(dataDir, "SELECT MAX(seq) AS last FROM updates WHERE doc_name = ?", documentName);
  return last === null || snapshotUpto(dataDir, documentName) >= last;
}

/** The document from the snapshot alone, without the log. */
function snapshotOnly(dataDir: string, documentName: string): Y.Doc {
  const db = openDatabase(dataDir);
  try {
    const { state } = db.prepare("SELECT state FROM snapshots WHERE doc_name = ?").get(documentName) as { state: Uint8Array };
    const ydoc = new Y.Doc();
    Y.applyUpdate(ydoc, state);
    return ydoc;
  } finally {
    db.close();
  }
}

describe("compaction", () => {
  const { start, peer: connect } = useHarness();

  it("folds the log into the snapshot when the last editor leaves, losing nothing", async () => {
    const server = await start();
    const { body } = await createWorkbookOverHttp(server);
    const peer = await connect(server, body);
    const rowId = peer.workbook.insertRow(requests, { description: "压缩前" });
    peer.workbook.setCell(requests, rowId, "street" as never, "武康路");
    await peer.acknowledged();
    expect(logLength(server.dataDir, body.id)).toBeGreaterThan(0);

    peer.destroy();
    await waitFor(() => snapshotHoldsLog(server.dataDir, body.id), "the log to be compacted");
    expect(openWorkbook(snapshotOnly(server.dataDir, body.id)).findRow(requests, rowId)?.cells).toMatchObject({
      description: "压缩前",
      street: "武康路",
    });
    const stored = readStoredDocument(server.dataDir, body.id);
    expect(stored && openWorkbook(stored).findRow(requests, rowId)?.cells).toMatchObject({ description: "压缩前", street: "武康路" });
  });

  it("compacts a long log while editors are still connected", async () => {
    const server = await start({ compactAfterUpdates: 20 });
    const { body } = await createWorkbookOverHttp(server);
    const peer = await connect(server, body);
    const rowId = peer.workbook.insertRow(requests, { description: "0" });
    for (let i = 1; i <= 70; i += 1) {
      peer.workbook.setCell(requests, rowId, "description" as never, String(i));
      await peer.acknowledged();
    }
    // The log keeps what came after the previous snapshot generation: at most two thresholds' worth.
    await waitFor(() => logLength(server.dataDir, body.id) <= 40, "the log to shrink to two generations");
    expect(
      Number(openWorkbook(snapshotOnly(server.dataDir, body.id)).findRow(requests, rowId)?.cells["description"]),
    ).toBeGreaterThanOrEqual(40);
    const stored = readStoredDocument(server.dataDir, body.id);
    expect(stored && openWorkbook(stored).findRow(requests, rowId)?.cells["description"]).toBe("70");
  });

  it("waits for edits to settle before compacting, however long they keep coming", async () => {
    const server = await start();
    const { body } = await createWorkbookOverHttp(server);
    const peer = await connect(server, body);
    const rowId = peer.workbook.insertRow(requests, { description: "0" });
    await peer.acknowledged();
    const before = snapshotUpto(server.dataDir, body.id);
    // Longer than Hocuspocus' default longest store debounce (10 s), an edit every 250 ms.
    const until = Date.now() + 11_000;
    for (let i = 1; Date.now() < until; i += 1) {
      peer.workbook.setCell(requests, rowId, "description" as never, String(i));
      await peer.acknowledged();
      expect(snapshotUpto(server.dataDir, body.id), "the snapshot while edits keep coming").toBe(before);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // The editor is still there: this is the settled document's store, not the unload's.
    await waitFor(() => snapshotHoldsLog(server.dataDir, body.id), "the log to be compacted once the edits settled");
  }, 30_000);
});
