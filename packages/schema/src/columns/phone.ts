import { ColumnType } from "./column.ts";
import { type ColumnTypeSpec, accept, isBlankInput, reject } from "./spec.ts";

// Digits with an optional leading +, grouped by spaces or dashes as people type them; 5 to 15 digits
// covers hotlines (12345), landlines with area code and E.164 numbers.
const PHONE_PATTERN = /^\+?[0-9][0-9 -]{3,22}[0-9]$/;

/** Canonical form: an optional + then digits only, so equal numbers compare equal. */
export function normalizePhone(text: string): string | null {
  const trimmed = text.trim().replace(/[（(]/g, "").replace(/[）)]/g, "").replace(/－/g, "-");
  if (!PHONE_PATTERN.test(trimmed)) return null;
  const digits = trimmed.replace(/[ -]/g, "");
  const count = digits.replace("+", "").length;
  return count >= 5 && count <= 15 ? digits : null;
}

/** A phone number, stored normalised (digits, optional leading +). */
export const phoneColumn: ColumnTypeSpec<string> = {
  type: ColumnType.phone,
  labelZh: "电话",
  empty: "",
  parse(input) {
    if (isBlankInput(input)) return accept("");
    const normalized = typeof input === "string" || typeof input === "number" ? normalizePhone(String(input)) : null;
    return normalized ? accept(normalized) : reject("a phone number of 5 to 15 digits", "5 至 15 位数字的电话号码");
  },
  isValid: (value): value is string => value === "" || (typeof value === "string" && normalizePhone(value) === value),
  format: (value) => value,
};
