import { type PublicWorkbook, type SheetId, createFromTemplate, publicProjection } from "@huzhu/schema";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  PAGE_SIZE,
  cardOf,
  chosenSheet,
  matchingRows,
  nextExpiry,
  pageHref,
  readPageQuery,
  resultPage,
  statusCounts,
} from "./view-model.ts";

const REQUESTS = "requests" as SheetId;

function sampleView(extraRows = 0): PublicWorkbook {
  const workbook = createFromTemplate(new Y.Doc(), "shanghai-medical", { sampleData: true });
  workbook.insertRow(REQUESTS, {
    caseNumber: "SH-0100",
    urgency: "critical",
    category: "dialysis",
    district: "xuhui",
    verification: "verified",
    followUp: "todo",
    description: "需要胰岛素（测试行）",
    phone: "13912345678",
    patientName: "隐私姓名",
    chatGroup: "https://example.org/g/1 | 2099-01-01 00:00",
  });
  for (let i = 0; i < extraRows; i += 1) workbook.insertRow(REQUESTS, { verification: "verified", description: `批量 ${i}` });
  return publicProjection(workbook);
}

describe("public page view model", () => {
  it("reads the address as the server does: sheet, trimmed search, page clamped to 1…100000", () => {
    expect(readPageQuery("?sheet=requests&q=%20血透%20&page=3")).toEqual({ sheetId: "requests", query: "血透", page: 3 });
    expect(readPageQuery("")).toEqual({ sheetId: undefined, query: "", page: 1 });
    expect(readPageQuery("?page=-2").page).toBe(1);
    expect(readPageQuery("?page=999999999").page).toBe(100_000);
    expect(readPageQuery(`?q=${"字".repeat(150)}`).query).toHaveLength(100);
  });

  it("builds tab, search and next-page addresses like the server's links", () => {
    expect(pageHref("/p/tok", "requests")).toBe("/p/tok?sheet=requests");
    expect(pageHref("/p/tok", "requests", "血 透", 2)).toBe("/p/tok?sheet=requests&page=2&q=%E8%A1%80%20%E9%80%8F");
  });

  it("shows the requested tab, else the first", () => {
    const view = sampleView();
    expect(chosenSheet(view, "hospitals")?.name).toBe("医院");
    expect(chosenSheet(view, "nope")?.id).toBe(view.sheets[0]?.id);
  });

  it("makes a card: case number as title, up to four chips, urgency tint, chat group with expiry, no private column", () => {
    const view = sampleView();
    const sheet = chosenSheet(view, "requests");
    const row = sheet?.rows.find((r) => r.cells["caseNumber"] === "SH-0100");
    if (!sheet || !row) throw new Error("the test request is not public");
    const card = cardOf(sheet, row, new Date("2026-01-01T00:00:00Z"));
    expect(card.title).toBe("SH-0100");
    expect(card.tint).toBe("red");
    expect(card.chips.map((c) => c.label)).toEqual(["危急", "血透", "徐汇区", "已核实"]);
    expect(card.details.map((d) => d.label)).toContain("需求描述");
    expect(card.details.find((d) => d.label === "跟进状态")?.cell).toEqual({
      kind: "chip",
      chip: { label: "待跟进", color: "orange", title: "跟进状态" },
    });
    expect(card.details.find((d) => d.label === "群聊")?.cell).toEqual({
      kind: "chatGroup",
      url: "https://example.org/g/1",
      expired: false,
      expiry: "2099-01-01 00:00",
    });
    expect(JSON.stringify(card)).not.toMatch(/13912345678|隐私姓名/);
    const later = cardOf(sheet, row, new Date("2099-06-01T00:00:00Z"));
    expect(later.details.find((d) => d.label === "群聊")?.cell).toMatchObject({ expired: true });
  });

  it("searches every shown value, case-insensitively, and pages by 100", () => {
    const view = sampleView(PAGE_SIZE + 5);
    const sheet = chosenSheet(view, "requests");
    if (!sheet) throw new Error("no requests sheet");
    expect(matchingRows(sheet, "测试行").map((r) => r.cells["caseNumber"])).toContain("SH-0100");
    expect(matchingRows(sheet, "HTTPS://EXAMPLE.ORG/G/1")).toHaveLength(1);
    const first = resultPage(sheet, { sheetId: "requests", query: "", page: 1 });
    expect(first.rows).toHaveLength(PAGE_SIZE);
    expect(first.more).toBe(true);
    expect(first.countLine).toBe(`共 ${sheet.rows.length} 条，第 1 页`);
    const beyond = resultPage(sheet, { sheetId: "requests", query: "", page: 50 });
    expect(beyond.page).toBe(2);
    expect(beyond.more).toBe(false);
    expect(resultPage(sheet, { sheetId: "requests", query: "测试行", page: 1 }).countLine).toBe("共 1 条（搜索「测试行」）");
  });

  it("counts public rows per status for 首页, and finds the next chat-group expiry", () => {
    const view = sampleView();
    const counts = statusCounts(view);
    expect(counts.find((c) => c.label === "求助 · 已核实")?.count).toBeGreaterThan(0);
    expect(counts.every((c) => c.count > 0)).toBe(true);
    expect(nextExpiry(view, Date.parse("2026-01-01T00:00:00Z"))).toBe(Date.parse("2098-12-31T16:00:00Z"));
    expect(nextExpiry(view, Date.parse("2100-01-01T00:00:00Z"))).toBeNull();
  });
});
