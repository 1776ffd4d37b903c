import { type KeyObject, createHmac, createSecretKey, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Form tickets: what `GET` of a form hands out and `POST` must bring back. A ticket names a
 * fresh submission id and when it was issued, signed with the server's form secret for one form
 * link, so the server can tell a form filled by a person (the ticket is old enough) from a bot
 * posting at once, and a retry (same submission id) from a new submission — without storing
 * anything at GET time.
 *
 * Format: `v1.<submission id>.<issued at, ms, base 36>.<HMAC-SHA256, base64url>`.
 */

/** Why a ticket was refused. */
export const TicketRefusal = {
  /** Not a ticket, a bad signature, or a ticket of another form. */
  invalid: "invalid_ticket",
  /** Sent back sooner than a person can fill the form. */
  tooFast: "too_fast",
  /** Older than the tickets' lifetime. */
  expired: "ticket_expired",
} as const;
export type TicketRefusal = (typeof TicketRefusal)[keyof typeof TicketRefusal];

/** A ticket that passed every check. */
export interface VerifiedTicket {
  readonly submissionId: string;
  readonly issuedAt: number;
}

/** Timing rules for tickets. */
export interface TicketRules {
  /** A ticket is refused until it is this old. */
  readonly minFillMs: number;
  /** A ticket is refused once it is this old. */
  readonly maxAgeMs: number;
}

const TICKET_PATTERN = /^v1\.([A-Za-z0-9_-]{22})\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{43})$/;

// A key object per secret: given a Buffer, createHmac first probes whether it is a KeyObject or a
// CryptoKey, which cost more than the HMAC itself under the form load (5 % of the event loop).
const keys = new WeakMap<Buffer, KeyObject>();

function mac(secret: Buffer, ...parts: string[]): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(secret);
    keys.set(secret, key);
  }
  return createHmac("sha256", key).update(parts.join("\0")).digest();
}

/** Issues a ticket for the form behind `linkId`, with a new random submission id. */
export function issueTicket(secret: Buffer, linkId: string, now = Date.now()): string {
  const submissionId = randomBytes(16).toString("base64url");
  const issued = now.toString(36);
  return `v1.${submissionId}.${issued}.${mac(secret, "ticket", linkId, submissionId, issued).toString("base64url")}`;
}

/**
 * Checks a ticket's signature, form and age. A ticket refused only for its age carries its
 * verified submission id (`ticket`), so the caller can recognise a retry.
 */
export function verifyTicket(
  secret: Buffer,
  linkId: string,
  ticket: unknown,
  rules: TicketRules,
  now = Date.now(),
): { ok: true; ticket: VerifiedTicket } | { ok: false; refusal: TicketRefusal; retryAfterMs?: number; ticket?: VerifiedTicket } {
  const match = typeof ticket === "string" ? TICKET_PATTERN.exec(ticket) : null;
  if (!match) return { ok: false, refusal: TicketRefusal.invalid };
  const [, submissionId = "", issued = "", signature = ""] = match;
  if (!timingSafeEqual(Buffer.from(signature, "base64url"), mac(secret, "ticket", linkId, submissionId, issued))) {
    return { ok: false, refusal: TicketRefusal.invalid };
  }
  const issuedAt = Number.parseInt(issued, 36);
  const age = now - issuedAt;
  const verified = { submissionId, issuedAt };
  // A genuine ticket refused for its age still names its submission: a retry of one already
  // stored is answered whatever the ticket's age now.
  if (age < rules.minFillMs) return { ok: false, refusal: TicketRefusal.tooFast, retryAfterMs: rules.minFillMs - age, ticket: verified };
  if (age > rules.maxAgeMs) return { ok: false, refusal: TicketRefusal.expired, ticket: verified };
  return { ok: true, ticket: verified };
}

/**
 * The manage token of a submission, derived rather than stored: a retried POST must answer with
 * the same manage link as the first, and only the token's hash is kept.
 */
export function manageTokenFor(secret: Buffer, submissionId: string): string {
  return mac(secret, "manage", submissionId).toString("base64url");
}
