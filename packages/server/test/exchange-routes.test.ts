import { readFileSync } from "node:fs";
import type { ColumnId, RowId, SheetId } from "@huzhu/schema";
import { describe, expect, it } from "vitest";
import { readImportFile } from "../src/exchange/index.ts";
import type { HistoryEntry } from "@huzhu/schema";
import type { HuzhuServer } from "../src/index.ts";
import { createWorkbookOverHttp, useHarness, waitFor } from "./helpers.ts";
import { api, issueLink } from "./history-helpers.ts";

const requests = "requests" as SheetId;
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../src/exchange/fixtures/${name}`, import.meta.url)));

async function download(server: HuzhuServer, path: string, token: string) {
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
}

/** Posts a file as the raw body, its name in X-Filename, settings in the query string. */
async function postFile(
  server: HuzhuServer,
  path: string,
  token: string,
  bytes: Uint8Array,
  filename: string,
  query: Record<string, string>,
) {
  const response = await fetch(`${server.url}${path}?${new URLSearchParams(query)}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream", "x-filename": encodeURIComponent(filename) },
    body: bytes,
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & { error?: { code: string; messageZh?: string } },
  };
}

interface Preview {
  file: { format: string; headers: string[]; rowCount: number; sample: string[][] };
  sheet: { id: string; columns: { id: string; importable: boolean }[] };
  suggestedMapping: Record<string, string | null>;
  mapping: Record<string, string | null>;
  plan: {
    validRowCount: number;
    invalidRowCount: number;
    errors: { row: number; column: string; messageZh: string }[];
    unknownColumns: unknown[];
  };
}

describe("export routes", () => {
  const { start, peer: connect } = useHarness();

  it("exports CSV and XLSX with private columns for editors only, the public view for public links, nothing for form links", async () => {
    const server = await start();
    const { body: created } = await createWorkbookOverHttp(server, { template: "shanghai-medical", title: "导出测试", sampleData: true });
    const editor = created.links.editor.token;
    const peer = await connect(server, created);
    const verified = peer.workbook.insertRow(requests, { description: '=HYPERLINK("x")', phone: "13511112222", verification: "verified" });
    const unverified = peer.workbook.insertRow(requests, { description: "未核实的求助", phone: "13533334444" });
    await peer.acknowledged();
    expect(verified && unverified).toBeTruthy();

    const csv = await download(server, `/api/workbooks/${created.id}/export.csv?sheet=requests`, editor);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename=".*"; filename\*=UTF-8''/);
    const text = Buffer.from(csv.bytes).toString("utf8");
    expect(text.startsWith("\uFEFF")).toBe(true);
    expect(text).toContain("联系电话");
    expect(text).toContain("13511112222");
    expect(text).toContain("'=HYPERLINK");

    const withoutPrivate = Buffer.from(
      (await download(server, `/api/workbooks/${created.id}/export.csv?sheet=requests&private=0`, editor)).bytes,
    ).toString();
    expect(withoutPrivate).not.toContain("联系电话");

    const publicToken = await issueLink(server, created.id, "public", "公众");
    const publicCsv = await download(server, `/api/workbooks/${created.id}/export.csv?sheet=requests`, publicToken);
    expect(publicCsv.status).toBe(200);
    const publicText = Buffer.from(publicCsv.bytes).toString();
    expect(publicText).not.toContain("联系电话");
    expect(publicText).not.toContain("13511112222");
    expect(publicText).not.toContain("未核实的求助");
    expect(publicText).toContain("'=HYPERLINK");

    const xlsx = await download(server, `/api/workbooks/${created.id}/export.xlsx`, editor);
    expect(xlsx.status).toBe(200);
    const table = await readImportFile(xlsx.bytes, "export.xlsx", { sheetName: "求助" });
    expect(table.headers).toContain("联系电话");
    expect(table.sheetNames).toEqual(["求助", "渠道", "医院"]);

    const formToken = await issueLink(server, created.id, "form", "表单");
    expect((await download(server, `/api/workbooks/${created.id}/export.xlsx`, formToken)).status).toBe(403);
    expect((await download(server, `/api/workbooks/${created.id}/export.csv`, editor)).status).toBe(400);
    expect((await download(server, `/api/workbooks/${created.id}/export.csv?sheet=notice`, editor)).status).toBe(400);
    expect((await download(server, `/api/workbooks/${created.id}/export.csv?sheet=nope`, editor)).status).toBe(404);
  });
});

describe("import routes", () => {
  const { start, peer: connect } = useHarness();

  it("previews a file with a suggested mapping and per-row errors, changing nothing", async () => {
    const server = await start();
    const { body: created } = await createWorkbookOverHttp(server);
    const peer = await connect(server, created);
    const preview = await postFile(
      server,
      `/api/workbooks/${created.id}/import/preview`,
      created.links.editor.token,
      fixture("requests-libreoffice.xlsx"),
      "求助名单.xlsx",
      {
        sheet: "requests",
      },
    );
    expect(preview.status).toBe(200);
    const body = preview.body as unknown as Preview;
    expect(body.file.format).toBe("xlsx");
    expect(body.file.headers[0]).toBe("紧急程度");
    expect(body.suggestedMapping["0"]).toBe("urgency");
    expect(body.plan).toMatchObject({ validRowCount: 3, invalidRowCount: 1 });
    expect(body.plan.errors[0]?.messageZh).toMatch(/^第 \d+ 行/);
    expect(body.sheet.columns.find((column) => column.id === "caseNumber")?.importable).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(peer.workbook.listRows(requests)).toHaveLength(0);
  });

  it("takes multipart uploads too, with a mapping chosen by the user", async () => {
    const server = await start();
    const { body: created } = await createWorkbookOverHttp(server);
    const form = new FormData();
    form.append("file", new Blob(["姓名,电话,说明\n张某,13800001111,需要药\n李某,12,需要车\n"]), "list.csv");
    form.append("sheet", "requests");
    form.append("mapping", JSON.stringify({ 0: "patientName", 1: "phone", 2: "description" }));
    const response = await fetch(`${server.url}/api/workbooks/${created.id}/import/preview`, {
      method: "POST",
      headers: { authorization: `Bearer ${created.links.editor.token}` },
      body: form,
    });
    const body = (await response.json()) as Preview;
    expect(response.status).toBe(200);
    expect(body.mapping).toEqual({ 0: "patientName", 1: "phone", 2: "description" });
    expect(body.plan).toMatchObject({ validRowCount: 1, invalidRowCount: 1 });
    expect(body.plan.errors).toEqual([expect.objectContaining({ row: 3, column: "phone" })]);
  });

  it("applies the valid rows in one change attributed to the link, with case numbers; plans again from the file", async () => {
    const server = await start();
    const { body: created } = await createWorkbookOverHttp(server);
    const token = created.links.editor.token;
    const peer = await connect(server, created);
    // The rows arrive with their case numbers, in the same change (no row is ever seen without one).
    const seenWithout: string[] = [];
    peer.provider.document.on("update", () => {
      for (const row of peer.workbook.listRows(requests)) if (row.cells["caseNumber"] === "") seenWithout.push(row.id);
    });
    const applied = await postFile(
      server,
      `/api/workbooks/${created.id}/import/apply`,
      token,
      fixture("requests-libreoffice.xlsx"),
      "requests.xlsx",
      {
        sheet: "requests",
      },
    );
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ imported: 3 });
    const rowIds = applied.body["rowIds"] as RowId[];
    await waitFor(() => rowIds.every((rowId) => peer.workbook.findRow(requests, rowId)), "the imported rows at the peer");
    const numbers = rowIds.map((rowId) => peer.workbook.findRow(requests, rowId)?.cells["caseNumber"]);
    expect(numbers.every((number) => /^SH-\d{4}$/.test(String(number)))).toBe(true);
    expect(new Set(numbers).size).toBe(rowIds.length);
    expect(seenWithout).toEqual([]);
    expect(peer.workbook.findRow(requests, rowIds[2]!)?.cells).toMatchObject({ age: -5, phone: "+8610000000005" });
    const history = await api<{ entries: HistoryEntry[] }>(
      server,
      `/api/workbooks/${created.id}/rows/requests/${rowIds[0]}/history`,
      token,
    );
    expect(history.body.entries.find((entry) => entry.columnId === "description")).toMatchObject({ actor: "编辑者", via: "import" });

    const refused = await postFile(
      server,
      `/api/workbooks/${created.id}/import/apply`,
      token,
      fixture("requests-libreoffice.xlsx"),
      "requests.xlsx",
      {
        sheet: "requests",
        mapping: JSON.stringify({ 0: "nope" }),
      },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error?.code).toBe("unknown_column");
  });

  it("refuses oversized, empty and old-format files with clear errors, and non-editing links", async () => {
    const server = await start();
    const { body: created } = await createWorkbookOverHttp(server);
    const token = created.links.editor.token;
    const path = `/api/workbooks/${created.id}/import/preview`;
    const big = await postFile(server, path, token, new Uint8Array(11 * 1024 * 1024).fill(65), "big.csv", { sheet: "requests" });
    expect(big.status).toBe(413);
    expect(big.body.error?.code).toBe("file_too_large");
    const empty = await postFile(server, path, token, new Uint8Array(), "empty.csv", { sheet: "requests" });
    expect(empty.body.error?.code).toBe("empty_file");
    const xls = await postFile(server, path, token, fixture("hospitals.xls"), "医院.xls", { sheet: "hospitals" });
    expect(xls.status).toBe(415);
    expect(xls.body.error?.messageZh).toContain(".xlsx");
    const noSheet = await postFile(server, path, token, fixture("requests-utf8-bom.csv"), "r.csv", {});
    expect(noSheet.status).toBe(400);
    const publicToken = await issueLink(server, created.id, "public", "公众");
    expect((await postFile(server, path, publicToken, fixture("requests-utf8-bom.csv"), "r.csv", { sheet: "requests" })).status).toBe(403);
  });

  it("a 5,000-row import reaches a connected client in one update", async () => {
    const server = await start();
    const { body: created } = await createWorkbookOverHttp(server);
    const peer = await connect(server, created);
    const lines = ["需求描述,街道/小区,年龄,联系电话,备注"];
    for (let i = 0; i < 5000; i += 1)
      lines.push(
        `第${i}条需求：需要常用药物和生活物资,某某街道某某小区${i}号楼,${20 + (i % 70)},139${String(i).padStart(8, "0")},导入测试备注${i}`,
      );
    const sizes: number[] = [];
    peer.provider.document.on("update", (update: Uint8Array) => sizes.push(update.byteLength));
    const started = performance.now();
    const applied = await postFile(
      server,
      `/api/workbooks/${created.id}/import/apply`,
      created.links.editor.token,
      new TextEncoder().encode(lines.join("\n")),
      "big.csv",
      {
        sheet: "requests",
      },
    );
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ imported: 5000 });
    await waitFor(() => peer.workbook.listRows(requests).length === 5000, "all 5,000 rows at the client", 45_000);
    const ms = Math.round(performance.now() - started);
    console.info(`5,000-row import: applied and received by a client in ${ms} ms; largest update ${Math.max(...sizes)} bytes`);
    expect(Math.max(...sizes)).toBeGreaterThan(1024 * 1024);
    expect(peer.workbook.findRow(requests, (applied.body["rowIds"] as RowId[])[4999]!)?.cells["notes" as ColumnId]).toBe(
      "导入测试备注4999",
    );
  });
});
