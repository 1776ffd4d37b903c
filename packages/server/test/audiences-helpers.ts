import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { type Workbook, openWorkbook } from "@huzhu/schema";
import { afterEach } from "vitest";
import { WebSocket } from "ws";
import * as Y from "yjs";
import type { CreatedWorkbook, HuzhuServer } from "../src/index.ts";
import { type Peer, waitFor } from "./helpers.ts";

/** A peer that also knows why the server closed its document, if it did. */
export interface WatchedPeer extends Peer {
  /** Close reasons the server sent for this document (`close` events), in order. */
  readonly closeReasons: string[];
  /** Every byte the socket received, when connected with `record: true`. */
  readonly received: Buffer[];
}

function toBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]);
  return Buffer.from(String(data));
}

/**
 * Connects a standard provider to `documentName` with `token`, optionally recording every byte its
 * WebSocket receives (a subclass of the `ws` polyfill listening on the raw socket).
 */
export function watchedPeer(collabUrl: string, documentName: string, token: string, { record = false } = {}): WatchedPeer {
  const received: Buffer[] = [];
  class RecordingWebSocket extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      if (record) this.on("message", (data) => received.push(toBuffer(data)));
    }
  }
  const socket = new HocuspocusProviderWebsocket({ url: collabUrl, WebSocketPolyfill: RecordingWebSocket, maxAttempts: 1 });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: documentName, token, document: new Y.Doc() });
  const closeReasons: string[] = [];
  provider.on("close", ({ event }: { event: { reason: string } }) => {
    if (event.reason) closeReasons.push(event.reason);
  });
  provider.attach();
  return {
    provider,
    socket,
    workbook: openWorkbook(provider.document, { origin: "test-peer" }),
    closeReasons,
    received,
    acknowledged: () => waitFor(() => provider.isSynced && provider.unsyncedChanges === 0, "the server to acknowledge every change"),
    destroy() {
      provider.destroy();
      socket.destroy();
    },
  };
}

/** Peers for one test, destroyed after it. */
export function usePeers() {
  const peers: WatchedPeer[] = [];
  afterEach(() => {
    for (const peer of peers.splice(0)) peer.destroy();
  });
  return {
    /** Connects and waits for the first sync. */
    async synced(server: HuzhuServer, documentName: string, token: string, options: { record?: boolean } = {}): Promise<WatchedPeer> {
      const peer = watchedPeer(server.collabUrl, documentName, token, options);
      peers.push(peer);
      await waitFor(() => peer.provider.isSynced, `the first sync of ${documentName}`);
      return peer;
    },
    /** Connects and resolves with the reason the server refused it. */
    async refused(server: HuzhuServer, documentName: string, token: string): Promise<string> {
      const peer = watchedPeer(server.collabUrl, documentName, token);
      peers.push(peer);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`"${documentName}" was not refused within 5 s`)), 5_000);
        peer.provider.on("authenticationFailed", ({ reason }: { reason: string }) => {
          clearTimeout(timer);
          resolve(reason);
        });
      });
    },
  };
}

/** Waits until the server closed `peer`'s document, and returns the reason. */
export async function closedWith(peer: WatchedPeer, timeoutMs = 5_000): Promise<string> {
  await waitFor(() => peer.closeReasons.length > 0, "the server to close the document", timeoutMs);
  return peer.closeReasons[0] as string;
}

/** An API answer: status, headers and the parsed JSON body. */
export interface ApiAnswer {
  readonly status: number;
  readonly headers: globalThis.Headers;
  readonly body: Record<string, unknown>;
}

/** A JSON request with a bearer token. */
export async function api(server: HuzhuServer, method: string, path: string, token: string, body?: unknown): Promise<ApiAnswer> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
}

/** The public document name of a created workbook. */
export function publicName(created: CreatedWorkbook): string {
  return created.collab.publicDocumentName;
}

/** Rows of a sheet as a workbook (or its public projection) holds them. */
export function rowsOf(workbook: Workbook, sheetId: string) {
  return workbook.findSheet(sheetId) ? workbook.listRows(sheetId as never) : [];
}
