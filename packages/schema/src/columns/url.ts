import { ColumnType } from "./column.ts";
import { type ColumnTypeSpec, accept, isBlankInput, reject } from "./spec.ts";

/**
 * The URL if it is an absolute http(s) address, normalised; otherwise null. Only these two schemes
 * are ever stored, so a link a volunteer clicks can't run script (`javascript:`) or open a file.
 */
export function parseSafeUrl(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed.length > 2000) return null;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`);
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    if (!url.hostname.includes(".") && url.hostname !== "localhost") return null;
    return url.href;
  } catch {
    return null;
  }
}

/** A web address; only http and https are accepted. */
export const urlColumn: ColumnTypeSpec<string> = {
  type: ColumnType.url,
  labelZh: "网址",
  empty: "",
  parse(input) {
    if (isBlankInput(input)) return accept("");
    const url = typeof input === "string" ? parseSafeUrl(input) : null;
    return url ? accept(url) : reject("an http or https address", "以 http 或 https 开头的网址");
  },
  isValid: (value): value is string => value === "" || (typeof value === "string" && parseSafeUrl(value) === value),
  format: (value) => value,
};
