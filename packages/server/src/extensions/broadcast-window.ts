import type { Document, Extension, connectedPayload, onDisconnectPayload } from "@hocuspocus/server";

/**
 * Sending one frame costs the server ~9 µs per connection (bench/README.md). Keeping broadcasts to
 * about a third of a core means one flush per `connections × 0.03 ms` at most: so long for each
 * connection, the window stays open.
 */
const WINDOW_MS_PER_CONNECTION = 0.03;

/**
 * Sizes each document's broadcast window (Hocuspocus' per-document `flushDelay`) by how many
 * connections it has: a few volunteers get every change in the event-loop turn it arrived in
 * (window 0), a crowd gets the changes of a short window merged into one frame per connection,
 * up to `maxMs`. A fixed window made every small team wait for a window sized for 500 editors.
 */
export class BroadcastWindow implements Extension {
  readonly extensionName = "huzhu-broadcast-window";
  private readonly maxMs: number;

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
    document.flushDelay = this.windowFor(document.getConnectionsCount());
  }
}
