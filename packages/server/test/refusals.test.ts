import { createHash } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import type { CreatedWorkbook, HuzhuServer } from "../src/index.ts";
import { createWorkbookOverHttp, openDatabase, refusalReason, useHarness, waitFor } from "./helpers.ts";
import { Message } from "./raw-client.ts";

/**
 * A hash of every row of every table, to prove a refusal wrote nothing. Leaves out which Yjs
 * client id the server writes under (`server_client_ids`): a workbook's load and unload note it,
 * whatever the clients send.
 */
function databaseFingerprint(dataDir: string): string {
  const db = openDatabase(dataDir);
  try {
    const hash = createHash("sha256");
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
    for (const { name } of tables) {
      if (name === "server_client_ids") continue;
      hash.update(name);
      for (const row of db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()) {
        for (const value of Object.values(row)) hash.update(value instanceof Uint8Array ? value : String(value));
      }
    }
    return hash.digest("hex");
  } finally {
    db.close();
  }
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
