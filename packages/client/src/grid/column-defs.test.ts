import * as Schema from "@huzhu/schema";
import { type ColumnDef, type Row, type SheetId, TemplateId, createFromTemplate, findTintColumn } from "@huzhu/schema";
import type { ColDef, ValueGetterParams } from "ag-grid-community";
import { describe, expect, it } from "vitest";
import { Doc } from "yjs";
import { GUTTER_COLUMN_ID, compareCells, createColumnDefs, cstDay } from "./column-defs.ts";
import { CellComponent } from "./components.ts";
import { rowTintClass } from "./palette.ts";

const workbook = createFromTemplate(new Doc(), TemplateId.shanghaiMedical, { sampleData: true });
const requests = workbook.readSheet("requests" as SheetId);
const rows = workbook.listRows("requests" as SheetId);
const column = (id: string) => requests.columns.find((c) => c.id === id) as ColumnDef;
const defs = createColumnDefs(requests, { readOnly: false });
const def = (id: string) => defs.find((d) => d.colId === id) as ColDef<Row>;
const get = (d: ColDef<Row>, row: Row, key: "valueGetter" | "filterValueGetter") =>
  (d[key] as (p: ValueGetterParams<Row>) => unknown)({ data: row } as ValueGetterParams<Row>);

describe("createColumnDefs", () => {
  it("puts the gutter first, pinned with the drag handle, then every schema column in order", () => {
    expect(defs.map((d) => d.colId)).toEqual([GUTTER_COLUMN_ID, ...requests.columns.map((c) => c.id)]);
    expect(defs[0]).toMatchObject({ pinned: "left", rowDrag: true, editable: false, sortable: false });
  });

  it("pins the case number and makes system columns read-only", () => {
    expect(def("caseNumber")).toMatchObject({ pinned: "left", editable: false });
    expect(def("submittedAt").editable).toBe(false);
    expect(def("urgency").editable).toBe(true);
  });

  it("turns editing off everywhere for read-only views and drops the drag handle", () => {
    const readOnly = createColumnDefs(requests, { readOnly: true });
    expect(readOnly.every((d) => !d.editable)).toBe(true);
    expect(readOnly[0]?.rowDrag).toBe(false);
  });

  it("chooses an editor and filter per column type", () => {
    expect(def("urgency")).toMatchObject({ cellEditor: "agSelectCellEditor", filter: "agTextColumnFilter" });
    expect(def("description")).toMatchObject({ cellEditor: CellComponent.longTextEditor, cellEditorPopup: true });
    expect(def("verifiedAt")).toMatchObject({ cellEditor: CellComponent.dateTimeEditor, filter: "agDateColumnFilter" });
    expect(def("age")).toMatchObject({ cellEditor: CellComponent.inputEditor, filter: "agNumberColumnFilter" });
    expect(def("phone").cellEditorParams).toMatchObject({ inputType: "tel" });
    expect(def("chatGroup")).toMatchObject({ cellEditor: CellComponent.chatGroupEditor, cellEditorPopup: true });
    expect(def("urgency").cellEditorParams.values).toEqual(["", "critical", "urgent", "high", "normal"]);
    const format = def("urgency").valueFormatter as (p: { value: unknown }) => string;
    expect([format({ value: "urgent" }), format({ value: "" }), format({ value: null })]).toEqual(["紧急", "（清空）", ""]);
  });

  it("reads plain cell values, and filters on what people see (labels, CST days)", () => {
    const first = rows[0] as Row;
    expect(get(def("urgency"), first, "valueGetter")).toBe("critical");
    expect(get(def("urgency"), first, "filterValueGetter")).toBe("危急");
    const day = get(def("submittedAt"), first, "filterValueGetter") as Date;
    expect([day.getFullYear(), day.getMonth() + 1, day.getDate()]).toEqual([2022, 4, 10]);
  });

  it("uses the schema width, else a width for the type", () => {
    expect(def("description").width).toBe(280);
    expect(def("street").width).toBe(140);
  });
});

describe("compareCells", () => {
  it("sorts options by their position and keeps empty cells last either way", () => {
    const urgency = column("urgency");
    const sorted = ["normal", null, "critical", "urgent"].sort((a, b) => compareCells(urgency, a, b));
    expect(sorted).toEqual(["critical", "urgent", "normal", null]);
    expect(compareCells(urgency, null, "critical", true)).toBeLessThan(0);
  });

  it("compares numbers numerically and text by pinyin", () => {
    expect(compareCells(column("age"), 9, 10)).toBeLessThan(0);
    expect(compareCells(column("patientName"), "张某", "李某")).toBeGreaterThan(0);
  });
});

describe("cstDay", () => {
  it("gives the Beijing calendar day even when UTC is still on the day before", () => {
    const day = cstDay("2022-04-09T17:30:00.000Z") as Date;
    expect([day.getMonth() + 1, day.getDate()]).toEqual([4, 10]);
    expect(cstDay(null)).toBeNull();
  });
});

describe("row tint", () => {
  it("tints rows by urgency: 危急 red, 紧急 orange, 较急 yellow, 一般 none", () => {
    const tint = findTintColumn(requests);
    const cls = (urgency: string | null) => rowTintClass(tint, { ...(rows[0] as Row), cells: { urgency } });
    expect([cls("critical"), cls("urgent"), cls("high"), cls("normal"), cls(null)]).toEqual([
      "hz-tint-red",
      "hz-tint-orange",
      "hz-tint-yellow",
      undefined,
      undefined,
    ]);
    // Hospitals are tinted by their intake status (停诊 red, 正常接诊 green), which has a tint too.
    const hospitals = workbook.readSheet("hospitals" as SheetId);
    expect(rowTintClass(findTintColumn(hospitals), { ...(rows[0] as Row), cells: { intake: "open" } })).toBe("hz-tint-green");
  });
});

it("maps every column type the schema has", () => {
  for (const type of Object.values(Schema.ColumnType)) {
    const d = createColumnDefs({ columns: [{ ...column("street"), type, id: "x" as never, order: "a0" }] }, { readOnly: false })[1];
    expect(d?.cellEditor, type).toBeTruthy();
  }
});
