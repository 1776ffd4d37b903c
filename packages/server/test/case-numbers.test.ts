import type { RowId, SheetId } from "@huzhu/schema";
import { describe, expect, it } from "vitest";
import { SqliteDocStore } from "../src/storage/sqlite-store.ts";
import { type Peer, createWorkbookOverHttp, useHarness, waitFor } from "./helpers.ts";

const requests = "requests" as SheetId;

function caseNumbers(peer: Peer): string[] {
  return peer.workbook.listRows(requests, { includeDeleted: true }).map((row) => String(row.cells["caseNumber"] ?? ""));
}

describe("case numbers", () => {
  const { start, peer: connect } = useHarness();

  it("numbers the sample requests of a new workbook SH-0001 onwards, with submission times", async () => {
    const server = await start();
    const { body } = await createWorkbookOverHttp(server, { template: "shanghai-medical", title: "样例", sampleData: true });
    const peer = await connect(server, body);
    const numbers = caseNumbers(peer);
    expect(numbers.length).toBeGreaterThan(0);
    expect([...numbers].sort()).toEqual(numbers.map((_, i) => `SH-${String(i + 1).padStart(4, "0")}`));
    expect(peer.workbook.listRows(requests).every((row) => typeof row.cells["submittedAt"] === "string")).toBe(true);
  });

  it("gives rows added concurrently by two editors distinct numbers, never reusing a purged row's", async () => {
    const server = await start();
    const { body } = await createWorkbookOverHttp(server);
    // Purging a row is an admin's action (SPEC 4); the write guard refuses it from an editor.
    const alice = await connect(server, body, body.links.admin.token);
    const bob = await connect(server, body);

    const added: RowId[] = [];
    for (let i = 0; i < 5; i += 1) {
      added.push(alice.workbook.insertRow(requests, { description: `A${i}` }));
      added.push(bob.workbook.insertRow(requests, { description: `B${i}` }));
    }
    const numbered = () => caseNumbers(alice).filter((n) => n !== "").length;
    await waitFor(() => numbered() === 10 && caseNumbers(bob).filter((n) => n !== "").length === 10, "ten numbered rows at both peers");
    const numbers = caseNumbers(alice);
    expect(new Set(numbers).size).toBe(10);
    expect(numbers.every((n) => /^SH-\d{4}$/.test(n))).toBe(true);
    expect(caseNumbers(bob).sort()).toEqual([...numbers].sort());
    expect(alice.workbook.findRow(requests, added[0] as RowId)?.cells["submittedAt"]).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    const purged = alice.workbook.findRow(requests, added[0] as RowId)?.cells["caseNumber"];
    alice.workbook.purgeRow(requests, added[0] as RowId);
    const next = alice.workbook.insertRow(requests, { description: "清除之后" });
    await waitFor(() => alice.workbook.findRow(requests, next)?.cells["caseNumber"] !== "", "the new row's number");
    expect(alice.workbook.findRow(requests, next)?.cells["caseNumber"]).toBe("SH-0011");
    expect(alice.workbook.findRow(requests, next)?.cells["caseNumber"]).not.toBe(purged);
  });

  it("gives the number back when an admin clears it (editors may not write it at all)", async () => {
    const server = await start();
    const { body } = await createWorkbookOverHttp(server);
    const peer = await connect(server, body, body.links.admin.token);
    const rowId = peer.workbook.insertRow(requests, { description: "清空编号" });
    await waitFor(() => peer.workbook.findRow(requests, rowId)?.cells["caseNumber"] === "SH-0001", "the first number");
    peer.workbook.setSystemCell(requests, rowId, "caseNumber", "");
    await waitFor(() => peer.workbook.findRow(requests, rowId)?.cells["caseNumber"] === "SH-0001", "the same number again");
  });

  it("two stores on one database agree on a row's number and never hand one out twice", async () => {
    const server = await start();
    const one = new SqliteDocStore(server.dataDir);
    const two = new SqliteDocStore(server.dataDir);
    try {
      const [a, b] = await Promise.all([
        one.allocateCaseNumber("wbwbwbwbwbwbwbwb", "r1"),
        two.allocateCaseNumber("wbwbwbwbwbwbwbwb", "r1"),
      ]);
      expect(a).toBe(b);
      const others = await Promise.all([
        one.allocateCaseNumber("wbwbwbwbwbwbwbwb", "r2"),
        two.allocateCaseNumber("wbwbwbwbwbwbwbwb", "r3"),
      ]);
      expect(new Set([a, ...others]).size).toBe(3);
      expect(await one.allocateCaseNumber("otherotherotherx", "r1")).toBe(1);
    } finally {
      await one.close();
      await two.close();
    }
  });
});
