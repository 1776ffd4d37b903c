import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { formFields, validateFormSubmission } from "./forms.ts";
import type { SheetId } from "./ids.ts";
import { createFromTemplate } from "./sheets/templates.ts";

const sheet = createFromTemplate(new Y.Doc(), "shanghai-medical").readSheet("requests" as SheetId);
const valid = {
  urgency: "危急",
  category: "血透",
  district: "浦东新区",
  description: "需要血透",
  patientName: "张某",
  phone: "100 0000 0001",
};

describe("request form", () => {
  it("asks the in-form columns people fill in, never system or volunteer columns", () => {
    const ids = formFields(sheet).map((f) => f.id);
    expect(ids).toEqual([
      "urgency",
      "category",
      "district",
      "street",
      "description",
      "patientName",
      "age",
      "phone",
      "emergencyContact",
      "address",
    ]);
  });

  it("accepts a complete submission and returns parsed cells", () => {
    const result = validateFormSubmission(sheet, valid);
    expect(result).toMatchObject({ ok: true, cells: { urgency: "critical", district: "pudong", phone: "10000000001", age: null } });
  });

  it("refuses unknown fields, missing required answers and invalid values, each by field, in Chinese", () => {
    const result = validateFormSubmission(sheet, { ...valid, phone: "打我电话", verification: "已核实", urgency: "" });
    if (result.ok) throw new Error("expected refusal");
    const byField = Object.fromEntries(result.errors.map((e) => [e.field, e]));
    expect(byField.verification).toMatchObject({ code: "unknown_field", messageZh: "表单中没有这一项" });
    expect(byField.urgency).toMatchObject({ code: "required", messageZh: "请填写「紧急程度」" });
    expect(byField.phone).toMatchObject({ code: "invalid" });
    expect(byField.phone?.messageZh).toContain("电话号码");
  });
});
