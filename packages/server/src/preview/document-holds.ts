import type { DirectConnection } from "../history/documents.ts";

/**
 * Keeps documents loaded for a while after a read, through the direct connection that loaded
 * them: the editor page that asked for a preview opens its WebSocket a moment later and should
 * find the workbook still in memory, not stored away and loaded a second time. Released at once
 * when the server shuts down, which waits for every document to unload.
 */
export class DocumentHolds {
  private readonly held = new Map<DirectConnection, ReturnType<typeof setTimeout>>();

  hold(connection: DirectConnection, ms: number): void {
    const timer = setTimeout(() => void this.release(connection), ms);
    timer.unref();
    this.held.set(connection, timer);
  }

  async releaseAll(): Promise<void> {
    await Promise.all([...this.held.keys()].map((connection) => this.release(connection)));
  }

  private async release(connection: DirectConnection): Promise<void> {
    const timer = this.held.get(connection);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.held.delete(connection);
    await connection.disconnect({ unloadImmediately: false }).catch(() => {});
  }
}
