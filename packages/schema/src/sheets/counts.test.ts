import { describe, expect, it } from "vitest";
import { Doc } from "yjs";
import type { Row } from "../doc/read.ts";
import type { SheetId } from "../ids.ts";
import { countSheet, countedColumns } from "./counts.ts";
import { TemplateId, createFromTemplate } from "./templates.ts";

const workbook = createFromTemplate(new Doc(), TemplateId.shanghaiMedical, { sampleData: true });
const requests = workbook.readSheet("requests" as SheetId);
const rows = workbook.listRows("requests" as SheetId);
const count = (result: ReturnType<typeof countSheet>, columnId: string, option: string | null) =>
  result.columns.find((c) => c.column.id === columnId)?.buckets.find((b) => b.id === option)?.count;

describe("countSheet", () => {
  it("counts urgency first, then each status column", () => {
    expect(countedColumns(requests).map((c) => c.id)).toEqual(["urgency", "verification", "followUp"]);
  });

  it("counts rows per option, listing options at zero, and totals match", () => {
    const result = countSheet(requests, rows);
    expect(result.total).toBe(rows.length);
    for (const { buckets } of result.columns) expect(buckets.reduce((n, b) => n + b.count, 0)).toBe(rows.length);
    const expected = rows.filter((r) => r.cells.verification === "verified").length;
    expect(count(result, "verification", "verified")).toBe(expected);
    expect(result.columns[1]?.buckets.map((b) => b.label).slice(0, 5)).toEqual(["待核实", "已核实", "无法联系", "信息有误", "重复"]);
  });

  it("leaves trashed rows out and puts empty or unknown values under 未填写", () => {
    const trashed: Row = { ...(rows[0] as Row), deletedAt: "2022-04-12T00:00:00.000Z" };
    const blank: Row = { ...(rows[1] as Row), cells: { ...(rows[1] as Row).cells, followUp: null } };
    const result = countSheet(requests, [trashed, blank]);
    expect(result.total).toBe(1);
    expect(count(result, "followUp", null)).toBe(1);
    expect(result.columns[2]?.buckets.at(-1)).toMatchObject({ label: "未填写", count: 1 });
  });

  it("follows an edit", () => {
    const before = count(countSheet(requests, workbook.listRows(requests.id)), "urgency", "critical") ?? 0;
    const target = rows.find((r) => r.cells.urgency !== "critical") as Row;
    workbook.setCell(requests.id, target.id, "urgency" as never, "危急");
    expect(count(countSheet(requests, workbook.listRows(requests.id)), "urgency", "critical")).toBe(before + 1);
  });
});
