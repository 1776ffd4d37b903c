import { type ColumnDef, type RowId, type SheetId, TemplateId, createFromTemplate } from "@huzhu/schema";
import { describe, expect, it } from "vitest";
import { Doc } from "yjs";
import { describePasteProblems, planPaste } from "./paste-plan.ts";

const workbook = createFromTemplate(new Doc(), TemplateId.shanghaiMedical, { sampleData: true });
const sheetId = "requests" as SheetId;
const columns = workbook.readSheet(sheetId).columns as readonly ColumnDef[];
const rowIds = workbook.listRows(sheetId).map((r) => r.id);
const at = (id: string) => columns.findIndex((c) => c.id === id);

describe("planPaste", () => {
  it("maps a block from the focused cell onto the rows and columns that follow", () => {
    const plan = planPaste(
      [
        ["紧急", "血透"],
        ["危急", "配药"],
      ],
      { rowIds, columns, startRow: 1, startColumn: at("urgency") },
    );
    expect(plan.problems).toEqual([]);
    expect(plan.updates).toEqual([
      { rowId: rowIds[1], cells: { urgency: "紧急", category: "血透" } },
      { rowId: rowIds[2], cells: { urgency: "危急", category: "配药" } },
    ]);
    expect(plan.inserts).toEqual([]);
  });

  it("adds rows past the end, drops columns past the last, skips system columns", () => {
    const last = columns.length - 1;
    const plan = planPaste([["SH-9999", "2022-04-12 10:00", "较急"], ["x"], ["SH-1", "", "一般"]], {
      rowIds: rowIds.slice(0, 1) as RowId[],
      columns,
      startRow: 0,
      startColumn: 0,
    });
    expect(plan.skipped).toBe(5);
    expect(plan.updates).toEqual([{ rowId: rowIds[0], cells: { urgency: "较急" } }]);
    expect(plan.inserts).toEqual([{ urgency: "一般" }]);
    const edge = planPaste([["备注", "https://example.org/g", "overflow"]], { rowIds, columns, startRow: 0, startColumn: last - 1 });
    expect(Object.keys(edge.updates[0]?.cells ?? {})).toEqual([columns[last - 1]?.id, columns[last]?.id]);
  });

  it("refuses the whole paste when any value is invalid, naming where", () => {
    const plan = planPaste([["血透", "abc"]], { rowIds, columns, startRow: 0, startColumn: at("category") });
    expect(plan.problems).toHaveLength(1);
    expect(plan.problems[0]).toMatchObject({ line: 1, columnLabel: "所在区" });
    expect(describePasteProblems(plan.problems)).toMatch(/^粘贴未完成，没有写入任何内容：第 1 行「所在区」需要以下之一：黄浦区/);
  });
});
