import { describe, expect, it } from "vitest";
import { type ColumnDef, ColumnType } from "./column.ts";
import { columnTypes, formatCell, parseCell, readCell } from "./index.ts";
import { optionOf } from "./select.ts";

const column = (type: ColumnDef["type"], extra: Partial<ColumnDef> = {}): ColumnDef => ({
  id: "c" as ColumnDef["id"],
  type,
  label: "列",
  private: false,
  inForm: false,
  required: false,
  options: [
    { id: "critical", label: "危急", color: "red" },
    { id: "normal", label: "一般", color: "none" },
  ],
  system: null,
  description: "",
  width: null,
  ...extra,
});

const ok = (type: ColumnDef["type"], input: unknown) => {
  const result = parseCell(column(type), input);
  if (!result.ok) throw new Error(`${type} refused ${JSON.stringify(input)}: ${result.expected}`);
  return result.value;
};
const refused = (type: ColumnDef["type"], input: unknown) => parseCell(column(type), input).ok === false;

describe("column types parse, validate and format", () => {
  it("gives every type an empty value that its own validator accepts", () => {
    for (const spec of Object.values(columnTypes)) expect(spec.isValid(spec.empty, column(spec.type)), spec.type).toBe(true);
  });

  it("reads blank input as the empty value for every type", () => {
    for (const spec of Object.values(columnTypes)) expect(ok(spec.type, "  "), spec.type).toEqual(spec.empty);
  });

  it("keeps text, trims it and refuses text past its limit", () => {
    expect(ok(ColumnType.text, "  花木街道 ")).toBe("花木街道");
    expect(refused(ColumnType.text, "x".repeat(501))).toBe(true);
    expect(ok(ColumnType.longText, "x".repeat(5000))).toHaveLength(5000);
  });

  it("parses numbers with separators and refuses words", () => {
    expect(ok(ColumnType.number, "1,234")).toBe(1234);
    expect(ok(ColumnType.number, -5)).toBe(-5);
    expect(refused(ColumnType.number, "六十")).toBe(true);
    expect(refused(ColumnType.number, Number.POSITIVE_INFINITY)).toBe(true);
  });

  it("stores select options by id and accepts their labels", () => {
    expect(ok(ColumnType.select, "危急")).toBe("critical");
    expect(ok(ColumnType.status, "normal")).toBe("normal");
    const result = parseCell(column(ColumnType.select), "很急");
    expect(result).toMatchObject({ ok: false, expectedZh: "以下之一：危急 / 一般" });
    expect(formatCell(column(ColumnType.select), "critical")).toBe("危急");
    // A stored value is an option id; its label is input, not a stored value.
    expect(optionOf(column(ColumnType.select), "critical")?.color).toBe("red");
    expect(optionOf(column(ColumnType.select), "危急")).toBeUndefined();
    expect(optionOf(column(ColumnType.select), null)).toBeUndefined();
  });

  it("reads local times as UTC+8 and formats them back", () => {
    expect(ok(ColumnType.dateTime, "2022-04-12 14:30")).toBe("2022-04-12T06:30:00.000Z");
    expect(ok(ColumnType.dateTime, "2022/4/12")).toBe("2022-04-11T16:00:00.000Z");
    expect(formatCell(column(ColumnType.dateTime), "2022-04-12T06:30:00.000Z")).toBe("2022-04-12 14:30");
    expect(refused(ColumnType.dateTime, "2022-13-40")).toBe(true);
    expect(refused(ColumnType.dateTime, "下周二")).toBe(true);
  });

  it("normalises phone numbers and refuses non-numbers", () => {
    expect(ok(ColumnType.phone, "100 0000-0001")).toBe("10000000001");
    expect(ok(ColumnType.phone, "+86 100 0000 0001")).toBe("+8610000000001");
    expect(refused(ColumnType.phone, "call me")).toBe(true);
    expect(refused(ColumnType.phone, "12")).toBe(true);
  });

  it("accepts only http(s) URLs, so no stored link can run script", () => {
    expect(ok(ColumnType.url, "example.org/a")).toBe("https://example.org/a");
    expect(refused(ColumnType.url, "javascript:alert(1)")).toBe(true);
    expect(refused(ColumnType.url, "file:///etc/passwd")).toBe(true);
  });

  it("reads chat-group links with an expiry date", () => {
    expect(ok(ColumnType.chatGroup, "https://example.org/g | 2022-04-17")).toEqual({
      url: "https://example.org/g",
      expiresAt: "2022-04-16T16:00:00.000Z",
    });
    expect(ok(ColumnType.chatGroup, { url: "https://example.org/g", expiresAt: null })).toEqual({
      url: "https://example.org/g",
      expiresAt: null,
    });
    expect(refused(ColumnType.chatGroup, "weixin://x")).toBe(true);
    expect(refused(ColumnType.chatGroup, "https://example.org/g | 明天")).toBe(true);
  });

  it("reads yes/no words in Chinese and English", () => {
    expect(ok(ColumnType.checkbox, "是")).toBe(true);
    expect(ok(ColumnType.checkbox, "no")).toBe(false);
    expect(refused(ColumnType.checkbox, "maybe")).toBe(true);
  });

  it("reads values a foreign peer wrote wrongly as empty (SPEC 9)", () => {
    expect(readCell(column(ColumnType.number), "12")).toBeNull();
    expect(readCell(column(ColumnType.select), "unknown-option")).toBeNull();
    expect(readCell(column(ColumnType.url), "javascript:alert(1)")).toBe("");
    expect(readCell(column(ColumnType.chatGroup), { url: 5 })).toBeNull();
    expect(readCell(column(ColumnType.checkbox), "true")).toBe(false);
    expect(readCell(column(ColumnType.dateTime), "2022-04-12")).toBeNull();
  });
});
