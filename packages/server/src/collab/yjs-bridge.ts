import type { Hocuspocus, WebSocketLike } from "@hocuspocus/server";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { WebSocket } from "ws";
import { CollabCloseCode } from "./context.ts";

/**
 * The y-websocket endpoint: `/yjs/<document name>?token=<link token>`. Standard Yjs clients
 * (y-websocket's WebsocketProvider and anything speaking its protocol) sync a workbook here with
 * the same links, roles and read-only rules as /collab, because each socket is handed to the same
 * Hocuspocus instance through an adapter that translates the framing.
 */
export const YJS_PATH = "/yjs";

/** y-websocket's message types (the first varuint of every frame; no document name before it). */
const YMessage = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const;
/** y-protocols/auth: the only auth message a y-websocket client understands. */
const Y_PERMISSION_DENIED = 0;

/** Hocuspocus' message types (after the document name). */
const HMessage = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3, syncReply: 4, close: 7 } as const;
/** Hocuspocus' auth sub-types. */
const HAuth = { token: 0, permissionDenied: 1, authenticated: 2 } as const;

/** The close code a refusal reason gets on the y-websocket socket (4400–4499: clients stop retrying). */
const CLOSE_CODES: Readonly<Record<string, number>> = {
  "invalid-document-name": CollabCloseCode.badRequest,
  "missing-token": CollabCloseCode.unauthorized,
  "invalid-token": CollabCloseCode.unauthorized,
  "link-expired": CollabCloseCode.unauthorized,
  "link-revoked": CollabCloseCode.unauthorized,
  "role-not-allowed": CollabCloseCode.forbidden,
  "malformed-update": CollabCloseCode.badRequest,
  "malformed-state-vector": CollabCloseCode.badRequest,
  "unknown-sync-message": CollabCloseCode.badRequest,
  "update-too-large": CollabCloseCode.tooLarge,
  "storage-failed": CollabCloseCode.unavailable,
  "document-unreadable": CollabCloseCode.unavailable,
  "document-missing": CollabCloseCode.unavailable,
};

function closeCodeFor(reason: string, fallback: number): number {
  return CLOSE_CODES[reason] ?? fallback;
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** `/yjs/<name>` → the decoded document name, or undefined for any other path. */
export function yjsDocumentName(path: string): string | undefined {
  if (!path.startsWith(`${YJS_PATH}/`)) return undefined;
  try {
    const name = decodeURIComponent(path.slice(YJS_PATH.length + 1));
    return name.length > 0 && !name.includes("/") ? name : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What Hocuspocus sees as the socket: frames it sends lose their document-name prefix and reach
 * the client in y-websocket's framing; what only Hocuspocus' provider understands (sync status,
 * stateless messages, token requests) is dropped. A refusal becomes y-protocols' permission-denied
 * message followed by a close with a 44xx code and the reason, which y-websocket reports as
 * `closed` and does not retry.
 */
class YjsSocket implements WebSocketLike {
  /** "readonly" or "read-write" once authenticated. */
  scope: string | undefined;
  private readonly ws: WebSocket;

  constructor(ws: WebSocket) {
    this.ws = ws;
  }

  get readyState(): number {
    return this.ws.readyState;
  }

  send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
    if (!(data instanceof Uint8Array)) return;
    const decoder = decoding.createDecoder(data);
    decoding.readVarString(decoder); // the document name: one document per socket here
    const type = decoding.readVarUint(decoder);
    const rest = data.subarray(decoder.pos);
    switch (type) {
      case HMessage.sync:
      case HMessage.syncReply:
        this.forward(YMessage.sync, rest);
        return;
      case HMessage.awareness:
        this.forward(YMessage.awareness, rest);
        return;
      case HMessage.queryAwareness:
        this.forward(YMessage.queryAwareness, rest);
        return;
      case HMessage.auth:
        this.onAuth(decoder);
        return;
      case HMessage.close:
        this.refuse(decoding.readVarString(decoder), 1000);
        return;
      default:
      // Sync status, stateless and pings mean nothing to a y-websocket client.
    }
  }

  close(code?: number, reason?: string): void {
    this.ws.close(code, reason);
  }

  private forward(type: number, payload: Uint8Array): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(
      frame((encoder) => {
        encoding.writeVarUint(encoder, type);
        encoding.writeUint8Array(encoder, payload);
      }),
    );
  }

  private onAuth(decoder: decoding.Decoder): void {
    const kind = decoding.readVarUint(decoder);
    if (kind === HAuth.authenticated) {
      this.scope = decoding.readVarString(decoder);
    } else if (kind === HAuth.permissionDenied) {
      const reason = decoding.readVarString(decoder);
      if (this.ws.readyState === this.ws.OPEN) {
        this.ws.send(
          frame((encoder) => {
            encoding.writeVarUint(encoder, YMessage.auth);
            encoding.writeVarUint(encoder, Y_PERMISSION_DENIED);
            encoding.writeVarString(encoder, reason);
          }),
        );
      }
      this.refuse(reason, CollabCloseCode.forbidden);
    }
  }

  private refuse(reason: string, fallback: number): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(closeCodeFor(reason, fallback), reason.slice(0, 120));
  }
}

/** How often the bridge shows an idle socket is alive, to Hocuspocus and to the client. */
const KEEPALIVE_MS = 15_000;

/** What the WebSocket wiring calls for a bridged socket, like Hocuspocus' ClientConnection. */
export interface BridgedConnection {
  handleMessage(data: Uint8Array): void;
  handleClose(event: { code: number; reason: string }): void;
}

/**
 * Hands an accepted y-websocket socket to Hocuspocus as a one-document connection: sends the
 * authentication message Hocuspocus expects (with the query's token), then prefixes every
 * client frame of a known type with the document name. Other frame types are dropped, so a
 * client cannot reach Hocuspocus-only messages (auth, stateless, close) through this door.
 */
export function bridgeYjsSocket(
  ws: WebSocket,
  request: Request,
  documentName: string,
  token: string,
  hocuspocus: Hocuspocus,
): BridgedConnection {
  const socket = new YjsSocket(ws);
  const client = hocuspocus.handleConnection(socket, request);
  const prefix = frame((encoder) => encoding.writeVarString(encoder, documentName));
  client.handleMessage(
    frame((encoder) => {
      encoding.writeVarString(encoder, documentName);
      encoding.writeVarUint(encoder, HMessage.auth);
      encoding.writeVarUint(encoder, HAuth.token);
      encoding.writeVarString(encoder, token);
    }),
  );

  // Hocuspocus closes sockets it has not heard from for a minute, and y-websocket clients
  // reconnect after 30 s of silence; a read-only viewer may have nothing to say for longer.
  // Pongs count as life for Hocuspocus; an empty awareness update counts for the client.
  const emptyAwareness = frame((encoder) => {
    encoding.writeVarUint(encoder, YMessage.awareness);
    encoding.writeVarUint8Array(
      encoder,
      frame((inner) => encoding.writeVarUint(inner, 0)),
    );
  });
  const keepalive = setInterval(() => {
    if (ws.readyState !== ws.OPEN) return;
    ws.ping();
    if (socket.scope !== undefined) ws.send(emptyAwareness);
  }, KEEPALIVE_MS);
  ws.on("pong", () => {
    client.lastMessageReceivedAt = Date.now();
  });

  return {
    handleMessage(bytes) {
      const type = bytes[0];
      if (type !== YMessage.sync && type !== YMessage.awareness && type !== YMessage.queryAwareness) return;
      const prefixed = new Uint8Array(prefix.length + bytes.length);
      prefixed.set(prefix);
      prefixed.set(bytes, prefix.length);
      client.handleMessage(prefixed);
    },
    handleClose(event) {
      clearInterval(keepalive);
      client.handleClose(event);
    },
  };
}
