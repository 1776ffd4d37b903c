import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { SchemaError } from "../errors.ts";
import { openWorkbook } from "../doc/workbook.ts";
import { SheetKey, sheetsMap } from "../doc/layout.ts";
import type { ColumnId, SheetId } from "../ids.ts";
import { applyProjection, publicProjection } from "../projection.ts";
import { findTintColumn, rowTint } from "./card.ts";
import { createFromTemplate } from "./templates.ts";

const requests = "requests" as SheetId;
const hospitals = "hospitals" as SheetId;

function shanghai() {
  return createFromTemplate(new Y.Doc(), "shanghai-medical", { sampleData: false });
}

describe("the column that tints rows", () => {
  it("is chosen per sheet: urgency for requests, intake status for hospitals in the template", () => {
    const workbook = shanghai();
    expect(workbook.readSheet(requests).tintColumn).toBe("urgency");
    expect(workbook.readSheet(hospitals).tintColumn).toBe("intake");
    const [row] = workbook.insertRows(hospitals, [{ intake: "停诊" }]);
    const sheet = workbook.readSheet(hospitals);
    expect(rowTint(findTintColumn(sheet), workbook.findRow(hospitals, row!)!.cells)).toBe("red");
  });

  it("can be another select or status column, or none; anything else is refused", () => {
    const workbook = shanghai();
    workbook.updateSheet(requests, { tintColumn: "category" as ColumnId });
    expect(workbook.readSheet(requests).tintColumn).toBe("category");
    workbook.updateSheet(requests, { tintColumn: null });
    expect(workbook.readSheet(requests).tintColumn).toBeNull();
    expect(findTintColumn(workbook.readSheet(requests))).toBeUndefined();
    expect(() => workbook.updateSheet(requests, { tintColumn: "description" as ColumnId })).toThrow(SchemaError);
    expect(() => workbook.updateSheet(requests, { tintColumn: "nowhere" as ColumnId })).toThrow(/select or status/);
    expect(workbook.readSheet(requests).tintColumn).toBeNull();
  });

  it("is urgency for a sheet that never named one (workbooks made before it could be chosen)", () => {
    const workbook = shanghai();
    const sheet = sheetsMap(workbook.ydoc).get(requests) as Y.Map<unknown>;
    sheet.delete(SheetKey.tintColumn);
    expect(workbook.readSheet(requests).tintColumn).toBe("urgency");
    // A column named so that cannot tint (not a select) tints nothing.
    const other = openWorkbook(new Y.Doc());
    const id = other.addSheet({ name: "表", columns: [{ id: "urgency", type: "text", label: "紧急程度" }] });
    expect(other.readSheet(id).tintColumn).toBeNull();
  });

  it("reaches the public view and its document only while the column is public", () => {
    const workbook = shanghai();
    const target = new Y.Doc();
    applyProjection(publicProjection(workbook), target);
    expect(openWorkbook(target).readSheet(requests).tintColumn).toBe("urgency");
    workbook.updateColumn(requests, "urgency" as ColumnId, { private: true });
    const view = publicProjection(workbook);
    expect(view.sheets.find((s) => s.id === requests)?.tintColumn).toBeNull();
    applyProjection(view, target);
    expect(openWorkbook(target).readSheet(requests).tintColumn).toBeNull();
  });
});
