import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { ColumnId, RowId, SheetId } from "@huzhu/schema";
import { describe, expect, it } from "vitest";
import type { HistoryEntry } from "@huzhu/schema";
import { connectPeer, createWorkbookOverHttp, openDatabase, useHarness, waitFor } from "./helpers.ts";
import { DAY, api, issueLink, testClock } from "./history-helpers.ts";

const requests = "requests" as SheetId;
const col = (id: string) => id as ColumnId;

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Which of `needles` occur, byte for byte (UTF-8), in any file under `dir`, or in any stored
 * editor preview (gzipped, so not readable in the file's bytes), and where.
 */
function scan(dir: string, needles: readonly string[]): string[] {
  const hits: string[] = [];
  const look = (bytes: Buffer, where: string) => {
    for (const needle of needles) if (bytes.includes(Buffer.from(needle, "utf8"))) hits.push(`${needle} in ${where}`);
  };
  for (const file of filesUnder(dir)) look(readFileSync(file), file);
  const db = openDatabase(dir);
  try {
    const previews = db.prepare("SELECT doc_name, sheet_key, gzipped FROM previews").all() as {
      doc_name: string;
      sheet_key: string;
      gzipped: Uint8Array;
    }[];
    for (const p of previews) look(gunzipSync(p.gzipped), `the stored preview ${p.doc_name}/${p.sheet_key}`);
  } finally {
    db.close();
  }
  return hits;
}

function pendingPurges(dataDir: string): number {
  const db = openDatabase(dataDir);
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM purge_jobs").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

interface Case {
  readonly phone: string;
  readonly name: string;
  readonly address: string;
}

const CASES: readonly Case[] = [
  { phone: "13912345671", name: "隐私患者甲", address: "机密路一号" },
  { phone: "13912345672", name: "隐私患者乙", address: "机密路二号" },
];
/** Typed first into the first case, then corrected: the old value must go too. */
const OLD_PHONE = "13912345670";
/** A case that stays open: its values must survive (and prove the scan finds what is there). */
const OPEN_CASE: Case = { phone: "13987654321", name: "仍在处理丙", address: "进行路三号" };

describe("retention and purge", () => {
  const { start } = useHarness();

  it("purges private cells of cases closed 7 days ago from every file under DATA_DIR, keeps who-changed-what, and connected clients converge", async () => {
    const clock = testClock();
    const server = await start({
      now: clock.now,
      compactAfterUpdates: 4,
      history: { retentionCheckMs: 50, versions: { everyUpdates: 6, minIntervalMs: 0 } },
    });
    const { body: created } = await createWorkbookOverHttp(server);
    const token = created.links.editor.token;
    const alice = connectPeer(server.collabUrl, created.id, token);
    const bob = connectPeer(server.collabUrl, created.id, token);
    try {
      await waitFor(() => alice.provider.isSynced && bob.provider.isSynced, "both peers synced");
      const rows: RowId[] = CASES.map((c) =>
        alice.workbook.insertRow(requests, { description: "需要透析", phone: c.phone, patientName: c.name, address: c.address }),
      );
      const open = alice.workbook.insertRow(requests, { description: "仍在处理", phone: OPEN_CASE.phone, patientName: OPEN_CASE.name });
      alice.workbook.setCell(requests, rows[0]!, col("phone"), OLD_PHONE);
      alice.workbook.setCell(requests, rows[0]!, col("phone"), CASES[0]!.phone);
      await alice.acknowledged();
      const version = await api<{ id: number }>(server, `/api/workbooks/${created.id}/versions`, token, { body: { name: "含隐私" } });
      expect(version.status).toBe(201);
      // Every place holds the values now: log, snapshots, versions, audit.
      expect(scan(server.dataDir, [OLD_PHONE, ...CASES.map((c) => c.phone)]).length).toBeGreaterThan(0);

      alice.workbook.setCell(requests, rows[0]!, col("followUp"), "resolved");
      alice.workbook.setCell(requests, rows[1]!, col("followUp"), "closed");
      alice.workbook.setCell(requests, open, col("followUp"), "inProgress");
      await alice.acknowledged();
      await waitFor(() => rows.every((row) => alice.workbook.findRow(requests, row)?.closedAt !== null), "closedAt stamps");
      expect(alice.workbook.findRow(requests, open)?.closedAt).toBeNull();

      clock.advance(6 * DAY);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(alice.workbook.findRow(requests, rows[0]!)?.cells["phone"]).toBe(CASES[0]!.phone);

      clock.advance(1 * DAY + 60_000);
      const started = Date.now();
      await waitFor(
        () =>
          [alice, bob].every((peer) =>
            rows.every((row) => {
              const found = peer.workbook.findRow(requests, row);
              return found?.purgedAt !== null && found?.cells["phone"] === "" && found?.cells["patientName"] === "";
            }),
          ),
        "both peers to converge on the purged rows",
      );
      await waitFor(() => pendingPurges(server.dataDir) === 0, "the purge to reach every stored copy");
      console.info(`purge of ${rows.length} rows seen by clients and finished in storage after ${Date.now() - started} ms`);

      // Not purged: other cells of those rows, and everything of the open case.
      expect(alice.workbook.findRow(requests, rows[0]!)?.cells["description"]).toBe("需要透析");
      expect(bob.workbook.findRow(requests, open)?.cells).toMatchObject({ phone: OPEN_CASE.phone, patientName: OPEN_CASE.name });

      const purgedValues = [OLD_PHONE, ...CASES.flatMap((c) => [c.phone, c.name, c.address])];
      expect(scan(server.dataDir, purgedValues)).toEqual([]);
      expect(scan(server.dataDir, [OPEN_CASE.phone, OPEN_CASE.name]).length).toBeGreaterThan(0);

      // The audit keeps who changed the phone and when, without the values.
      const history = await api<{ entries: HistoryEntry[] }>(
        server,
        `/api/workbooks/${created.id}/rows/requests/${rows[0]}/history`,
        token,
      );
      const phoneEntries = history.body.entries.filter((entry) => entry.columnId === "phone");
      expect(phoneEntries.length).toBeGreaterThanOrEqual(3);
      expect(phoneEntries.every((entry) => entry.valuesErased && entry.before === undefined && entry.after === undefined)).toBe(true);
      expect(phoneEntries.some((entry) => entry.actor === "编辑者" && entry.via === "edit")).toBe(true);
      expect(history.body.entries.find((entry) => entry.event === "purged")).toMatchObject({ actor: "system", via: "retention" });
      expect(history.body.entries.find((entry) => entry.columnId === "description")?.after).toBe("需要透析");

      // The version saved before is purged too, and restoring it cannot bring the values back.
      const restored = await api(server, `/api/workbooks/${created.id}/versions/${version.body.id}/restore`, token, { method: "POST" });
      expect(restored.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(alice.workbook.findRow(requests, rows[0]!)?.cells["phone"]).toBe("");

      alice.destroy();
      bob.destroy();
      await server.close();
      expect(scan(server.dataDir, purgedValues)).toEqual([]);
    } finally {
      alice.destroy();
      bob.destroy();
    }
  });

  it("lets an admin purge a row now (admin link or admin token), and refuses editors", async () => {
    const server = await start({ compactAfterUpdates: 3, history: { vacuumOnPurge: false } });
    const { body: created } = await createWorkbookOverHttp(server);
    const peer = connectPeer(server.collabUrl, created.id, created.links.editor.token);
    try {
      await waitFor(() => peer.provider.isSynced, "sync");
      const row = peer.workbook.insertRow(requests, {
        description: "立即删除",
        phone: "13700001111",
        emergencyContact: "紧急联系人丁 13700002222",
      });
      await peer.acknowledged();
      const path = `/api/workbooks/${created.id}/rows/requests/${row}/purge`;
      expect((await api(server, path, created.links.editor.token, { method: "POST" })).status).toBe(403);
      const admin = await issueLink(server, created.id, "admin", "管理员");
      const purged = await api<{ cells: number; ms: number; scope: string }>(server, path, admin, { method: "POST" });
      expect(purged.status).toBe(200);
      expect(purged.body).toMatchObject({ scope: "private", cells: 2 });
      await waitFor(() => peer.workbook.findRow(requests, row)?.cells["phone"] === "", "the peer to see the purge");
      expect(scan(server.dataDir, ["13700001111", "13700002222", "紧急联系人丁"])).toEqual([]);

      const whole = await api(server, path, server.adminToken, { body: { scope: "row" } });
      expect(whole.status).toBe(200);
      await waitFor(() => peer.workbook.findRow(requests, row) === undefined, "the row to be removed at the peer");
      expect(scan(server.dataDir, ["立即删除"])).toEqual([]);
    } finally {
      peer.destroy();
    }
  });

  it("a row an admin removes for good from the grid is erased from stored versions and the audit too", async () => {
    const server = await start();
    const { body: created } = await createWorkbookOverHttp(server);
    const token = created.links.editor.token;
    const peer = connectPeer(server.collabUrl, created.id, await issueLink(server, created.id, "admin", "管理员"));
    try {
      await waitFor(() => peer.provider.isSynced, "sync");
      const row = peer.workbook.insertRow(requests, { description: "误录的整行", phone: "13600003333" });
      await peer.acknowledged();
      await api(server, `/api/workbooks/${created.id}/versions`, token, { body: { name: "之前" } });
      peer.workbook.purgeRow(requests, row);
      await peer.acknowledged();
      await waitFor(
        () => pendingPurges(server.dataDir) === 0 && scan(server.dataDir, ["13600003333"]).length === 0,
        "the removed row erased",
        10_000,
      );
      expect(scan(server.dataDir, ["误录的整行"])).toEqual([]);
      const history = await api<{ entries: HistoryEntry[] }>(server, `/api/workbooks/${created.id}/rows/requests/${row}/history`, token);
      expect(history.body.entries.length).toBeGreaterThan(0);
      expect(history.body.entries.every((entry) => entry.valuesErased)).toBe(true);
    } finally {
      peer.destroy();
    }
  });
});
