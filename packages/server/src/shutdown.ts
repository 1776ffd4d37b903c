import type { Server } from "node:http";
import type { Duplex } from "node:stream";
import type { Hocuspocus } from "@hocuspocus/server";
import type { Logger } from "pino";
import type { WebSocketServer } from "ws";
import type { CaseNumbers } from "./extensions/case-numbers.ts";
import type { DocStore } from "./storage/doc-store.ts";

/** The parts a graceful shutdown takes down, in order. */
export interface ShutdownParts {
  readonly httpServer: Server;
  readonly wss: WebSocketServer;
  readonly hocuspocus: Hocuspocus;
  readonly caseNumbers: CaseNumbers;
  readonly store: DocStore;
  readonly logger: Logger;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

/**
 * Stops in an order that loses nothing: no new connections; finish case numbering; close every
 * socket; let Hocuspocus store (compact) and unload each document; then close storage. Every
 * acknowledged update is already in the log, so a step that times out costs compaction, not data.
 */
export async function shutdown({ httpServer, wss, hocuspocus, caseNumbers, store, logger }: ShutdownParts): Promise<void> {
  const httpClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
  // A keep-alive connection could still ask to upgrade; nothing new joins a server going down.
  httpServer.removeAllListeners("upgrade");
  httpServer.on("upgrade", (_request, socket: Duplex) => socket.destroy());
  httpServer.closeIdleConnections();
  await caseNumbers.idle();

  hocuspocus.closeConnections();
  for (const socket of wss.clients) socket.close(1001, "server shutting down");
  if (!(await until(() => wss.clients.size === 0, 2_000))) {
    for (const socket of wss.clients) socket.terminate();
  }
  hocuspocus.flushPendingStores();
  if (!(await until(() => hocuspocus.getDocumentsCount() === 0, 5_000))) {
    logger.warn({ documents: hocuspocus.getDocumentsCount() }, "documents still open at shutdown; their updates are in the log");
  }
  await hocuspocus.hooks("onDestroy", { instance: hocuspocus });
  wss.close();
  httpServer.closeAllConnections();
  await httpClosed;
  await store.close();
  logger.info("huzhu server stopped");
}
