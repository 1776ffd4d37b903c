import { type ChatGroupLink, ColumnType } from "./column.ts";
import { dateTimeColumn, isIsoInstant } from "./date-time.ts";
import { type ColumnTypeSpec, accept, isBlankInput, reject } from "./spec.ts";
import { parseSafeUrl } from "./url.ts";

const EXPECTED = "a chat-group link: an http(s) URL, optionally followed by | and an expiry date, or {url, expiresAt}";
const EXPECTED_ZH = "群聊链接（http/https），可在 | 后写有效期，如 https://… | 2022-04-20";

/** Whether a chat-group invitation has stopped working at `now`. */
export function isChatGroupExpired(link: ChatGroupLink, now: Date = new Date()): boolean {
  return link.expiresAt !== null && Date.parse(link.expiresAt) <= now.getTime();
}

function parseParts(url: unknown, expires: unknown): ChatGroupLink | null {
  const safe = typeof url === "string" ? parseSafeUrl(url) : null;
  if (!safe) return null;
  const expiry = dateTimeColumn.parse(expires, undefined as never);
  if (!expiry.ok) return null;
  return { url: safe, expiresAt: expiry.value };
}

/**
 * A link to a chat group (shown as a QR code) with the date its invitation expires: WeChat group
 * QR codes stop working after seven days, and an expired code sends requesters nowhere.
 */
export const chatGroupColumn: ColumnTypeSpec<ChatGroupLink | null> = {
  type: ColumnType.chatGroup,
  labelZh: "群聊链接",
  empty: null,
  parse(input) {
    if (isBlankInput(input)) return accept(null);
    let link: ChatGroupLink | null = null;
    if (typeof input === "string") {
      const [url, expires] = input.split("|");
      link = parseParts(url, expires);
    } else if (typeof input === "object" && input !== null && "url" in input) {
      const record = input as { url: unknown; expiresAt?: unknown };
      link = parseParts(record.url, record.expiresAt);
    }
    return link ? accept(link) : reject(EXPECTED, EXPECTED_ZH);
  },
  isValid(value): value is ChatGroupLink | null {
    if (value === null) return true;
    if (typeof value !== "object" || Array.isArray(value)) return false;
    const { url, expiresAt } = value as Record<string, unknown>;
    return typeof url === "string" && parseSafeUrl(url) === url && (expiresAt === null || isIsoInstant(expiresAt));
  },
  format: (value) =>
    value === null ? "" : value.expiresAt ? `${value.url} | ${dateTimeColumn.format(value.expiresAt, undefined as never)}` : value.url,
};
