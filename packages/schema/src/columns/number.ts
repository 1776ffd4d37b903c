import { ColumnType } from "./column.ts";
import { type ColumnTypeSpec, accept, isBlankInput, reject } from "./spec.ts";

/** A finite number, e.g. a patient's age. Empty is null, not zero. */
export const numberColumn: ColumnTypeSpec<number | null> = {
  type: ColumnType.number,
  labelZh: "数字",
  empty: null,
  parse(input) {
    if (isBlankInput(input)) return accept(null);
    const value = typeof input === "number" ? input : typeof input === "string" ? Number(input.trim().replace(/[,，]/g, "")) : Number.NaN;
    if (!Number.isFinite(value)) return reject("a finite number", "数字");
    return accept(value);
  },
  isValid: (value): value is number | null => value === null || (typeof value === "number" && Number.isFinite(value)),
  format: (value) => (value === null ? "" : String(value)),
};
