import { type ColumnId, type RowId, type SheetId, openWorkbook } from "@huzhu/schema";
import { gunzipSync } from "node:zlib";
import type pg from "pg";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { connectPeer, createWorkbookOverHttp, useHarness, waitFor } from "./helpers.ts";
import { api } from "./history-helpers.ts";
import { missingServices, readPostgresDocument, useTestSchema } from "./services.ts";

const requests = "requests" as SheetId;
const skip = await missingServices(["postgres"]);

async function storedCell(pool: pg.Pool, documentName: string, rowId: RowId, column: string): Promise<unknown> {
  const stored = await readPostgresDocument(pool, documentName);
  return stored && openWorkbook(stored).findRow(requests, rowId)?.cells[column];
}

describe.skipIf(skip)("with DATABASE_URL (PostgreSQL)", () => {
  const schema = useTestSchema();
  const { start, peer: connect } = useHarness();

  it("an acknowledged edit is in PostgreSQL before the ack, with the server still running", async () => {
    const server = await start({ databaseUrl: schema.url });
    const { body } = await createWorkbookOverHttp(server);
    const peer = await connect(server, body);
    const rowId = peer.workbook.insertRow(requests, { description: "透析中断，急需床位" });
    await peer.acknowledged();
    expect(await storedCell(schema.pool, body.id, rowId, "description")).toBe("透析中断，急需床位");
  });

  it("does not acknowledge while PostgreSQL has not committed the update", async () => {
    const server = await start({ databaseUrl: schema.url });
    const { body } = await createWorkbookOverHttp(server);
    const peer = await connect(server, body);
    const blocker = await schema.pool.connect();
    try {
      // Inserts into the log wait behind this lock, as they would behind a slow disk.
      await blocker.query("BEGIN");
      await blocker.query("LOCK TABLE updates IN EXCLUSIVE MODE");
      const rowId = peer.workbook.insertRow(requests, { description: "等待写入" });
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(peer.provider.unsyncedChanges, "acknowledged while the append was still blocked").toBeGreaterThan(0);
      await blocker.query("COMMIT");
      await peer.acknowledged();
      expect(await storedCell(schema.pool, body.id, rowId, "description")).toBe("等待写入");
    } finally {
      await blocker.query("ROLLBACK").catch(() => {});
      blocker.release();
    }
  });

  it("keeps workbooks, links, edits and case numbers across a restart on the same database", async () => {
    const first = await start({ databaseUrl: schema.url });
    const { body } = await createWorkbookOverHttp(first);
    const peer = connectPeer(first.collabUrl, body.id, body.links.editor.token);
    await waitFor(() => peer.provider.isSynced, "the first sync");
    const rowId = peer.workbook.insertRow(requests, { description: "重启之前写的" });
    await waitFor(() => (peer.workbook.findRow(requests, rowId)?.cells["caseNumber"] ?? "") !== "", "a case number");
    const caseNumber = peer.workbook.findRow(requests, rowId)?.cells["caseNumber"];
    await peer.acknowledged();
    peer.destroy();
    await first.close();

    // Another DATA_DIR: everything comes from PostgreSQL.
    const second = await start({ databaseUrl: schema.url });
    const again = await connect(second, body);
    expect(again.workbook.findRow(requests, rowId)?.cells).toMatchObject({ description: "重启之前写的", caseNumber });
  });

  it("stores the editor previews in PostgreSQL: a restarted server answers from them, and a purge deletes them", async () => {
    const first = await start({ databaseUrl: schema.url });
    const { body } = await createWorkbookOverHttp(first);
    const writer = await connect(first, body);
    const phone = "13700006666";
    const rowId = writer.workbook.insertRow(requests, { description: "预览", phone });
    await writer.acknowledged();
    writer.destroy();
    // A graceful stop compacts every workbook, with the previews of its tabs.
    await first.close();
    expect(await tablesHolding(schema.pool, [phone])).toContain(`${phone} in previews.gzipped`);

    const second = await start({ databaseUrl: schema.url });
    const preview = await fetch(`${second.url}/api/workbooks/${body.id}/preview?sheet=requests`, {
      headers: { authorization: `Bearer ${body.links.editor.token}` },
    });
    expect(preview.headers.get("huzhu-preview")).toBe("stored");
    expect(await preview.text()).toContain(phone);

    const peer = await connect(second, body);
    const purged = await api(second, `/api/workbooks/${body.id}/rows/requests/${rowId}/purge`, second.adminToken, { method: "POST" });
    expect(purged.status).toBe(200);
    await waitFor(() => peer.workbook.findRow(requests, rowId)?.cells["phone"] === "", "the peer to see the purge");
    expect(await tablesHolding(schema.pool, [phone])).toEqual([]);
  });

  it("compacts into PostgreSQL when the last editor leaves, losing nothing", async () => {
    const server = await start({ databaseUrl: schema.url });
    const { body } = await createWorkbookOverHttp(server);
    const peer = await connect(server, body);
    const rowId = peer.workbook.insertRow(requests, { description: "压缩前" });
    await peer.acknowledged();
    // Rows the snapshot does not hold yet; compaction marks the ones it folded in (and deletes
    // them at the next one, when this snapshot becomes the previous generation).
    const uncompacted = async () =>
      (
        await schema.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM updates WHERE doc_name = $1 AND compacted_in IS NULL", [
          body.id,
        ])
      ).rows[0]?.n;
    expect(await uncompacted()).toBeGreaterThan(0);
    peer.destroy();
    const deadline = Date.now() + 10_000;
    while ((await uncompacted()) !== 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await uncompacted()).toBe(0);
    const snapshot = await schema.pool.query<{ state: Buffer }>("SELECT state FROM snapshots WHERE doc_name = $1", [body.id]);
    const fromSnapshot = new Y.Doc();
    Y.applyUpdate(fromSnapshot, snapshot.rows[0]?.state as Buffer);
    expect(openWorkbook(fromSnapshot).findRow(requests, rowId)?.cells["description"]).toBe("压缩前");
  });

  it("keeps history in PostgreSQL, and a purge leaves no purged value in any table", async () => {
    const server = await start({ databaseUrl: schema.url, compactAfterUpdates: 3 });
    const { body } = await createWorkbookOverHttp(server);
    const peer = await connect(server, body);
    const phone = "13700004444";
    const contact = "紧急联系人戊 13700005555";
    const rowId = peer.workbook.insertRow(requests, { description: "清除测试", phone, emergencyContact: contact });
    peer.workbook.setCell(requests, rowId, "street" as ColumnId, "复兴中路");
    await peer.acknowledged();
    const saved = await api(server, `/api/workbooks/${body.id}/versions`, body.links.editor.token, { body: { name: "清除之前" } });
    expect(saved.status).toBe(201);
    const history = await api<{ entries: { actor: string }[] }>(
      server,
      `/api/workbooks/${body.id}/rows/requests/${rowId}/history`,
      body.links.editor.token,
    );
    expect(history.body.entries.length).toBeGreaterThan(0);
    const audit = await schema.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_entries WHERE workbook_id = $1 AND row_id = $2",
      [body.id, rowId],
    );
    expect(audit.rows[0]?.n).toBeGreaterThanOrEqual(history.body.entries.length);
    expect(await tablesHolding(schema.pool, [phone])).not.toEqual([]);

    const purged = await api(server, `/api/workbooks/${body.id}/rows/requests/${rowId}/purge`, server.adminToken, { method: "POST" });
    expect(purged.status).toBe(200);
    await waitFor(() => peer.workbook.findRow(requests, rowId)?.cells["phone"] === "", "the peer to see the purge");
    expect(await tablesHolding(schema.pool, [phone, contact])).toEqual([]);
    expect(await storedCell(schema.pool, body.id, rowId, "street")).toBe("复兴中路");
    const after = await api<{ entries: { actor: string }[] }>(
      server,
      `/api/workbooks/${body.id}/rows/requests/${rowId}/history`,
      body.links.editor.token,
    );
    expect(after.body.entries.map((entry) => entry.actor)).toContain("编辑者");
  });
});

/** Every table of the schema, every row, every value (bytea as bytes): where the needles occur. */
async function tablesHolding(pool: pg.Pool, needles: readonly string[]): Promise<string[]> {
  const tables = await pool.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
  );
  const hits: string[] = [];
  for (const { table_name: table } of tables.rows) {
    const { rows } = await pool.query(`SELECT * FROM "${table}"`);
    for (const row of rows as Record<string, unknown>[]) {
      for (const [column, value] of Object.entries(row)) {
        const raw = Buffer.isBuffer(value) ? value : Buffer.from(String(value ?? ""), "utf8");
        // Stored previews are gzipped JSON: read inside them.
        const bytes = table === "previews" && column === "gzipped" ? gunzipSync(raw) : raw;
        for (const needle of needles) if (bytes.includes(Buffer.from(needle, "utf8"))) hits.push(`${needle} in ${table}.${column}`);
      }
    }
  }
  return hits;
}
