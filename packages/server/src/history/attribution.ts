import { readCollabContext } from "../collab/context.ts";

/** Who made a change and how, as the audit log records it. */
export interface Attribution {
  /** The link's label for people; "form", "system" or "system:<what>" for server writes. */
  readonly actor: string;
  /** How: "edit" for people editing, else the server write's purpose (import, restore, retention…). */
  readonly via: string;
}

/**
 * The context a server-side write opens its direct connection with (Hocuspocus puts it on the
 * transaction origin as `{ source: "local", context }`). `actor` is who the change is attributed
 * to; `requestedBy` (a link label) takes its place in the audit log when someone asked for the
 * write (a restore), so the history says who.
 */
export interface ServerWriteContext {
  readonly actor: string;
  readonly purpose: string;
  readonly requestedBy?: string;
}

/** A server write on behalf of a link holder (import): attributed to the link's label. */
export function linkWrite(label: string, purpose: string): ServerWriteContext {
  return { actor: label, purpose };
}

/** A write the server makes on its own (retention, purge). */
export function systemWrite(purpose: string): ServerWriteContext {
  return { actor: "system", purpose };
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * Who a transaction is attributed to, from its origin: a client connection (its link's label), a
 * server-side write (its context), or undefined for what is not a change to record here (replays
 * from storage, and updates relayed from another server instance, which that instance records).
 */
export function attributeOrigin(origin: unknown): Attribution | undefined {
  if (typeof origin !== "object" || origin === null) return undefined;
  const { source, connection, context } = origin as { source?: unknown; connection?: { context?: unknown }; context?: unknown };
  if (source === "connection") return { actor: readCollabContext(connection?.context)?.label ?? "unknown", via: "edit" };
  if (source !== "local") return undefined;
  const write = (typeof context === "object" && context !== null ? context : {}) as Record<string, unknown>;
  return {
    actor: text(write["requestedBy"]) ?? text(write["actor"]) ?? "system",
    via: text(write["purpose"]) ?? "system",
  };
}
