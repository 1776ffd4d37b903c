import * as encoding from "lib0/encoding";
import { WebSocket } from "ws";

/**
 * A load-generating client that speaks Hocuspocus' wire protocol without a Y.Doc: it authenticates,
 * runs sync step 1/2 claiming a state vector it is given, sends pre-encoded updates and hands every
 * received update frame, undecoded, to a callback (which looks for edit markers by byte search).
 *
 * Framing (read from @hocuspocus/provider and server): every message is
 * `varString(documentName) · varUint(type) · payload`; sync payloads are y-protocols' sync messages.
 */
const MessageType = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3, syncReply: 4, close: 7, syncStatus: 8 } as const;
const SyncStep = { step1: 0, step2: 1, update: 2 } as const;
const AuthType = { token: 0, permissionDenied: 1, authenticated: 2 } as const;
/** A Yjs V1 update with no structs and an empty delete set. */
const EMPTY_UPDATE = new Uint8Array([0, 0]);
/** A state vector with no clients: "I have nothing, send me everything". */
export const EMPTY_STATE_VECTOR = new Uint8Array([0]);
const CLIENT_VERSION = "huzhu-bench";

/** What a light client connects to and how it presents itself. */
export interface LightClientOptions {
  /** WebSocket URL of the collaboration endpoint. */
  readonly url: string;
  readonly documentName: string;
  readonly token: string;
  /** The state the client claims to hold; the server's sync step 2 carries only what it lacks. */
  readonly stateVector?: Uint8Array;
  /** Every document update the server pushes after the handshake, as the raw frame. */
  readonly onUpdate?: (frame: Buffer) => void;
  /** The server's sync step 2 (the state the client lacked), decoded out of its frame. */
  readonly onSyncStep2?: (update: Uint8Array) => void;
  /** Called once when the socket or the document connection closes. */
  readonly onClose?: (reason: string) => void;
}

/** How long the handshake took, in milliseconds. */
export interface ConnectTiming {
  readonly authenticatedMs: number;
  readonly syncedMs: number;
  /** Bytes of the server's sync step 2. */
  readonly syncBytes: number;
  readonly readOnly: boolean;
}

/** A cursor over a received frame; reads lib0 variable-length integers without allocating. */
class FrameReader {
  position = 0;
  readonly bytes: Buffer;

  constructor(bytes: Buffer) {
    this.bytes = bytes;
  }

  uint(): number {
    let value = 0;
    let multiplier = 1;
    for (let i = 0; i < 8; i++) {
      const byte = this.bytes[this.position++];
      if (byte === undefined) throw new Error("Truncated frame");
      value += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return value;
      multiplier *= 128;
    }
    throw new Error("Variable-length integer too long");
  }

  /** lib0 signed varInt (used by SyncStatus). */
  int(): number {
    const first = this.bytes[this.position++] ?? 0;
    let value = first & 0x3f;
    const negative = (first & 0x40) !== 0;
    let multiplier = 64;
    let byte = first;
    while (byte & 0x80) {
      byte = this.bytes[this.position++] ?? 0;
      value += (byte & 0x7f) * multiplier;
      multiplier *= 128;
    }
    return negative ? -value : value;
  }

  bytesField(): Buffer {
    const length = this.uint();
    const start = this.position;
    this.position += length;
    return this.bytes.subarray(start, this.position);
  }

  string(): string {
    return this.bytesField().toString("utf8");
  }
}

function frame(documentName: string, type: number, write: (encoder: encoding.Encoder) => void = () => {}): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, documentName);
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** Encodes a document update as the frame a light client sends; encode once, send from many clients. */
export function encodeUpdateFrame(documentName: string, update: Uint8Array): Uint8Array {
  return frame(documentName, MessageType.sync, (e) => {
    encoding.writeVarUint(e, SyncStep.update);
    encoding.writeVarUint8Array(e, update);
  });
}

export class LightClient {
  framesReceived = 0;
  bytesReceived = 0;
  /** Updates the server acknowledged as applied / refused (e.g. on a read-only connection). */
  acked = 0;
  refused = 0;
  readOnly = false;
  closed = false;
  closeReason = "";
  private socket: WebSocket | null = null;
  private sent = 0;
  private ackWaiters: { target: number; resolve: (acknowledged: boolean) => void }[] = [];

  readonly options: LightClientOptions;

  constructor(options: LightClientOptions) {
    this.options = options;
  }

  /** Opens the socket, authenticates and completes the initial sync; rejects on denial or timeout. */
  connect(timeoutMs: number): Promise<ConnectTiming> {
    const { url, documentName, token } = this.options;
    const startedAt = performance.now();
    let authenticatedMs = -1;
    return new Promise<ConnectTiming>((resolve, reject) => {
      const socket = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: timeoutMs });
      this.socket = socket;
      let settled = false;
      const fail = (reason: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.close();
        reject(new Error(`${documentName}: ${reason}`));
      };
      const timer = setTimeout(() => fail(`no sync within ${timeoutMs} ms`), timeoutMs);
      socket.on("open", () => {
        socket.send(
          frame(documentName, MessageType.auth, (e) => {
            encoding.writeVarUint(e, AuthType.token);
            encoding.writeVarString(e, token);
            encoding.writeVarString(e, CLIENT_VERSION);
          }),
        );
        socket.send(
          frame(documentName, MessageType.sync, (e) => {
            encoding.writeVarUint(e, SyncStep.step1);
            encoding.writeVarUint8Array(e, this.options.stateVector ?? EMPTY_STATE_VECTOR);
          }),
        );
      });
      socket.on("message", (data: Buffer) => {
        this.framesReceived++;
        this.bytesReceived += data.length;
        const reader = new FrameReader(data);
        let type: number;
        try {
          reader.bytesField(); // document name: one document per socket here
          type = reader.uint();
        } catch {
          return;
        }
        if (type === MessageType.sync || type === MessageType.syncReply) {
          const step = reader.uint();
          if (step === SyncStep.update) this.options.onUpdate?.(data);
          else if (step === SyncStep.step1) {
            // The server asks for what it lacks; a light client holds nothing of its own.
            this.sent++;
            this.send(
              frame(documentName, MessageType.sync, (e) => {
                encoding.writeVarUint(e, SyncStep.step2);
                encoding.writeVarUint8Array(e, EMPTY_UPDATE);
              }),
            );
          } else if (step === SyncStep.step2 && !settled) {
            const update = reader.bytesField();
            this.options.onSyncStep2?.(update);
            settled = true;
            clearTimeout(timer);
            const syncedMs = performance.now() - startedAt;
            resolve({ authenticatedMs, syncedMs, syncBytes: update.length, readOnly: this.readOnly });
          }
        } else if (type === MessageType.auth) {
          const authType = reader.uint();
          if (authType === AuthType.authenticated) {
            authenticatedMs = performance.now() - startedAt;
            this.readOnly = reader.string() === "readonly";
          } else if (authType === AuthType.permissionDenied) fail(`permission denied: ${reader.string()}`);
        } else if (type === MessageType.syncStatus) {
          if (reader.int() === 1) this.acked++;
          else this.refused++;
          this.settleAckWaiters();
        } else if (type === MessageType.close) {
          this.markClosed(`server closed the document: ${reader.string()}`);
          fail(this.closeReason);
        }
      });
      socket.on("error", (error) => fail(`socket error: ${error.message}`));
      socket.on("close", (code, reason) => {
        this.markClosed(`socket closed (${code}${reason.length ? ` ${reason.toString()}` : ""})`);
        fail(this.closeReason);
      });
    });
  }

  /** Sends a pre-encoded update frame (see `encodeUpdateFrame`). */
  sendFrame(updateFrame: Uint8Array): void {
    this.sent++;
    this.send(updateFrame);
  }

  /** Resolves true once the server has answered every update sent so far; false on timeout or close. */
  whenAcknowledged(timeoutMs: number): Promise<boolean> {
    if (this.acked + this.refused >= this.sent) return Promise.resolve(true);
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.ackWaiters.push({
        target: this.sent,
        resolve: (acknowledged) => {
          clearTimeout(timer);
          resolve(acknowledged);
        },
      });
    });
  }

  /**
   * Hocuspocus closes sockets that send nothing for 60 s. A silent viewer asks for awareness,
   * which costs the server one small reply and publishes nothing to other clients.
   */
  keepAlive(): void {
    this.send(frame(this.options.documentName, MessageType.queryAwareness));
  }

  /** Bytes queued in the socket but not yet written (a sign the generator is falling behind). */
  get bufferedAmount(): number {
    return this.socket?.bufferedAmount ?? 0;
  }

  close(): void {
    const socket = this.socket;
    if (!socket) return;
    if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) socket.terminate();
    this.markClosed("closed by the bench");
  }

  private send(bytes: Uint8Array): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(bytes);
  }

  private settleAckWaiters(): void {
    const done = this.acked + this.refused;
    const ready = this.ackWaiters.filter((w) => w.target <= done);
    if (!ready.length) return;
    this.ackWaiters = this.ackWaiters.filter((w) => w.target > done);
    for (const waiter of ready) waiter.resolve(true);
  }

  private markClosed(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    for (const waiter of this.ackWaiters.splice(0)) waiter.resolve(false);
    this.options.onClose?.(reason);
  }
}
