import { describe, expect, it } from "vitest";
import { isInsertedCellsPath, isRowPath, isRowValuePath } from "./paths.ts";

describe("document paths an editor may write", () => {
  it("knows a row and a row's values, and nothing else", () => {
    expect(isRowPath(["sheets", "requests", "rows", "r1"])).toBe(true);
    expect(isRowValuePath(["sheets", "requests", "rows", "r1", "phone"])).toBe(true);
    expect(isRowValuePath(["sheets", "requests", "rows", "r1", "$deletedAt"])).toBe(true);
    expect(isInsertedCellsPath(["sheets", "requests", "rows", "r1", "$cells"])).toBe(true);
    expect(isInsertedCellsPath(["sheets", "requests", "rows", "r1", "phone"])).toBe(false);
    for (const path of [
      ["sheets", "requests", "rows"],
      ["sheets", "requests", "columns", "phone", "private"],
      ["sheets", "requests", "publicMode"],
      ["sheets", "requests"],
      ["meta", "title"],
      ["other", "requests", "rows", "r1"],
      ["sheets", "requests", "rows", "r1", "phone", "#"],
    ]) {
      expect(isRowPath(path) || isRowValuePath(path), path.join("/")).toBe(false);
    }
  });
});
