import type { DirectConnection } from "../history/documents.ts";

interface Hold {
  readonly connection: DirectConnection;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Keeps documents loaded for a while after a read, through the direct connection that loaded
 * them: the editor page that asked for a preview opens its WebSocket a moment later and should
 * find the workbook still in memory, not stored away and loaded a second time. One hold per
 * document, renewed by each read (a held connection counts among the document's connections,
 * which size its broadcast window). Released at once when the server shuts down, which waits for
 * every document to unload.
 */
export class DocumentHolds {
  private readonly held = new Map<string, Hold>();

  /** Holds `connection`'s document for `ms` more; a document already held lets `connection` go. */
  hold(connection: DirectConnection, ms: number): void {
    const document = connection.document;
    if (!document) return;
    const existing = this.held.get(document.name);
    if (existing?.connection.document === document) {
      if (existing.connection !== connection) void this.disconnect(connection);
      clearTimeout(existing.timer);
      existing.timer = this.expiry(document.name, ms);
      return;
    }
    // Not held, or held in a copy that was unloaded since: hold this one.
    if (existing) void this.disconnect(existing.connection);
    this.held.set(document.name, { connection, timer: this.expiry(document.name, ms) });
  }

  async releaseAll(): Promise<void> {
    await Promise.all([...this.held.keys()].map((name) => this.release(name)));
  }

  private async release(name: string): Promise<void> {
    const hold = this.held.get(name);
    if (!hold) return;
    clearTimeout(hold.timer);
    this.held.delete(name);
    await this.disconnect(hold.connection);
  }

  private expiry(name: string, ms: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => void this.release(name), ms);
    timer.unref();
    return timer;
  }

  private async disconnect(connection: DirectConnection): Promise<void> {
    await connection.disconnect({ unloadImmediately: false }).catch(() => {});
  }
}
