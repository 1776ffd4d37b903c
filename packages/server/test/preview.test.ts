import { type RowId, type SheetId, type WorkbookPreview, fromPreviewRows } from "@huzhu/schema";
import { describe, expect, it } from "vitest";
import type { HuzhuServer } from "../src/index.ts";
import { buildPreview } from "../src/preview/editor-preview.ts";
import { createWorkbookOverHttp, useHarness } from "./helpers.ts";
import { issueLink } from "./history-helpers.ts";

const requests = "requests" as SheetId;

async function preview(server: HuzhuServer, workbookId: string, token: string, sheet?: string, encoding = "gzip") {
  const query = sheet ? `?sheet=${sheet}` : "";
  const response = await fetch(`${server.url}/api/workbooks/${workbookId}/preview${query}`, {
    headers: { authorization: `Bearer ${token}`, "accept-encoding": encoding },
  });
  const text = await response.text();
  const body = JSON.parse(text) as WorkbookPreview & { error?: { code: string } };
  return {
    status: response.status,
    headers: response.headers,
    text,
    body,
    rows: fromPreviewRows(body.sheet?.columns ?? [], body.rows ?? []),
  };
}

describe("editor preview", () => {
  const { start, peer: connect } = useHarness();

  it("gives editor and admin links one tab's rows, private cells included, gzipped and never cached", async () => {
    const server = await start();
    const { body: created } = await createWorkbookOverHttp(server, { template: "shanghai-medical", title: "预览测试" });
    const peer = await connect(server, created);
    const rowId = peer.workbook.insertRow(requests, { description: "需要透析", phone: "13511112222" }) as RowId;
    const trashed = peer.workbook.insertRow(requests, { description: "已删除的求助" }) as RowId;
    peer.workbook.deleteRow(requests, trashed);
    await peer.acknowledged();

    const answer = await preview(server, created.id, created.links.editor.token, "requests");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-encoding")).toBe("gzip");
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(answer.body.title).toBe("预览测试");
    expect(answer.body.sheets.map((s) => s.id)).toContain("requests");
    expect(answer.body.sheet?.id).toBe("requests");
    expect(answer.body.sheet?.columns.some((c) => c.id === "phone")).toBe(true);
    expect(answer.rows.map((r) => r.id)).toEqual([rowId]);
    expect(answer.rows[0]?.cells["phone"]).toBe("13511112222");
    expect(answer.rows[0]?.cells["description"]).toBe("需要透析");

    const plain = await preview(server, created.id, created.links.editor.token, "requests", "identity");
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(plain.body).toEqual(answer.body);

    const admin = await issueLink(server, created.id, "admin", "协调人");
    expect((await preview(server, created.id, admin, "requests")).body.rows).toHaveLength(1);
  });

  it("follows the document: a change made after one preview is in the next (a cleared phone is gone)", async () => {
    const server = await start();
    const { body: created } = await createWorkbookOverHttp(server);
    const peer = await connect(server, created);
    const rowId = peer.workbook.insertRow(requests, { description: "求助", phone: "13511112222" }) as RowId;
    await peer.acknowledged();
    const token = created.links.editor.token;
    expect((await preview(server, created.id, token, "requests")).text).toContain("13511112222");

    peer.workbook.setCell(requests, rowId, "phone" as never, null);
    peer.workbook.setCell(requests, rowId, "description" as never, "已改");
    await peer.acknowledged();
    const after = await preview(server, created.id, token, "requests");
    expect(after.text).not.toContain("13511112222");
    expect(after.rows[0]?.cells["description"]).toBe("已改");
  });

  it("opens on the first tab when none or an unknown one is asked for: the 首页 text and its figures, no rows", async () => {
    const server = await start();
    const { body: created } = await createWorkbookOverHttp(server, { template: "shanghai-medical", title: "首页", sampleData: true });
    for (const sheet of [undefined, "nosuchsheet"]) {
      const answer = await preview(server, created.id, created.links.editor.token, sheet);
      expect(answer.status).toBe(200);
      expect(answer.body.sheet?.kind).toBe("notice");
      expect(answer.body.sheet?.body.length).toBeGreaterThan(0);
      expect(answer.body.rows).toEqual([]);
      const requestCounts = answer.body.counts.find((c) => c.sheetId === "requests");
      expect(requestCounts?.total).toBeGreaterThan(0);
    }
  });

  it("answers with the preview the last compaction stored while nothing changed the workbook since: not loaded (after a restart, without loading it) or loaded", async () => {
    const first = await start();
    const { body: created } = await createWorkbookOverHttp(first, { template: "shanghai-medical", title: "重启预览", sampleData: true });
    const peer = await connect(first, created);
    const rowId = peer.workbook.insertRow(requests, { description: "重启前写入", phone: "13511113333" }) as RowId;
    await peer.acknowledged();
    peer.destroy();
    // A graceful stop compacts every workbook, with the previews of its tabs.
    await first.close();
    const server = await start({ dataDir: first.dataDir, adminToken: first.adminToken });
    const token = created.links.editor.token;

    const stored = await preview(server, created.id, token, "requests");
    expect(stored.status).toBe(200);
    expect(stored.headers.get("huzhu-preview")).toBe("stored");
    expect(stored.headers.get("cache-control")).toBe("no-store");
    expect(stored.rows.find((r) => r.id === rowId)?.cells).toMatchObject({ description: "重启前写入", phone: "13511113333" });
    const firstTab = await preview(server, created.id, token);
    expect(firstTab.body.sheet?.kind).toBe("notice");
    expect((await preview(server, created.id, token, "requests")).headers.get("huzhu-preview")).toBe("stored");
    // Loaded (here by an editor's WebSocket) and unchanged, the workbook is still answered with it,
    // and it is exactly the preview of what the workbook holds.
    const editor = await connect(server, created);
    const loaded = await preview(server, created.id, token, "requests", "identity");
    expect(loaded.headers.get("huzhu-preview")).toBe("stored");
    expect(loaded.body).toEqual(stored.body);
    const built = (sheetId: string | null) => JSON.parse(JSON.stringify(buildPreview(editor.provider.document, sheetId))) as unknown;
    expect(stored.body).toEqual(built("requests"));
    expect(firstTab.body).toEqual(built(null));

    // Once the workbook changes, only the live preview shows it.
    editor.workbook.setCell(requests, rowId, "phone" as never, null);
    await editor.acknowledged();
    const after = await preview(server, created.id, token, "requests");
    expect(after.headers.get("huzhu-preview")).toBe("live");
    expect(after.text).not.toContain("13511113333");
  });

  it("refuses public and form links (403), forged tokens (401) and malformed ids (404) without any row", async () => {
    const server = await start();
    const { body: created } = await createWorkbookOverHttp(server);
    const peer = await connect(server, created);
    peer.workbook.insertRow(requests, { description: "私密求助", phone: "13599998888" });
    await peer.acknowledged();
    const publicToken = await issueLink(server, created.id, "public", "公众");
    const formToken = await issueLink(server, created.id, "form", "表单");
    const refusals = [
      { token: publicToken, status: 403, code: "forbidden" },
      { token: formToken, status: 403, code: "forbidden" },
      { token: `${created.links.editor.token.slice(0, -2)}xx`, status: 401 },
      { token: "", status: 401 },
    ];
    for (const { token, status, code } of refusals) {
      const answer = await preview(server, created.id, token, "requests");
      expect(answer.status).toBe(status);
      if (code) expect(answer.body.error?.code).toBe(code);
      expect(answer.text).not.toContain("13599998888");
    }
    expect((await preview(server, "not-a-workbook", created.links.editor.token)).status).toBe(404);
  });
});
