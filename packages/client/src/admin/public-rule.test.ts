import { type PublicRule, type SheetId, createFromTemplate } from "@huzhu/schema";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  ConditionMode,
  conditionFor,
  countPublicRows,
  describeRule,
  orphanConditions,
  recommendedRule,
  ruleColumns,
  sameRule,
  toggleOption,
  withCondition,
} from "./public-rule.ts";

function requests() {
  const workbook = createFromTemplate(new Y.Doc(), "shanghai-medical", { sampleData: true });
  const id = "requests" as SheetId;
  return { workbook, sheet: workbook.readSheet(id), rows: workbook.listRows(id), id };
}

describe("public rule editing", () => {
  it("offers the select and status columns, and reads the template's rule per column", () => {
    const { sheet } = requests();
    expect(ruleColumns(sheet).map((c) => c.id)).toEqual(["urgency", "category", "district", "verification", "followUp"]);
    expect(conditionFor(sheet.publicRule, "verification")).toEqual({ mode: ConditionMode.anyOf, options: ["verified"] });
    expect(conditionFor(sheet.publicRule, "followUp")).toEqual({ mode: ConditionMode.noneOf, options: ["closed"] });
    expect(conditionFor(sheet.publicRule, "urgency")).toEqual({ mode: ConditionMode.any, options: [] });
  });

  it("writes rules the schema accepts: one condition per column, in place, and 不限 removes it", () => {
    const { workbook, sheet, id } = requests();
    let rule: PublicRule = withCondition(sheet.publicRule, "urgency", { mode: ConditionMode.anyOf, options: [] });
    rule = toggleOption(rule, "urgency", "critical");
    rule = toggleOption(rule, "verification", "pending");
    expect(rule.all).toEqual([
      { columnId: "verification", anyOf: ["verified", "pending"] },
      { columnId: "followUp", noneOf: ["closed"] },
      { columnId: "urgency", anyOf: ["critical"] },
    ]);
    rule = withCondition(rule, "verification", { mode: ConditionMode.any, options: ["verified"] });
    expect(rule.all.map((c) => c.columnId)).toEqual(["followUp", "urgency"]);
    workbook.updateSheet(id, { publicRule: rule });
    expect(workbook.readSheet(id).publicRule).toEqual(rule);
  });

  it("recommends the template's rule (verified and not closed) and previews how many rows pass", () => {
    const { sheet, rows, workbook } = requests();
    const recommended = recommendedRule(sheet);
    expect(recommended && sameRule(recommended, sheet.publicRule)).toBe(true);
    const verifiedOpen = rows.filter((r) => r.cells["verification"] === "verified" && r.cells["followUp"] !== "closed").length;
    expect(countPublicRows(sheet.publicRule, sheet, rows)).toBe(verifiedOpen);
    expect(countPublicRows({ all: [] }, sheet, rows)).toBe(rows.length);
    expect(countPublicRows(withCondition(sheet.publicRule, "urgency", { mode: ConditionMode.anyOf, options: [] }), sheet, rows)).toBe(0);
    expect(recommendedRule(workbook.readSheet("hospitals" as SheetId))).toBeNull();
  });

  it("says the rule in words and finds conditions on columns that are gone", () => {
    const { sheet } = requests();
    expect(describeRule(sheet.publicRule, sheet)).toBe("「核实状态」为 已核实，且 「跟进状态」不是 已关闭");
    expect(describeRule({ all: [] }, sheet)).toBe("没有条件：所有行都公开");
    const orphan = { all: [...sheet.publicRule.all, { columnId: "gone", anyOf: ["x"] }] };
    expect(orphanConditions(orphan, sheet)).toEqual([{ columnId: "gone", anyOf: ["x"] }]);
    expect(describeRule(orphan, sheet)).toContain("已删除的列");
  });
});
