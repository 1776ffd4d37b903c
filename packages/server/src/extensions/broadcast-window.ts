import type { Document, Extension, connectedPayload, onDisconnectPayload } from "@hocuspocus/server";

/**
 * Sending one frame costs the server ~9 µs per connection (bench/README.md). Keeping broadcasts to
 * about a third of a core means one flush per `connections × 0.03 ms` at most: so long for each
 * connection, the window stays open.
 */
const WINDOW_MS_PER_CONNECTION = 0.03;

/**
 * How long a change arriving at `now` waits before it is broadcast, when the last broadcast went
 * out at `lastFlushAt`: nothing once a window has passed since (the leading edge), else the rest
 * of that window.
 */
export function broadcastDelay(now: number, lastFlushAt: number, windowMs: number): number {
  const remaining = lastFlushAt + windowMs - now;
  return remaining <= 0 ? 0 : Math.ceil(remaining);
}

interface DocumentWindow {
  windowMs: number;
  /** When the last broadcast scheduled went (or goes) out. */
  flushAt: number;
}

/**
 * Paces each document's broadcasts (Hocuspocus' per-document `flushDelay`) to one per window,
 * sized by how many connections it has: a few volunteers get every change in the event-loop turn
 * it arrived in (window 0), a crowd gets the changes of a short window merged into one frame per
 * connection, up to `maxMs`. A fixed window made every small team wait for a window sized for
 * 500 editors. The window opens with the change that starts it, which goes out at once: only what
 * arrives while it is open waits for its end (Hocuspocus' own window delays the first change by
 * the whole window, which at 100 editors — 3 ms, a window that rarely holds two changes — was
 * most of their latency above bare Hocuspocus).
 */
export class BroadcastWindow implements Extension {
  readonly extensionName = "huzhu-broadcast-window";
  private readonly maxMs: number;
  private readonly windows = new WeakMap<Document, DocumentWindow>();

  constructor(maxMs: number) {
    this.maxMs = maxMs;
  }

  /** The window for a document with `connections` connections, in ms (0: this event-loop turn). */
  windowFor(connections: number): number {
    const window = Math.min(this.maxMs, connections * WINDOW_MS_PER_CONNECTION);
    return window < 1 ? 0 : Math.round(window);
  }

  async connected({ connection }: connectedPayload): Promise<void> {
    this.resize(connection.document);
  }

  async onDisconnect({ document }: onDisconnectPayload): Promise<void> {
    this.resize(document);
  }

  private resize(document: Document): void {
    // A destroyed document sends at once (false); a change waiting in the current window goes
    // out when that window closes, as scheduled.
    if (document.isDestroyed || document.flushDelay === false) return;
    this.windowOf(document).windowMs = this.windowFor(document.getConnectionsCount());
  }

  private windowOf(document: Document): DocumentWindow {
    const existing = this.windows.get(document);
    if (existing) return existing;
    const window: DocumentWindow = { windowMs: 0, flushAt: Number.NEGATIVE_INFINITY };
    // Hocuspocus schedules the broadcast in its own `update` listener, with the `flushDelay` of
    // that moment: it is set when the transaction starts, and the flush it scheduled is noted
    // after (this listener comes later than Hocuspocus' own). While one is pending, later changes
    // join it and nothing changes here.
    document.on("beforeTransaction", () => {
      const now = performance.now();
      if (now < window.flushAt || document.flushDelay === false) return;
      document.flushDelay = broadcastDelay(now, window.flushAt, window.windowMs);
    });
    document.on("update", () => {
      const now = performance.now();
      if (now < window.flushAt || document.flushDelay === false) return;
      window.flushAt = now + document.flushDelay;
    });
    this.windows.set(document, window);
    return window;
  }
}
