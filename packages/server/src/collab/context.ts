import type { LinkRole } from "../storage/doc-store.ts";

/**
 * What the auth extension learns about a connection and puts on its Hocuspocus context; the other
 * extensions read it from there (extensions never import each other).
 */
export interface CollabContext {
  readonly role: LinkRole;
  /** The link's label: the presence name and, later, the author of edits. */
  readonly label: string;
  readonly color: string;
  readonly linkId: string;
  readonly workbookId: string;
}

/** Reads a connection context defensively: undefined unless auth filled it in. */
export function readCollabContext(context: unknown): CollabContext | undefined {
  if (typeof context !== "object" || context === null) return undefined;
  const { role, label, color, linkId, workbookId } = context as Record<string, unknown>;
  return typeof role === "string" &&
    typeof label === "string" &&
    typeof color === "string" &&
    typeof linkId === "string" &&
    typeof workbookId === "string"
    ? (context as CollabContext)
    : undefined;
}

/** WebSocket-level close codes (4000–4999 are the application's) with what they mean. */
export const CollabCloseCode = {
  /** Malformed message, or a document name outside the allow-list. */
  badRequest: 4400,
  /** No valid link for this workbook (unknown, expired, revoked). */
  unauthorized: 4401,
  /** A valid link whose role may not open this document. */
  forbidden: 4403,
  /** An update larger than the server accepts. */
  tooLarge: 4413,
  /** Storage failed; the edit was not acknowledged and the client should retry later. */
  unavailable: 4503,
} as const;
export type CollabCloseCode = (typeof CollabCloseCode)[keyof typeof CollabCloseCode];

/**
 * Thrown from a Hocuspocus hook to refuse something. Hocuspocus sends `reason` to the client: as
 * the permission-denied reason when thrown from onAuthenticate/onLoadDocument (the provider emits
 * `authenticationFailed` with it), or as the close reason with `code` from message hooks.
 */
export class CollabRefusal extends Error {
  override readonly name = "CollabRefusal";
  readonly code: CollabCloseCode;
  /** Stable, kebab-case, e.g. `invalid-token`. */
  readonly reason: string;

  constructor(code: CollabCloseCode, reason: string, message = reason) {
    super(message);
    this.code = code;
    this.reason = reason;
  }
}
