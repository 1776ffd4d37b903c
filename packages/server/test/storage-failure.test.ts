import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SheetId } from "@huzhu/schema";
import { describe, expect, it } from "vitest";
import { SqliteDocStore } from "../src/storage/sqlite-store.ts";
import { connectPeer, createWorkbookOverHttp, readStoredDocument, useHarness, waitFor } from "./helpers.ts";
import { openWorkbook } from "@huzhu/schema";

const requests = "requests" as SheetId;

/** SQLite, except that every write fails while `failing` is set (a full disk, a broken volume). */
class FlakyStore extends SqliteDocStore {
  failing = false;
  override appendUpdate(docName: string, update: Uint8Array): Promise<number> {
    if (this.failing) return Promise.reject(new Error("disk I/O error"));
    return super.appendUpdate(docName, update);
  }
  override compactDocument(docName: string, state: Uint8Array, uptoSeq: number): Promise<boolean> {
    if (this.failing) return Promise.reject(new Error("disk I/O error"));
    return super.compactDocument(docName, state, uptoSeq);
  }
}

describe("when storage fails", () => {
  const { start } = useHarness();

  it("never acknowledges an edit it could not store; the client keeps it and delivers it once storage is back", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "huzhu-flaky-"));
    const store = new FlakyStore(dataDir);
    const server = await start({ dataDir, store });
    const { body } = await createWorkbookOverHttp(server);
    const peer = connectPeer(server.collabUrl, body.id, body.links.editor.token, { reconnect: true });
    try {
      await waitFor(() => peer.provider.isSynced, "the first sync");
      const closes: number[] = [];
      peer.socket.on("close", ({ event }: { event: { code: number } }) => closes.push(event.code));

      store.failing = true;
      const rowId = peer.workbook.insertRow(requests, { description: "磁盘故障时写的" });
      await waitFor(() => closes.includes(4503), "the server to close the socket with 4503");
      expect(peer.provider.unsyncedChanges).toBeGreaterThan(0);
      expect(
        readStoredDocument(dataDir, body.id) && openWorkbook(readStoredDocument(dataDir, body.id)!).findRow(requests, rowId),
      ).toBeUndefined();

      // Reconnecting while storage is still down is refused the same way.
      await waitFor(() => closes.filter((code) => code === 4503).length >= 2, "a second refusal while storage is still down");
      expect(peer.provider.unsyncedChanges).toBeGreaterThan(0);

      store.failing = false;
      await waitFor(() => peer.provider.isSynced && peer.provider.unsyncedChanges === 0, "the edit to be acknowledged after reconnecting");
      const stored = readStoredDocument(dataDir, body.id);
      expect(stored && openWorkbook(stored).findRow(requests, rowId)?.cells["description"]).toBe("磁盘故障时写的");
    } finally {
      peer.destroy();
    }
  });
});
