import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { type Workbook, openWorkbook } from "@huzhu/schema";
import { afterEach } from "vitest";
import { WebSocket } from "ws";
import * as Y from "yjs";
import type { CreatedWorkbook, HuzhuServer } from "../src/index.ts";
import { SQLITE_FILE } from "../src/storage/sqlite-store.ts";
import { type TestServerOptions, startTestServer } from "../src/testing.ts";
import { RawClient } from "./raw-client.ts";

/** Polls until `condition` holds; fails with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A real provider over a real WebSocket, and the typed workbook over its document. */
export interface Peer {
  readonly provider: HocuspocusProvider;
  readonly socket: HocuspocusProviderWebsocket;
  readonly workbook: Workbook;
  /** Resolves once the server acknowledged every local change. */
  acknowledged(): Promise<void>;
  destroy(): void;
}

/**
 * Connects a standard @hocuspocus/provider, as an integrator would, without waiting for anything.
 * By default it connects once; `reconnect` lets it retry like a browser does.
 */
export function connectPeer(collabUrl: string, documentName: string, token: string, { reconnect = false } = {}): Peer {
  const socket = new HocuspocusProviderWebsocket({
    url: collabUrl,
    WebSocketPolyfill: WebSocket,
    ...(reconnect ? { delay: 50, minDelay: 50, maxDelay: 200 } : { maxAttempts: 1 }),
  });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: documentName, token, document: new Y.Doc() });
  provider.attach();
  return {
    provider,
    socket,
    workbook: openWorkbook(provider.document, { origin: "test-peer" }),
    acknowledged: () => waitFor(() => provider.isSynced && provider.unsyncedChanges === 0, "the server to acknowledge every change"),
    destroy() {
      provider.destroy();
      socket.destroy();
    },
  };
}

/** Connects (with the editor link unless another token is given) and waits for the first full sync. */
export async function syncedPeer(server: HuzhuServer, created: CreatedWorkbook, token = created.links.editor.token): Promise<Peer> {
  const peer = connectPeer(server.collabUrl, created.collab.documentName, token);
  await waitFor(() => peer.provider.isSynced, "the first sync");
  return peer;
}

/** Connects with a token and resolves with the server's reason for refusing it. */
export function refusalReason(collabUrl: string, documentName: string, token: string): Promise<string> {
  const peer = connectPeer(collabUrl, documentName, token);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      peer.destroy();
      reject(new Error(`"${documentName}" was not refused within 5 s`));
    }, 5_000);
    peer.provider.on("authenticationFailed", ({ reason }: { reason: string }) => {
      clearTimeout(timer);
      peer.destroy();
      resolve(reason);
    });
  });
}

/** `POST /api/workbooks` with the server's admin token. */
export async function createWorkbookOverHttp(server: HuzhuServer, body: unknown = { template: "shanghai-medical", title: "测试" }) {
  const response = await fetch(`${server.url}/api/workbooks`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as CreatedWorkbook };
}

/** Opens the server's SQLite file read-only, as another process would. */
export function openDatabase(dataDir: string): DatabaseSync {
  return new DatabaseSync(join(dataDir, SQLITE_FILE), { readOnly: true });
}

/** Rebuilds a document from what is on disk right now: snapshot, then the log in order. */
export function readStoredDocument(dataDir: string, documentName: string): Y.Doc | undefined {
  const db = openDatabase(dataDir);
  try {
    const snapshot = db.prepare("SELECT state FROM snapshots WHERE doc_name = ?").get(documentName) as { state: Uint8Array } | undefined;
    const updates = db.prepare('SELECT "update" AS u FROM updates WHERE doc_name = ? ORDER BY seq').all(documentName) as {
      u: Uint8Array;
    }[];
    if (!snapshot && updates.length === 0) return undefined;
    const ydoc = new Y.Doc();
    if (snapshot) Y.applyUpdate(ydoc, snapshot.state);
    for (const { u } of updates) Y.applyUpdate(ydoc, u);
    return ydoc;
  } finally {
    db.close();
  }
}

/**
 * Servers and clients for one test file, all torn down after each test: clients first, then
 * servers (gracefully, as a real shutdown).
 */
export function useHarness() {
  const servers: HuzhuServer[] = [];
  const clients: { destroy(): void }[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const server of servers.splice(0)) await server.close();
  });
  return {
    async start(options: TestServerOptions = {}): Promise<HuzhuServer> {
      const server = await startTestServer(options);
      servers.push(server);
      return server;
    },
    async peer(server: HuzhuServer, created: CreatedWorkbook, token?: string): Promise<Peer> {
      const peer = await syncedPeer(server, created, token);
      clients.push(peer);
      return peer;
    },
    /** A raw protocol client, authenticated on the workbook with its editor token. */
    async raw(server: HuzhuServer, created: CreatedWorkbook): Promise<RawClient> {
      const client = await RawClient.open(server.collabUrl, created.id, created.links.editor.token);
      clients.push(client);
      await waitFor(() => client.authenticated, "the raw client's authentication");
      return client;
    },
  };
}
