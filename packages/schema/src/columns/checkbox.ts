import { ColumnType } from "./column.ts";
import { type ColumnTypeSpec, accept, isBlankInput, reject } from "./spec.ts";

const TRUE_WORDS = new Set(["true", "yes", "y", "1", "是", "有", "✓", "✔", "x"]);
const FALSE_WORDS = new Set(["false", "no", "n", "0", "否", "无", "没有"]);

/** Yes or no, e.g. "has a fever clinic". Empty is false. */
export const checkboxColumn: ColumnTypeSpec<boolean> = {
  type: ColumnType.checkbox,
  labelZh: "勾选",
  empty: false,
  parse(input) {
    if (isBlankInput(input)) return accept(false);
    if (typeof input === "boolean") return accept(input);
    const word = String(input).trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return accept(true);
    if (FALSE_WORDS.has(word)) return accept(false);
    return reject("yes or no (true/false, 是/否)", "是或否");
  },
  isValid: (value): value is boolean => typeof value === "boolean",
  format: (value) => (value ? "是" : "否"),
};
