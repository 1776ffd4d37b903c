import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { SheetId } from "./ids.ts";
import { fromPreviewRows, toPreviewRows } from "./preview-rows.ts";
import { createFromTemplate } from "./sheets/templates.ts";

const requests = "requests" as SheetId;

describe("preview rows", () => {
  it("read back as the rows they were made from, far smaller than Row objects in JSON", () => {
    const workbook = createFromTemplate(new Y.Doc(), "shanghai-medical", { sampleData: true });
    const [closed] = workbook.insertRows(requests, [{ description: "已关闭", followUp: "已关闭", phone: "13912345678" }]);
    workbook.stampClosed(requests, closed!, new Date("2026-12-01T00:00:00Z"));
    const { columns } = workbook.readSheet(requests);
    const rows = workbook.listRows(requests);
    const wire = JSON.parse(JSON.stringify(toPreviewRows(columns, rows)));
    expect(fromPreviewRows(columns, wire)).toEqual(rows);
    expect(JSON.stringify(wire).length).toBeLessThan(JSON.stringify(rows).length * 0.7);
  });
});
