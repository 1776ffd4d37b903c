import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { WebSocket } from "ws";

/** Hocuspocus message types (the first varuint after the document name). */
export const Message = { sync: 0, awareness: 1, auth: 2, close: 7, syncStatus: 8 } as const;

/** One frame from the server: its type and the reason, for close and permission-denied frames. */
export interface ReceivedFrame {
  readonly type: number;
  readonly reason?: string;
}

/**
 * A hand-rolled protocol client, for what a well-behaved provider never sends: garbage updates,
 * oversized frames, awareness for someone else's client id.
 */
export class RawClient {
  readonly frames: ReceivedFrame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly socket: WebSocket;
  readonly documentName: string;

  private constructor(socket: WebSocket, documentName: string) {
    this.socket = socket;
    this.documentName = documentName;
    this.closed = new Promise((resolve) => socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
    socket.on("message", (data: Buffer) => this.frames.push(RawClient.decode(data)));
  }

  /** Opens a socket and sends the auth frame for `documentName`. */
  static async open(collabUrl: string, documentName: string, token: string): Promise<RawClient> {
    const socket = new WebSocket(collabUrl);
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    socket.on("error", () => {});
    const client = new RawClient(socket, documentName);
    client.send((encoder) => {
      encoding.writeVarUint(encoder, Message.auth);
      encoding.writeVarUint(encoder, 0);
      encoding.writeVarString(encoder, token);
    });
    return client;
  }

  private static decode(data: Buffer): ReceivedFrame {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type === Message.close) return { type, reason: decoding.readVarString(decoder) };
    if (type === Message.auth && decoding.readVarUint(decoder) === 1) return { type, reason: decoding.readVarString(decoder) };
    return { type };
  }

  /** Sends one frame addressed to the document: the name, then whatever `write` adds. */
  send(write: (encoder: encoding.Encoder) => void): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, this.documentName);
    write(encoder);
    this.socket.send(encoding.toUint8Array(encoder));
  }

  /** Sends a sync "update" message carrying `update` as it is. */
  sendUpdate(update: Uint8Array): void {
    this.send((encoder) => {
      encoding.writeVarUint(encoder, Message.sync);
      encoding.writeVarUint(encoder, 2);
      encoding.writeVarUint8Array(encoder, update);
    });
  }

  /** Sends an awareness update as it is. */
  sendAwareness(update: Uint8Array): void {
    this.send((encoder) => {
      encoding.writeVarUint(encoder, Message.awareness);
      encoding.writeVarUint8Array(encoder, update);
    });
  }

  /** Sends raw bytes as one binary frame. */
  sendBytes(bytes: Uint8Array): void {
    this.socket.send(bytes);
  }

  /** Whether the server answered the auth frame with "authenticated". */
  get authenticated(): boolean {
    return this.frames.some((frame) => frame.type === Message.auth && frame.reason === undefined);
  }

  /** Stops reading from the socket, as a dead network would: no frames handled, no pongs sent. */
  pause(): void {
    (this.socket as unknown as { _socket: { pause(): void } })._socket.pause();
  }

  destroy(): void {
    this.socket.close();
  }
}
