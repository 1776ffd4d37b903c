import { describe, expect, it } from "vitest";
import type { ImportColumn, ImportPlanSummary } from "./api-types.ts";
import {
  columnLetter,
  createMappingState,
  describePlan,
  fileColumnFor,
  mappableColumns,
  mappingRequest,
  sameMapping,
  setMappingTarget,
} from "./import-mapping.ts";

const headers = ["姓名", "电话", "备注", "编号"];

describe("import mapping state", () => {
  it("starts from the server's mapping and sends it back keyed by file column index", () => {
    const state = createMappingState(headers, { "0": "patientName", "1": "phone", "3": null });
    expect(state.targets).toEqual(["patientName", "phone", null, null]);
    expect(mappingRequest(state)).toEqual({ "0": "patientName", "1": "phone", "2": null, "3": null });
  });

  it("gives a sheet column to one file column only: choosing it elsewhere sets the old one to 不导入", () => {
    const state = createMappingState(headers, { "0": "patientName", "1": "phone" });
    const next = setMappingTarget(state, 2, "phone");
    expect(next.targets).toEqual(["patientName", null, "phone", null]);
    expect(fileColumnFor(next, "phone")).toBe(2);
    expect(state.targets).toEqual(["patientName", "phone", null, null]);
  });

  it("不导入 leaves the others alone, and unchanged choices keep the same state", () => {
    const state = createMappingState(headers, { "0": "patientName", "1": "phone" });
    expect(setMappingTarget(state, 0, null).targets).toEqual([null, "phone", null, null]);
    expect(setMappingTarget(state, 1, "phone")).toBe(state);
    expect(setMappingTarget(state, 9, "notes")).toBe(state);
    expect(sameMapping(state, setMappingTarget(setMappingTarget(state, 0, null), 0, "patientName"))).toBe(true);
  });

  it("offers only the columns an import may fill", () => {
    const column = (id: string, importable: boolean): ImportColumn => ({
      id,
      label: id,
      type: "text",
      required: false,
      private: false,
      importable,
    });
    expect(mappableColumns([column("caseNumber", false), column("notes", true)]).map((c) => c.id)).toEqual(["notes"]);
  });

  it("names file columns as spreadsheets do", () => {
    expect([0, 1, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(["A", "B", "Z", "AA", "AB", "ZZ", "AAA"]);
  });
});

describe("describePlan", () => {
  it("says what will be left out, in Chinese", () => {
    const plan: ImportPlanSummary = {
      sheetId: "requests" as ImportPlanSummary["sheetId"],
      validRowCount: 2,
      errors: [],
      errorCount: 2,
      invalidRowCount: 1,
      warnings: [],
      warningCount: 1,
      unknownColumns: [
        { index: 3, header: "编号", reason: "system" },
        { index: 2, header: "", reason: "unmapped" },
      ],
      missingRequired: ["urgency"],
      skippedEmpty: 3,
    };
    const columns: ImportColumn[] = [
      { id: "urgency", label: "紧急程度", type: "select", required: true, private: false, importable: true },
    ];
    expect(describePlan(plan, columns)).toEqual([
      "1 行有错误，不会导入（共 2 处，见下方列表）。",
      "1 处必填项为空，这些行仍会导入。",
      "文件中没有这些必填列：紧急程度。",
      "由系统生成的列不会导入：编号。",
      "不导入的文件列：C 列。",
      "跳过 3 个空行。",
    ]);
  });
});
