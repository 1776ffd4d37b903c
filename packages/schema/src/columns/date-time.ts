import { ColumnType } from "./column.ts";
import { type ColumnTypeSpec, accept, isBlankInput, reject } from "./spec.ts";

// "2022-04-12 14:30" and "2022/4/12 14:30" are how volunteers type times; without an offset they
// are read as China Standard Time, the zone every workbook of this kind lives in.
const LOCAL_PATTERN = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const CST_OFFSET_MINUTES = 8 * 60;

function parseInstant(text: string): string | null {
  const local = LOCAL_PATTERN.exec(text);
  if (local) {
    const [, y, mo, d, h = "0", mi = "0", s = "0"] = local;
    const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    const date = new Date(utc - CST_OFFSET_MINUTES * 60_000);
    return Number.isNaN(date.getTime()) || Number(mo) > 12 || Number(d) > 31 ? null : date.toISOString();
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Formats an ISO instant as China Standard Time, `YYYY-MM-DD HH:mm`. */
export function formatInstantCst(iso: string): string {
  const date = new Date(Date.parse(iso) + CST_OFFSET_MINUTES * 60_000);
  if (Number.isNaN(date.getTime())) return "";
  return date.toISOString().slice(0, 16).replace("T", " ");
}

/** Whether a stored value is a canonical ISO instant (what `toISOString` returns). */
export function isIsoInstant(value: unknown): value is string {
  return typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) && !Number.isNaN(Date.parse(value));
}

/** A moment in time, stored as an ISO 8601 UTC string, shown in China Standard Time. */
export const dateTimeColumn: ColumnTypeSpec<string | null> = {
  type: ColumnType.dateTime,
  labelZh: "日期时间",
  empty: null,
  parse(input) {
    if (isBlankInput(input)) return accept(null);
    const iso =
      input instanceof Date
        ? Number.isNaN(input.getTime())
          ? null
          : input.toISOString()
        : typeof input === "string"
          ? parseInstant(input.trim())
          : null;
    return iso ? accept(iso) : reject("a date and time such as 2022-04-12 14:30 (UTC+8) or ISO 8601", "日期时间，如 2022-04-12 14:30");
  },
  isValid: (value): value is string | null => value === null || isIsoInstant(value),
  format: (value) => (value === null ? "" : formatInstantCst(value)),
};
