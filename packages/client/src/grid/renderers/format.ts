import { parseSafeUrl } from "@huzhu/schema";

/** Mobile numbers grouped 3-4-4 as people read them aloud; anything else as stored. */
export function displayPhone(phone: string): string {
  return /^1\d{10}$/.test(phone) ? `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}` : phone;
}

/** A short form of a URL for a narrow cell: host and path, without the scheme. Null if unsafe. */
export function displayUrl(url: string): { href: string; text: string } | null {
  const href = parseSafeUrl(url);
  if (!href) return null;
  const parsed = new URL(href);
  const path = parsed.pathname === "/" ? "" : parsed.pathname;
  return { href, text: `${parsed.host}${path}${parsed.search}` };
}

/** The expiry badge text of a chat-group link, e.g. "04-17 到期" or "已过期". */
export function expiryLabel(expiresAt: string | null, expired: boolean, cstText: string): string | null {
  if (expiresAt === null) return null;
  return expired ? "已过期" : `${cstText.slice(5, 10)} 到期`;
}
