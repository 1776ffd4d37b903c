import type { RowId, SheetId, Workbook } from "@huzhu/schema";
import { openWorkbook, publicProjection } from "@huzhu/schema";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { CreatedWorkbook, HuzhuServer } from "../src/index.ts";
import { api, publicName, rowsOf, usePeers } from "./audiences-helpers.ts";
import { createWorkbookOverHttp, openDatabase, useHarness, waitFor } from "./helpers.ts";

const requests = "requests" as SheetId;

/** What a viewer can read of a workbook or projection: sheets, column ids and rows. */
function visible(workbook: Workbook) {
  return publicProjection(workbook).sheets.map((sheet) => ({
    id: sheet.id,
    name: sheet.name,
    body: sheet.body,
    columns: sheet.columns.map((column) => [column.id, column.label, column.type]),
    rows: sheet.rows,
  }));
}

describe("the public projection document", () => {
  const { start } = useHarness();
  const peers = usePeers();

  async function setUp(): Promise<{ server: HuzhuServer; created: CreatedWorkbook }> {
    const server = await start();
    const created = (await createWorkbookOverHttp(server, { template: "shanghai-medical", title: "公开测试", sampleData: true })).body;
    return { server, created };
  }

  it("holds exactly the workbook's public projection: public sheets, columns and rows only", async () => {
    const { server, created } = await setUp();
    const editor = await peers.synced(server, created.id, created.links.editor.token);
    const viewer = await peers.synced(server, publicName(created), created.links.public.token);
    expect(visible(viewer.workbook)).toEqual(visible(editor.workbook));
    const sheets = viewer.workbook.listSheets().map((sheet) => sheet.id);
    expect(sheets).toEqual(["notice", "requests", "channels", "hospitals"]);
    const columns = viewer.workbook.readSheet(requests).columns.map((column) => column.id);
    for (const secret of ["phone", "patientName", "address", "emergencyContact", "notes", "duplicateOf"])
      expect(columns).not.toContain(secret);
    const published = editor.workbook
      .listRows(requests)
      .filter((row) => row.cells["verification"] === "verified" && row.cells["followUp"] !== "closed")
      .map((row) => row.id);
    expect(rowsOf(viewer.workbook, "requests").map((row) => row.id)).toEqual(published);
    expect(published.length).toBeLessThan(editor.workbook.listRows(requests).length);
  });

  it("shows a public edit to viewers within a second, and a row as it is published and unpublished", async () => {
    const { server, created } = await setUp();
    const editor = await peers.synced(server, created.id, created.links.editor.token);
    const viewer = await peers.synced(server, publicName(created), created.links.public.token);
    const rowId = editor.workbook.insertRow(requests, { description: "刚提交的求助", urgency: "high" });
    await editor.acknowledged();

    let started = Date.now();
    editor.workbook.setCells(requests, rowId, { verification: "verified" });
    await waitFor(() => viewer.workbook.findRow(requests, rowId) !== undefined, "the verified row at the viewer", 1_000);
    expect(Date.now() - started).toBeLessThan(1_000);

    started = Date.now();
    editor.workbook.setCell(requests, rowId, "description" as never, "已核实：需要胰岛素");
    await waitFor(() => viewer.workbook.findRow(requests, rowId)?.cells["description"] === "已核实：需要胰岛素", "the edit", 1_000);
    expect(Date.now() - started).toBeLessThan(1_000);

    editor.workbook.setCells(requests, rowId, { followUp: "closed" });
    await waitFor(() => viewer.workbook.findRow(requests, rowId) === undefined, "the closed row to leave the public view", 1_000);
  });

  it("batches bursts: 100 keystrokes become a handful of public updates, ending in the last value", async () => {
    const { server, created } = await setUp();
    const editor = await peers.synced(server, created.id, created.links.editor.token);
    const viewer = await peers.synced(server, publicName(created), created.links.public.token);
    const rowId = rowsOf(viewer.workbook, "requests")[0]?.id as RowId;
    let updates = 0;
    viewer.provider.document.on("update", () => {
      updates += 1;
    });
    for (let i = 1; i <= 100; i += 1) {
      editor.workbook.setCell(requests, rowId, "description" as never, `输入中 ${"字".repeat(i)}`);
      if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await waitFor(() => viewer.workbook.findRow(requests, rowId)?.cells["description"] === `输入中 ${"字".repeat(100)}`, "the last value");
    expect(updates).toBeLessThanOrEqual(6);
  });

  it("is derived, never stored, and rebuilt from the workbook when it loads again", async () => {
    const { server, created } = await setUp();
    const editor = await peers.synced(server, created.id, created.links.editor.token);
    const first = await peers.synced(server, publicName(created), created.links.public.token);
    const view = publicProjection(first.workbook);
    first.destroy();
    const rowId = editor.workbook.insertRow(requests, { description: "看不见时核实的", verification: "verified" });
    await editor.acknowledged();

    const again = await peers.synced(server, publicName(created), created.links.public.token);
    await waitFor(
      () => again.workbook.findRow(requests, rowId)?.cells["description"] === "看不见时核实的",
      "the row verified meanwhile",
      1_000,
    );
    expect(publicProjection(again.workbook).sheets.length).toBe(view.sheets.length);
    // A public edit while someone watches, then everyone leaves: nothing of the public document
    // may be stored anywhere (log, snapshots, versions, audit), by any extension.
    editor.workbook.setCell(requests, rowId, "description" as never, "看着时改的");
    await waitFor(() => again.workbook.findRow(requests, rowId)?.cells["description"] === "看着时改的", "the edit");
    again.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const db = openDatabase(server.dataDir);
    try {
      for (const table of ["updates", "snapshots", "versions"]) {
        const column = table === "versions" ? "workbook_id" : "doc_name";
        const rows = db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} LIKE '%.public'`).get() as { n: number };
        expect(rows.n, table).toBe(0);
      }
      const audit = db.prepare("SELECT COUNT(*) AS n FROM audit_entries WHERE workbook_id LIKE '%.public'").get() as { n: number };
      expect(audit.n, "audit entries").toBe(0);
    } finally {
      db.close();
    }
  });

  it("is deterministic and idempotent: two servers on one database build the same public documents", async () => {
    const { server, created } = await setUp();
    const second = await start({ dataDir: server.dataDir });
    const one = await peers.synced(server, publicName(created), created.links.public.token);
    const two = await peers.synced(second, publicName(created), created.links.public.token);
    expect(visible(two.workbook)).toEqual(visible(one.workbook));
    // Applying what one instance built onto the other's changes nothing and duplicates no row.
    const merged = new Y.Doc();
    Y.applyUpdate(merged, Y.encodeStateAsUpdate(one.provider.document));
    Y.applyUpdate(merged, Y.encodeStateAsUpdate(two.provider.document));
    const rows = openWorkbook(merged).listRows(requests);
    expect(rows.map((row) => row.id)).toEqual(rowsOf(one.workbook, "requests").map((row) => row.id));
    expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
  });
});

describe("GET /p/<token> and /p/<token>.json", () => {
  const { start } = useHarness();
  const peers = usePeers();

  it("serves the page and the JSON with a strong ETag, Cache-Control, and 304 for a matching If-None-Match", async () => {
    const server = await start({ clientDir: mkdtempSync(join(tmpdir(), "huzhu-no-client-")) });
    const created = (await createWorkbookOverHttp(server, { template: "shanghai-medical", title: "公开页", sampleData: true })).body;
    const url = `${server.url}/p/${created.links.public.token}`;
    const page = await fetch(`${url}?sheet=requests`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("cache-control")).toBe("public, max-age=5, stale-while-revalidate=30");
    // fetch asks for gzip: the compressed answer carries the weak form of the strong ETag.
    expect(page.headers.get("content-encoding")).toBe("gzip");
    expect(page.headers.get("vary")).toBe("Accept-Encoding");
    const etag = (page.headers.get("etag") as string).replace(/^W\//, "");
    expect(page.headers.get("etag")).toBe(`W/${etag}`);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    const html = await page.text();
    expect(html).toContain("<title>公开页</title>");
    expect(html).toContain('aria-current="page">求助</a>');
    expect(html).not.toContain("<script");

    const revalidated = await fetch(`${url}?sheet=requests`, { headers: { "if-none-match": `W/${etag}` } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("etag")).toBe(`W/${etag}`);
    const identity = await fetch(`${url}?sheet=requests`, { headers: { "accept-encoding": "identity" } });
    expect(identity.headers.get("content-encoding")).toBeNull();
    expect(identity.headers.get("etag")).toBe(etag);
    expect(await identity.text()).toBe(html);
    expect(await revalidated.text()).toBe("");
    expect((await fetch(`${url}?sheet=hospitals`, { headers: { "if-none-match": etag } })).status).toBe(200);

    const json = await fetch(`${url}.json`);
    expect(json.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const jsonEtag = (json.headers.get("etag") as string).replace(/^W\//, "");
    const body = (await json.json()) as { title: string; updatedAt: string; sheets: { id: string }[] };
    expect(body.title).toBe("公开页");
    expect(Date.parse(body.updatedAt)).toBeGreaterThan(0);
    expect(body.sheets.map((sheet) => sheet.id)).toEqual(["notice", "requests", "channels", "hospitals"]);
    expect((await fetch(`${url}.json`, { headers: { "if-none-match": `W/${jsonEtag}, "other"` } })).status).toBe(304);
    const head = await fetch(`${url}.json`, { method: "HEAD", headers: { "accept-encoding": "identity" } });
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(jsonEtag);

    // An edit to a public value changes both ETags; the old one no longer gets a 304.
    const admin = await peers.synced(server, created.id, created.links.admin.token);
    admin.workbook.setMeta({ title: "公开页（更新）" });
    await admin.acknowledged();
    let changed: Response | undefined;
    const deadline = Date.now() + 2_000;
    while (!changed && Date.now() < deadline) {
      const answer = await fetch(`${url}.json`, { headers: { "if-none-match": jsonEtag } });
      if (answer.status === 200) changed = answer;
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(changed?.headers.get("etag")).not.toBe(`W/${jsonEtag}`);
    expect(((await (changed as Response).json()) as { title: string }).title).toBe("公开页（更新）");
    expect((await fetch(`${url}?sheet=requests`, { headers: { "if-none-match": etag } })).status).toBe(200);
  });

  it("answers page query parameters, and loads the client's live script when the build has one", async () => {
    const clientDir = mkdtempSync(join(tmpdir(), "huzhu-client-"));
    writeFileSync(join(clientDir, "public-live.js"), "export {};");
    const server = await start({ clientDir });
    const created = (await createWorkbookOverHttp(server, { template: "shanghai-medical", title: "查询", sampleData: true })).body;
    const url = `${server.url}/p/${created.links.public.token}`;
    const channels = await (await fetch(`${url}?sheet=channels&q=${encodeURIComponent("血透")}`)).text();
    expect(channels).toContain("共 1 条（搜索「血透」）");
    const unknown = await fetch(`${url}?sheet=nope&page=-3&q=`);
    expect(unknown.status).toBe(200);
    const text = await unknown.text();
    expect(text).toContain('aria-current="page">首页</a>');
    expect(text).toContain('<script type="module" src="/public-live.js"></script>');
    const script = await fetch(`${server.url}/public-live.js`);
    expect(script.headers.get("cache-control")).toBe("no-cache");
  });

  it("answers unknown, revoked, expired and non-public tokens with the same Chinese 404 page (JSON: 404 error)", async () => {
    const server = await start();
    const created = (await createWorkbookOverHttp(server)).body;
    const expiring = await api(server, "POST", `/api/workbooks/${created.id}/links`, server.adminToken, {
      role: "public",
      label: "一会儿就过期",
      expiresAt: new Date(Date.now() + 300).toISOString(),
    });
    const revoked = await api(server, "POST", `/api/workbooks/${created.id}/links`, server.adminToken, { role: "public", label: "将撤销" });
    await api(server, "POST", `/api/workbooks/${created.id}/links/${revoked.body["id"]}/revoke`, server.adminToken);
    await new Promise((resolve) => setTimeout(resolve, 350));
    const tokens = [
      "x".repeat(43),
      revoked.body["token"] as string,
      expiring.body["token"] as string,
      created.links.editor.token,
      created.links.form.token,
    ];
    for (const token of tokens) {
      const page = await fetch(`${server.url}/p/${token}`);
      expect(page.status).toBe(404);
      expect(page.headers.get("cache-control")).toBe("no-store");
      expect(await page.text()).toContain("这个公开页面的链接不存在、已过期或已被撤销");
      const json = await fetch(`${server.url}/p/${token}.json`);
      expect(json.status).toBe(404);
      expect(((await json.json()) as { error: { code: string } }).error.code).toBe("not_found");
    }
  });
});
