import { HocuspocusProvider } from "@hocuspocus/provider";
import { type PublicWorkbook, openWorkbook, publicProjection } from "@huzhu/schema";
import * as Y from "yjs";
import { isPermanentRefusal } from "./connection.ts";

/** Where a public viewer stands. */
export const PublicViewStatus = {
  connecting: "connecting",
  /** Synced: views arrive as the projection changes. */
  live: "live",
  /** The connection dropped; a fresh one is on its way. */
  reconnecting: "reconnecting",
  /** The server refused for good (link revoked or expired); nothing more will arrive. */
  ended: "ended",
} as const;
export type PublicViewStatus = (typeof PublicViewStatus)[keyof typeof PublicViewStatus];

/** Where the projection document is and the public link that opens it. */
export interface PublicViewOptions {
  /** The server's collaboration endpoint (`collabUrl` of the session). */
  readonly collabUrl: string;
  /** `<workbook id>.public` (`publicDocumentName` / `documentName` of a public link's session). */
  readonly documentName: string;
  /** The public link's token. */
  readonly token: string;
  /** How often an idle connection pings. Default 20 s (the provider gives up after 30 s without a message). */
  readonly keepaliveMs?: number;
  /** Longest wait between two reconnection attempts. Default 30 s. */
  readonly maxRetryMs?: number;
}

/** What a public viewer is told. */
export interface PublicViewHandlers {
  /** The whole public view, after the first sync and after every change of it. */
  onView(view: PublicWorkbook): void;
  /** `reason` is the server's refusal when the status is `ended`. */
  onStatus(status: PublicViewStatus, reason?: string): void;
}

/**
 * The keepalive the server answers (docs/api.md, the public document): a viewer sends no presence
 * and no updates, so without it nothing would cross an idle connection and both ends would drop it
 * (the server after 60 s of silence, the provider after 30 s without a message).
 */
export const KEEPALIVE_PING = "huzhu:ping";

/** Delay before reconnection attempt `attempt` (0-based): doubling from 1 s, capped, with jitter. */
export function retryDelay(attempt: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, 1000 * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Follows a workbook's public projection read-only. Each connection starts from an empty Y.Doc:
 * the projection is derived state the server rebuilds whenever it loads it, so keeping an old copy
 * across reconnects would offer the server stale items (which a read-only connection may not
 * send) and could let them win over fresh ones. The viewer sends no presence (no awareness) and
 * no updates; it only reads, and pings to keep an idle connection open. Returns a function that
 * stops watching.
 */
export function watchPublicView(options: PublicViewOptions, handlers: PublicViewHandlers): () => void {
  const keepaliveMs = options.keepaliveMs ?? 20_000;
  const maxRetryMs = options.maxRetryMs ?? 30_000;
  let stopped = false;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let teardown: (() => void) | null = null;

  function connect(): void {
    retryTimer = undefined;
    const ydoc = new Y.Doc();
    let synced = false;
    let ended = false;
    let emitTimer: ReturnType<typeof setTimeout> | undefined;
    const emit = () => {
      emitTimer = undefined;
      if (!ended) handlers.onView(publicProjection(openWorkbook(ydoc)));
    };
    // One view per burst of updates (the server already batches the projection's changes).
    const onUpdate = () => {
      if (synced && emitTimer === undefined) emitTimer = setTimeout(emit, 0);
    };
    ydoc.on("update", onUpdate);

    const end = (reason: string) => {
      if (ended) return;
      ended = true;
      teardown = null;
      clearInterval(keepalive);
      clearTimeout(emitTimer);
      ydoc.off("update", onUpdate);
      // Not from inside the provider's own event dispatch.
      setTimeout(() => {
        provider.destroy();
        ydoc.destroy();
      }, 0);
      if (stopped) return;
      if (isPermanentRefusal(reason)) {
        stopped = true;
        handlers.onStatus(PublicViewStatus.ended, reason);
        return;
      }
      handlers.onStatus(PublicViewStatus.reconnecting);
      retryTimer = setTimeout(connect, retryDelay(attempt++, maxRetryMs));
    };

    const provider = new HocuspocusProvider({
      url: options.collabUrl,
      name: options.documentName,
      token: options.token,
      document: ydoc,
      awareness: null,
      onSynced: ({ state }) => {
        if (!state || ended || synced) return;
        synced = true;
        attempt = 0;
        handlers.onStatus(PublicViewStatus.live);
        emit();
      },
      onAuthenticationFailed: ({ reason }) => end(reason || "invalid-token"),
      onClose: ({ event }) => end(event.reason ?? ""),
      onDisconnect: ({ event }) => end(event.reason ?? ""),
    });
    const keepalive = setInterval(() => {
      if (synced) provider.sendStateless(KEEPALIVE_PING);
    }, keepaliveMs);
    teardown = () => end("stopped");
  }

  // Back online after a dead spell: try at once instead of waiting out the backoff.
  const onOnline = () => {
    if (stopped || retryTimer === undefined) return;
    clearTimeout(retryTimer);
    connect();
  };
  globalThis.addEventListener?.("online", onOnline);

  handlers.onStatus(PublicViewStatus.connecting);
  connect();
  return () => {
    stopped = true;
    clearTimeout(retryTimer);
    globalThis.removeEventListener?.("online", onOnline);
    teardown?.();
  };
}
