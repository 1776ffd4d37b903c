import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ColumnId, type SheetId, openWorkbook } from "@huzhu/schema";
import { describe, expect, it } from "vitest";
import { SqliteDocStore } from "../src/storage/sqlite-store.ts";
import { createWorkbookOverHttp, readStoredDocument, syncedPeer, useHarness, waitFor } from "./helpers.ts";

const requests = "requests" as SheetId;
const description = "description" as ColumnId;

/** SQLite, except that appends wait while `held` is set (a slow disk, a busy database). */
class SlowStore extends SqliteDocStore {
  private release: (() => void) | undefined;
  private gate: Promise<void> = Promise.resolve();
  hold(): void {
    this.gate = new Promise((resolve) => {
      this.release = resolve;
    });
  }
  resume(): void {
    this.release?.();
  }
  override async appendUpdate(docName: string, update: Uint8Array): Promise<number> {
    await this.gate;
    return super.appendUpdate(docName, update);
  }
}

describe("when storage is slow", () => {
  const { start } = useHarness();

  it("passes an editor's next edits on to the others at once, and acknowledges each only once stored", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "huzhu-slow-"));
    const store = new SlowStore(dataDir);
    const server = await start({ dataDir, store });
    const { body } = await createWorkbookOverHttp(server);
    const writer = await syncedPeer(server, body);
    const reader = await syncedPeer(server, body);
    try {
      store.hold();
      const rowId = writer.workbook.insertRow(requests, { description: "第一次" });
      await waitFor(() => reader.workbook.findRow(requests, rowId) !== undefined, "the first edit to reach the other editor");
      // A second message from the same editor, while the first is still being stored.
      writer.workbook.setCell(requests, rowId, description, "第二次");
      await waitFor(
        () => reader.workbook.findRow(requests, rowId)?.cells["description"] === "第二次",
        "the second edit to reach the other editor before the first is stored",
      );
      expect(writer.provider.unsyncedChanges).toBeGreaterThan(0);
      expect(
        readStoredDocument(dataDir, body.id) && openWorkbook(readStoredDocument(dataDir, body.id)!).findRow(requests, rowId),
      ).toBeUndefined();

      store.resume();
      await writer.acknowledged();
      const stored = readStoredDocument(dataDir, body.id);
      expect(stored && openWorkbook(stored).findRow(requests, rowId)?.cells["description"]).toBe("第二次");
    } finally {
      writer.destroy();
      reader.destroy();
    }
  });
});
