import type { Row, SheetId, Workbook } from "@huzhu/schema";
import { describe, expect, it } from "vitest";
import { applyImport, exportSheetCsv, exportWorkbookXlsx, planImport, readImportFile, suggestMapping } from "./index.ts";
import { emptyWorkbook, sampleWorkbook } from "./test-helpers.ts";

const GRID_SHEETS = ["requests", "channels", "hospitals"] as SheetId[];

/** The sample workbook with a trashed row and a row of text that export must neutralise. */
function sourceWorkbook(): Workbook {
  const workbook = sampleWorkbook();
  const requests = "requests" as SheetId;
  workbook.insertRow(requests, {
    urgency: "normal",
    description: "=1+1",
    street: "@SUM(A1)",
    verifier: "-2+3",
    phone: "+86 100 0000 0099",
    age: -5,
    notes: '逗号, "引号"\n第二行',
    verifiedAt: "2022-04-12T06:30:45.000Z",
  });
  const [first] = workbook.listRows(requests);
  workbook.deleteRow(requests, first!.id);
  return workbook;
}

/** A row's cells as import can restore them: the server's own columns are never imported. */
function importableCells(workbook: Workbook, sheetId: SheetId, rows: readonly Row[]) {
  const columns = workbook.readSheet(sheetId).columns.filter((column) => column.system === null);
  return rows.map((row) => Object.fromEntries(columns.map((column) => [column.id, row.cells[column.id]])));
}

function importInto(target: Workbook, sheetId: SheetId, file: Awaited<ReturnType<typeof readImportFile>>) {
  const plan = planImport(target, sheetId, file, suggestMapping(file, target.readSheet(sheetId)));
  expect(plan.errors).toEqual([]);
  applyImport(target, sheetId, plan);
}

describe("round trip", () => {
  it("workbook → XLSX → import gives the same cell values on every grid sheet", async () => {
    const source = sourceWorkbook();
    const xlsx = await exportWorkbookXlsx(source, { includePrivate: true });
    const target = emptyWorkbook();
    for (const sheetId of GRID_SHEETS) {
      const file = await readImportFile(xlsx, "export.xlsx", { sheetName: source.readSheet(sheetId).name });
      importInto(target, sheetId, file);
      // Seconds survive XLSX (a real date); the trashed row does not come back.
      expect(importableCells(target, sheetId, target.listRows(sheetId)), sheetId).toEqual(
        importableCells(source, sheetId, source.listRows(sheetId)),
      );
    }
  });

  it("workbook → CSV → import gives the same cell values, to the minute", async () => {
    const source = sourceWorkbook();
    const target = emptyWorkbook();
    const toMinute = (cells: Record<string, unknown>[]) =>
      cells.map((row) =>
        Object.fromEntries(
          Object.entries(row).map(([key, value]) => [key, typeof value === "string" ? value.replace(/:\d\d\.000Z$/, ":00.000Z") : value]),
        ),
      );
    for (const sheetId of GRID_SHEETS) {
      const csv = exportSheetCsv(source, sheetId, { includePrivate: true });
      const file = await readImportFile(new TextEncoder().encode(csv), `${sheetId}.csv`);
      expect(file.encoding).toBe("utf-8-bom");
      importInto(target, sheetId, file);
      expect(importableCells(target, sheetId, target.listRows(sheetId)), sheetId).toEqual(
        toMinute(importableCells(source, sheetId, source.listRows(sheetId))),
      );
    }
  });

  it("a public export imports without the private columns", async () => {
    const source = sourceWorkbook();
    const file = await readImportFile(await exportWorkbookXlsx(source, { includePrivate: false, sheetIds: ["requests"] }), "public.xlsx");
    const target = emptyWorkbook();
    const mapping = suggestMapping(file, target.readSheet("requests" as SheetId));
    expect(Object.values(mapping)).not.toContain("phone");
    expect(Object.values(mapping)).not.toContain("patientName");
    const plan = planImport(target, "requests", file, mapping);
    expect(plan.missingRequired).toEqual(["patientName", "phone"]);
    expect(plan.validRows.length).toBe(source.listRows("requests" as SheetId).length);
  });
});
