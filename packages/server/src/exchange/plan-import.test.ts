import type { SheetId } from "@huzhu/schema";
import { describe, expect, it } from "vitest";
import { ExchangeError, type ImportTable, applyImport, planImport, readImportFile, suggestMapping } from "./index.ts";
import { docState, emptyWorkbook, fixture, sampleWorkbook } from "./test-helpers.ts";

const requests = "requests" as SheetId;

function table(headers: string[], rows: string[][]): ImportTable {
  return {
    format: "csv",
    encoding: "utf-8",
    delimiter: ",",
    headers,
    headerRowNumber: 1,
    rows,
    rowNumbers: rows.map((_, i) => i + 2),
    skippedEmpty: 0,
  };
}

describe("suggestMapping", () => {
  it("matches headers to labels or ids across full-width, case, spaces and required markers", async () => {
    const workbook = emptyWorkbook();
    const file = await readImportFile(fixture("requests-libreoffice.xlsx"), "requests.xlsx");
    expect(suggestMapping(file, workbook.readSheet(requests))).toEqual({
      0: "urgency",
      1: "category",
      2: "district",
      3: "street",
      4: "description",
      5: "patientName",
      6: "age", // ＡＧＥ → age, the column's id
      7: "phone",
      8: null, // 提交时间 is written by the server
      9: "verification",
      10: "verifiedAt",
      11: "notes",
      12: null, // 来源: no such column
    });
  });

  it("proposes each sheet column once and never a system column", () => {
    const sheet = emptyWorkbook().readSheet(requests);
    const mapping = suggestMapping(table(["编号", " 紧急程度 ", "URGENCY", "", "notes："], []), sheet);
    expect(mapping).toEqual({ 0: null, 1: "urgency", 2: null, 3: null, 4: "notes" });
  });
});

describe("planImport", () => {
  it("plans the LibreOffice file: valid rows parsed, invalid cells reported by file row, nothing changed", async () => {
    const workbook = emptyWorkbook();
    const before = docState(workbook);
    const file = await readImportFile(fixture("requests-libreoffice.xlsx"), "requests.xlsx");
    const plan = planImport(workbook, requests, file, suggestMapping(file, workbook.readSheet(requests)));
    expect(docState(workbook)).toEqual(before);

    expect(plan.validRowNumbers).toEqual([2, 3, 5]);
    expect(plan.validRows[0]).toEqual({
      urgency: "critical",
      category: "dialysis",
      district: "pudong",
      street: "花木街道某小区",
      description: "尿毒症患者，每周血透三次。\n原透析医院停诊。",
      patientName: "张某某",
      age: 67,
      phone: "10000000001",
      verification: "verified",
      verifiedAt: "2022-04-10T01:05:00.000Z",
      notes: "已联系某医院, 等待回复",
    });
    expect(plan.validRows[1]).toMatchObject({ age: 81, verification: "pending" });
    expect(plan.validRows[2]).toMatchObject({ age: -5, phone: "+8610000000005", description: '引号"测试"' });

    expect(plan.invalidRowCount).toBe(1);
    expect(plan.errors.map((e) => [e.row, e.column, e.fileColumn, e.value])).toEqual([
      [6, "urgency", "A", "很急"],
      [6, "age", "G", "abc"],
      [6, "phone", "H", "12"],
      [6, "verifiedAt", "K", "2022-13-01"],
    ]);
    expect(plan.errors[0]).toMatchObject({
      code: "invalid_cell",
      header: "紧急程度",
      message: expect.stringContaining("Row 6, 紧急程度 (cell A6)"),
      messageZh: expect.stringMatching(/^第 6 行「紧急程度」（单元格 A6）：「很急」不符合要求，需要以下之一：危急 \/ 紧急/),
    });
    expect(plan.unknownColumns).toEqual([
      { index: 8, header: "提交时间", reason: "system" },
      { index: 12, header: "来源", reason: "unmapped" },
    ]);
    expect(plan.skippedEmpty).toBe(1);
    expect(plan.missingRequired).toEqual([]);
    expect(plan.warnings).toEqual([]);
  });

  it("imports rows with empty required cells but warns about each", () => {
    const workbook = emptyWorkbook();
    const file = table(
      ["紧急程度", "需求描述", "年龄"],
      [
        ["", "只有描述", ""],
        ["", "", "30"],
      ],
    );
    const plan = planImport(workbook, requests, file, { 0: "urgency", 1: "description", 2: "age" });
    expect(plan.validRows).toEqual([{ description: "只有描述" }, { age: 30 }]);
    expect(plan.warningCount).toBe(3);
    expect(plan.warnings.map((w) => [w.row, w.column, w.code])).toEqual([
      [2, "urgency", "required_missing"],
      [3, "urgency", "required_missing"],
      [3, "description", "required_missing"],
    ]);
    expect(plan.missingRequired).toEqual(["category", "district", "patientName", "phone"]);
  });

  it("skips rows with nothing in the mapped columns", () => {
    const plan = planImport(
      emptyWorkbook(),
      requests,
      table(
        ["备注", "来源"],
        [
          ["", "微博"],
          ["x", ""],
        ],
      ),
      { 0: "notes" },
    );
    expect(plan.validRows).toEqual([{ notes: "x" }]);
    expect(plan.skippedEmpty).toBe(1);
  });

  it("restores cells this module neutralised on export", () => {
    const file = table(
      ["备注", "联系电话", "年龄"],
      [
        ["'=1+1", "'+86 100 0000 0009", "-5"],
        ["'plain quote", "", ""],
      ],
    );
    const plan = planImport(emptyWorkbook(), requests, file, { 0: "notes", 1: "phone", 2: "age" });
    expect(plan.validRows).toEqual([{ notes: "=1+1", phone: "+8610000000009", age: -5 }, { notes: "'plain quote" }]);
  });

  it("refuses unknown columns, one column mapped twice and file columns that do not exist, changing nothing", () => {
    const workbook = sampleWorkbook();
    const before = docState(workbook);
    const file = table(["a", "b"], [["1", "2"]]);
    const refusal = (mapping: Record<number, string | null>) => {
      try {
        planImport(workbook, requests, file, mapping);
      } catch (error) {
        expect(error).toBeInstanceOf(ExchangeError);
        return (error as ExchangeError).code;
      }
      return "accepted";
    };
    expect(refusal({ 0: "bloodType" })).toBe("unknown_column");
    expect(refusal({ 0: "notes", 1: "notes" })).toBe("duplicate_mapping");
    expect(refusal({ 5: "notes" })).toBe("invalid_mapping");
    expect(refusal({ 0: "notes" })).toBe("accepted");
    expect(() => planImport(workbook, "notice", file, {})).toThrow(expect.objectContaining({ code: "not_grid_sheet" }));
    expect(() => planImport(workbook, "missing", file, {})).toThrow(expect.objectContaining({ code: "unknown_sheet" }));
    expect(docState(workbook)).toEqual(before);
  });

  it("ignores a mapping onto a system column", () => {
    const file = table(["编号", "备注"], [["SH-9999", "x"]]);
    const plan = planImport(emptyWorkbook(), requests, file, { 0: "caseNumber", 1: "notes" });
    expect(plan.validRows).toEqual([{ notes: "x" }]);
    expect(plan.unknownColumns).toEqual([{ index: 0, header: "编号", reason: "system" }]);
  });

  it("lists at most 1000 errors but counts them all", () => {
    const rows = Array.from({ length: 1500 }, () => ["not a number"]);
    const plan = planImport(emptyWorkbook(), requests, table(["年龄"], rows), { 0: "age" });
    expect(plan.errors).toHaveLength(1000);
    expect(plan.errorCount).toBe(1500);
    expect(plan.invalidRowCount).toBe(1500);
    expect(plan.validRows).toHaveLength(0);
  });
});

describe("applyImport", () => {
  it("inserts every valid row at the end in one transaction", async () => {
    const workbook = sampleWorkbook();
    const existing = workbook.listRows(requests).map((row) => row.id);
    const file = await readImportFile(fixture("requests-gb18030-semicolon.csv"), "requests.csv");
    const plan = planImport(workbook, requests, file, suggestMapping(file, workbook.readSheet(requests)));
    let transactions = 0;
    workbook.ydoc.on("afterTransaction", () => transactions++);
    const ids = applyImport(workbook, requests, plan);
    expect(transactions).toBe(1);
    expect(ids).toHaveLength(3);
    const rows = workbook.listRows(requests);
    expect(rows.map((row) => row.id)).toEqual([...existing, ...ids]);
    expect(rows.at(-3)?.cells).toMatchObject({ urgency: "critical", district: "pudong", age: 67, verifiedAt: "2022-04-10T01:05:00.000Z" });
    expect(rows.at(-1)?.cells).toMatchObject({ patientName: "王某喆", age: -5 });
  });

  it("changes nothing for an empty plan", () => {
    const workbook = emptyWorkbook();
    const before = docState(workbook);
    const plan = planImport(workbook, requests, table(["x"], [["1"]]), {});
    expect(applyImport(workbook, requests, plan)).toEqual([]);
    expect(docState(workbook)).toEqual(before);
  });

  it("refuses a plan for another sheet, one naming a system column, and one the sheet no longer fits", () => {
    const workbook = emptyWorkbook();
    const plan = planImport(workbook, requests, table(["备注"], [["x"]]), { 0: "notes" });
    const before = docState(workbook);
    expect(() => applyImport(workbook, "channels", plan)).toThrow(expect.objectContaining({ code: "invalid_mapping" }));
    const forged = { ...plan, validRows: [{ notes: "x", caseNumber: "SH-0001" }] };
    expect(() => applyImport(workbook, requests, forged)).toThrow(expect.objectContaining({ code: "stale_plan" }));
    const invalid = { ...plan, validRows: [{ notes: "ok" }, { age: "not a number" }] };
    expect(() => applyImport(workbook, requests, invalid)).toThrow(expect.objectContaining({ code: "stale_plan" }));
    expect(docState(workbook)).toEqual(before);
  });
});
