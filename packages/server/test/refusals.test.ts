import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import type { CreatedWorkbook, HuzhuServer } from "../src/index.ts";
import { SQLITE_FILE } from "../src/storage/sqlite-store.ts";
import { createWorkbookOverHttp, openDatabase, refusalReason, useHarness, waitFor } from "./helpers.ts";
import { Message } from "./raw-client.ts";

/** Hashes of the database files, to prove a refusal wrote nothing. */
function databaseFingerprint(dataDir: string): string[] {
  return [SQLITE_FILE, `${SQLITE_FILE}-wal`].map((name) => {
    const path = join(dataDir, name);
    return existsSync(path) ? createHash("sha256").update(readFileSync(path)).digest("hex") : "absent";
  });
}

function storedRows(dataDir: string, documentName: string): number {
  const db = openDatabase(dataDir);
  try {
    const count = (sql: string) => (db.prepare(sql).get(documentName) as { n: number }).n;
    return count("SELECT COUNT(*) AS n FROM updates WHERE doc_name = ?") + count("SELECT COUNT(*) AS n FROM snapshots WHERE doc_name = ?");
  } finally {
    db.close();
  }
}

describe("refusals on /collab", () => {
  const { start, peer, raw } = useHarness();
  let server: HuzhuServer;
  let workbook: CreatedWorkbook;
  beforeEach(async () => {
    server = await start();
    workbook = (await createWorkbookOverHttp(server)).body;
  });

  it("refuses a wrong token with reason invalid-token", async () => {
    const reason = await refusalReason(server.collabUrl, workbook.id, "not-a-real-token");
    expect(reason).toBe("invalid-token");
  });

  it("refuses another workbook's token as invalid-token", async () => {
    const other = (await createWorkbookOverHttp(server, { template: "blank", title: "另一个" })).body;
    expect(await refusalReason(server.collabUrl, workbook.id, other.links.editor.token)).toBe("invalid-token");
  });

  it.each([["../../etc/passwd"], ["ABCDEFGHIJKLMNOP"], ["abcdefghijklmnop1"], [""], ["abc'; DROP TABLE workbooks; --"]])(
    "refuses document name %j before storage is touched",
    async (documentName) => {
      const before = databaseFingerprint(server.dataDir);
      expect(await refusalReason(server.collabUrl, documentName, workbook.links.editor.token)).toBe("invalid-document-name");
      expect(databaseFingerprint(server.dataDir)).toEqual(before);
      expect(storedRows(server.dataDir, documentName)).toBe(0);
    },
  );

  it("refuses an unknown but well-formed document name and stores nothing for it", async () => {
    const before = databaseFingerprint(server.dataDir);
    expect(await refusalReason(server.collabUrl, "aaaaaaaaaaaaaaaa", workbook.links.editor.token)).toBe("invalid-token");
    expect(databaseFingerprint(server.dataDir)).toEqual(before);
    expect(storedRows(server.dataDir, "aaaaaaaaaaaaaaaa")).toBe(0);
  });

  it("closes a socket that sends more than 1 MiB with 1009, and other editors keep working", async () => {
    const alice = await peer(server, workbook);
    const bob = await peer(server, workbook);
    const mallory = await raw(server, workbook);

    mallory.sendBytes(new Uint8Array(1024 * 1024 + 1));
    expect((await mallory.closed).code).toBe(1009);

    const rowId = alice.workbook.insertRow("requests" as never, { description: "大消息之后" });
    await waitFor(() => bob.workbook.findRow("requests" as never, rowId)?.cells["description"] === "大消息之后", "Alice's edit at Bob");
    await alice.acknowledged();
  });

  it("refuses a malformed update with reason malformed-update and stores nothing", async () => {
    const mallory = await raw(server, workbook);
    const before = databaseFingerprint(server.dataDir);

    mallory.sendUpdate(new Uint8Array([5, 1, 2, 3]));
    await waitFor(() => mallory.frames.some((frame) => frame.type === Message.close), "the document to be closed");
    expect(mallory.frames.find((frame) => frame.type === Message.close)?.reason).toBe("malformed-update");
    expect(databaseFingerprint(server.dataDir)).toEqual(before);
  });
});
