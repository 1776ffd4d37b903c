import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import type { Hocuspocus } from "@hocuspocus/server";
import type { Logger } from "pino";
import { type RawData, type WebSocket, WebSocketServer } from "ws";
import { MAX_MESSAGE_BYTES } from "../extensions/limits.ts";
import { bridgeYjsSocket, yjsDocumentName } from "./yjs-bridge.ts";

/** The path providers connect to. */
export const COLLAB_PATH = "/collab";

/** The upgrade request as Hocuspocus wants it; `path` replaces the URL's path and query when given. */
function toWebRequest(req: IncomingMessage, path = req.url ?? "/"): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    try {
      headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
    } catch {
      // A header the Fetch API refuses is of no use to Hocuspocus; skip it.
    }
  }
  return new Request(new URL(path, `http://${req.headers.host ?? "localhost"}`), { headers });
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function refuseUpgrade(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * Accepts WebSocket upgrades on /collab and hands each socket to Hocuspocus; sockets on
 * /yjs/<document> (y-websocket's protocol) go to the same Hocuspocus through the bridge. `ws`
 * enforces the frame limit: a message over 1 MiB closes only that socket, with 1009.
 */
export function attachCollab(httpServer: Server, hocuspocus: Hocuspocus, logger: Logger): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });

  httpServer.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const [path = "", query = ""] = (req.url ?? "").split("?");
    const yjsDocument = yjsDocumentName(path);
    if (path !== COLLAB_PATH && yjsDocument === undefined) {
      refuseUpgrade(socket, "404 Not Found");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const client =
        yjsDocument === undefined
          ? hocuspocus.handleConnection(ws, toWebRequest(req))
          : // The token stays out of the request Hocuspocus hooks see (and could log).
            bridgeYjsSocket(ws, toWebRequest(req, path), yjsDocument, new URLSearchParams(query).get("token") ?? "", hocuspocus);
      ws.on("message", (data, isBinary) => {
        if (!isBinary) {
          ws.close(1003, "binary frames only");
          return;
        }
        client.handleMessage(toBytes(data));
      });
      ws.on("close", (code, reason) => client.handleClose({ code, reason: reason.toString() }));
      // Without a listener an oversized frame's error would crash the process; ws closes the
      // socket itself (1009 for too big, 1002 for protocol errors).
      ws.on("error", (error) => logger.info({ reason: error.message }, "websocket closed on a protocol error"));
    });
  });
  return wss;
}
