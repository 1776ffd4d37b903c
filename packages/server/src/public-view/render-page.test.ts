import { type SheetId, createFromTemplate, publicProjection } from "@huzhu/schema";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { renderPublicPage } from "./render-page.ts";

function view() {
  const workbook = createFromTemplate(new Y.Doc(), "shanghai-medical", { sampleData: true });
  workbook.insertRow("requests" as SheetId, {
    verification: "已核实",
    followUp: "跟进中",
    description: '<script>alert("x")</script> 需要胰岛素',
    phone: "13912345678",
    patientName: "隐私姓名",
  });
  return publicProjection(workbook);
}

describe("server-rendered public page", () => {
  it("renders tabs, cards and status chips without any script, and no private value", async () => {
    const page = await renderPublicPage(view(), { basePath: "/p/tok", sheetId: "requests", updatedAt: new Date("2022-04-12T06:30:00Z") });
    expect(page).toContain('<nav><a href="/p/tok?sheet=notice"');
    expect(page).toContain("已核实");
    expect(page).toContain("最后更新 <time");
    expect(page).toContain("2022-04-12 14:30");
    // Heavy read traffic: no browser asks for /favicon.ico (a 404 on every visit) when the page names none.
    expect(page).toContain('<link rel="icon" href="data:,">');
    expect(page).not.toContain("<script>alert");
    expect(page).toContain("&#60;script&#62;alert");
    for (const secret of ["13912345678", "隐私姓名", "10000000001"]) expect(page).not.toContain(secret);
  });

  it("filters by search and shows QR codes for chat groups that have not expired", async () => {
    const page = await renderPublicPage(view(), { basePath: "/p/tok", sheetId: "channels", query: "血透", updatedAt: new Date() });
    expect(page).toContain("共 1 条（搜索「血透」）");
    const expired = await renderPublicPage(view(), { basePath: "/p/tok", sheetId: "channels", updatedAt: new Date() });
    expect(expired).toContain("已过期");
    expect(expired).not.toContain("<svg");
    expect(expired).not.toContain("进群链接");
    const row = view();
    const fresh = {
      ...row,
      sheets: row.sheets.map((s) => ({
        ...s,
        rows: s.rows.map((r) => ({
          ...r,
          cells: { ...r.cells, chatGroup: r.cells.chatGroup ? { url: "https://example.org/g", expiresAt: null } : null },
        })),
      })),
    };
    expect(await renderPublicPage(fresh, { basePath: "/p/tok", sheetId: "channels", updatedAt: new Date() })).toContain("<svg");
  });
});
