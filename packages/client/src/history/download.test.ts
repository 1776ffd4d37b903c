import { describe, expect, it } from "vitest";
import { fileNameFromDisposition } from "./download.ts";

describe("fileNameFromDisposition", () => {
  it("prefers the UTF-8 name, so Chinese file names survive", () => {
    const header = `attachment; filename="huzhu-export.xlsx"; filename*=UTF-8''${encodeURIComponent("上海医疗紧急求助-2022-04-12.xlsx")}`;
    expect(fileNameFromDisposition(header, "x")).toBe("上海医疗紧急求助-2022-04-12.xlsx");
  });

  it("falls back to the plain name, then to the given one", () => {
    expect(fileNameFromDisposition('attachment; filename="report 1.csv"', "x")).toBe("report 1.csv");
    expect(fileNameFromDisposition("attachment; filename=plain.csv", "x")).toBe("plain.csv");
    expect(fileNameFromDisposition("attachment", "huzhu-export.csv")).toBe("huzhu-export.csv");
    expect(fileNameFromDisposition(null, "huzhu-export.csv")).toBe("huzhu-export.csv");
    expect(fileNameFromDisposition("attachment; filename*=UTF-8''%E0%A4%A", "fallback.csv")).toBe("fallback.csv");
  });

  it("drops path separators", () => {
    expect(fileNameFromDisposition('attachment; filename="../../etc/passwd"', "x")).toBe(".. .. etc passwd");
  });
});
