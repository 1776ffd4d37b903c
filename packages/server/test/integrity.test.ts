import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { ColumnId, RowId, SheetId } from "@huzhu/schema";
import { describe, expect, it } from "vitest";
import type { HuzhuServer } from "../src/index.ts";
import type { DamagedDocument } from "../src/storage/storage-health.ts";
import { SQLITE_FILE } from "../src/storage/sqlite-store.ts";
import { connectPeer, createWorkbookOverHttp, refusalReason, useHarness, waitFor } from "./helpers.ts";
import { api } from "./history-helpers.ts";

const requests = "requests" as SheetId;

function writable(dataDir: string): DatabaseSync {
  return new DatabaseSync(join(dataDir, SQLITE_FILE));
}

/** What a crash right after the appends (before any compaction) leaves: the first snapshot and the whole log. */
function rewindToFirstSnapshot(dataDir: string, documentName: string): void {
  const db = writable(dataDir);
  db.prepare(
    `UPDATE snapshots SET state = previous_state, upto_seq = previous_upto_seq, checksum = previous_checksum,
       previous_state = NULL, previous_upto_seq = NULL, previous_checksum = NULL WHERE doc_name = ?`,
  ).run(documentName);
  db.close();
}

function logSeqs(dataDir: string, documentName: string): number[] {
  const db = writable(dataDir);
  try {
    return (db.prepare("SELECT seq FROM updates WHERE doc_name = ? ORDER BY seq").all(documentName) as { seq: number }[]).map((r) => r.seq);
  } finally {
    db.close();
  }
}

function damageEntry(dataDir: string, seq: number, how: "flip" | "truncate"): void {
  const db = writable(dataDir);
  const { update } = db.prepare('SELECT "update" FROM updates WHERE seq = ?').get(seq) as { update: Uint8Array };
  const damaged = how === "flip" ? update.map((byte, i) => (i === 3 ? byte ^ 0x55 : byte)) : update.slice(0, Math.floor(update.length / 2));
  db.prepare('UPDATE updates SET "update" = ? WHERE seq = ?').run(damaged, seq);
  db.close();
}

async function status(server: HuzhuServer) {
  return (await api<{ storage: { status: string; damagedDocuments: DamagedDocument[] } }>(server, "/api/status", server.adminToken)).body
    .storage;
}

async function openRows(server: HuzhuServer, id: string, token: string): Promise<Map<RowId, string>> {
  const peer = connectPeer(server.collabUrl, id, token);
  try {
    await waitFor(() => peer.provider.isSynced, "the reader's sync");
    return new Map(peer.workbook.listRows(requests).map((row) => [row.id, String(row.cells["description"])]));
  } finally {
    peer.destroy();
  }
}

describe("damaged storage", () => {
  const { start } = useHarness();

  it("leaves out a damaged log entry and what builds on it, keeps the rest, reports it, and stores no less than it had", async () => {
    const first = await start({ compactAfterUpdates: 10_000 });
    const { body: created } = await createWorkbookOverHttp(first);
    const token = created.links.editor.token;
    const alice = connectPeer(first.collabUrl, created.id, token);
    const bob = connectPeer(first.collabUrl, created.id, token);
    await waitFor(() => alice.provider.isSynced && bob.provider.isSynced, "two peers");
    const a1 = alice.workbook.insertRow(requests, { description: "A1" });
    await alice.acknowledged();
    const before = logSeqs(first.dataDir, created.id);
    const a2 = alice.workbook.insertRow(requests, { description: "A2" });
    await alice.acknowledged();
    const damaged = logSeqs(first.dataDir, created.id).filter((seq) => !before.includes(seq));
    const a3 = alice.workbook.insertRow(requests, { description: "A3" });
    await alice.acknowledged();
    await waitFor(() => bob.workbook.listRows(requests).length === 3, "Bob to see Alice's rows");
    const b1 = bob.workbook.insertRow(requests, { description: "B1" }, { after: a1 });
    await bob.acknowledged();
    alice.destroy();
    bob.destroy();
    await first.close();

    rewindToFirstSnapshot(first.dataDir, created.id);
    for (const seq of damaged) damageEntry(first.dataDir, seq, "flip");

    const second = await start({ dataDir: first.dataDir, adminToken: first.adminToken });
    const rows = await openRows(second, created.id, token);
    expect(rows.get(a1)).toBe("A1");
    expect(rows.get(b1)).toBe("B1");
    expect(rows.has(a2)).toBe(false);
    // Alice's next row continues her clock after the damaged entry: left out rather than left pending.
    expect(rows.has(a3)).toBe(false);
    const health = await status(second);
    expect(health.status).toBe("degraded");
    expect(health.damagedDocuments[0]).toMatchObject({ documentName: created.id, base: "snapshot" });
    expect(health.damagedDocuments[0]?.damage).toEqual(
      expect.arrayContaining([expect.objectContaining({ entry: "log", reason: "checksum-mismatch", seq: damaged[0] })]),
    );
    expect(health.damagedDocuments[0]?.damage.some((d) => d.reason === "missing-dependencies")).toBe(true);
    await second.close();

    // What was recovered is what is stored now; nothing good was lost on the way.
    const third = await start({ dataDir: first.dataDir, adminToken: first.adminToken });
    const again = await openRows(third, created.id, token);
    expect(again.get(a1)).toBe("A1");
    expect(again.get(b1)).toBe("B1");
    expect((await status(third)).status).toBe("ok");
  });

  it("leaves out a truncated last entry (a torn write) and opens with everything before it", async () => {
    const first = await start({ compactAfterUpdates: 10_000 });
    const { body: created } = await createWorkbookOverHttp(first);
    const token = created.links.editor.token;
    const peer = connectPeer(first.collabUrl, created.id, token);
    await waitFor(() => peer.provider.isSynced, "sync");
    const kept = peer.workbook.insertRow(requests, { description: "保留" });
    await peer.acknowledged();
    await waitFor(() => peer.workbook.findRow(requests, kept)?.cells["caseNumber"] !== "", "the case number");
    peer.workbook.setCell(requests, kept, "street" as ColumnId, "最后一笔");
    await peer.acknowledged();
    peer.destroy();
    await first.close();
    rewindToFirstSnapshot(first.dataDir, created.id);
    damageEntry(first.dataDir, logSeqs(first.dataDir, created.id).at(-1) as number, "truncate");

    const second = await start({ dataDir: first.dataDir, adminToken: first.adminToken });
    const reader = connectPeer(second.collabUrl, created.id, token);
    try {
      await waitFor(() => reader.provider.isSynced, "sync");
      expect(reader.workbook.findRow(requests, kept)?.cells).toMatchObject({ description: "保留", street: "" });
      expect(String(reader.workbook.findRow(requests, kept)?.cells["caseNumber"])).toMatch(/^SH-/);
    } finally {
      reader.destroy();
    }
    expect((await status(second)).damagedDocuments[0]?.damage).toEqual([
      expect.objectContaining({ entry: "log", reason: "checksum-mismatch" }),
    ]);
  });

  it("rebuilds a document whose snapshot is damaged from the previous snapshot and the log, losing nothing", async () => {
    const first = await start();
    const { body: created } = await createWorkbookOverHttp(first);
    const token = created.links.editor.token;
    const peer = connectPeer(first.collabUrl, created.id, token);
    await waitFor(() => peer.provider.isSynced, "sync");
    const row = peer.workbook.insertRow(requests, { description: "快照损坏也不丢" });
    await peer.acknowledged();
    peer.destroy();
    await first.close();
    const db = writable(first.dataDir);
    const { state } = db.prepare("SELECT state FROM snapshots WHERE doc_name = ?").get(created.id) as { state: Uint8Array };
    db.prepare("UPDATE snapshots SET state = ? WHERE doc_name = ?").run(state.slice(0, state.length - 7), created.id);
    db.close();

    const second = await start({ dataDir: first.dataDir, adminToken: first.adminToken });
    expect((await openRows(second, created.id, token)).get(row)).toBe("快照损坏也不丢");
    expect((await status(second)).damagedDocuments[0]).toMatchObject({
      base: "previous-snapshot",
      damage: [{ entry: "snapshot", reason: "checksum-mismatch" }],
    });
  });

  it("refuses a document when no snapshot verifies, and leaves the stored bytes as they were", async () => {
    const first = await start();
    const { body: created } = await createWorkbookOverHttp(first);
    await first.close();
    const db = writable(first.dataDir);
    db.prepare("UPDATE snapshots SET state = zeroblob(64) WHERE doc_name = ?").run(created.id);
    db.close();
    const second = await start({ dataDir: first.dataDir, adminToken: first.adminToken });
    expect(await refusalReason(second.collabUrl, created.id, created.links.editor.token)).toBe("document-unreadable");
    expect((await status(second)).damagedDocuments[0]).toMatchObject({ base: "refused" });
    await second.close();
    const check = writable(first.dataDir);
    const { state } = check.prepare("SELECT state FROM snapshots WHERE doc_name = ?").get(created.id) as { state: Uint8Array };
    check.close();
    expect([...state]).toEqual(new Array(64).fill(0));
  });
});
