import { displayPhone, displayUrl } from "./format.ts";

/** A phone number that dials on phones (tel: link) and reads grouped. */
export function PhoneLink({ phone }: { phone: string }) {
  if (!phone) return null;
  return (
    <a className="hz-link" href={`tel:${phone}`} title={`拨打 ${displayPhone(phone)}`}>
      {displayPhone(phone)}
    </a>
  );
}

/**
 * A web address that opens in a new tab. Only http(s) is ever made a link (stored values are
 * validated, but a foreign peer may write anything); the opened page gets no handle on this tab
 * and no referrer with the token-bearing URL.
 */
export function SafeLink({ url }: { url: string }) {
  const shown = url ? displayUrl(url) : null;
  if (!shown) return url ? <span className="hz-muted">{url}</span> : null;
  return (
    <a className="hz-link" href={shown.href} target="_blank" rel="noopener noreferrer" title={shown.href}>
      {shown.text}
    </a>
  );
}
