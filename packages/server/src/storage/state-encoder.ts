import { Worker } from "node:worker_threads";
import * as Y from "yjs";
import type { StoredDocument } from "./doc-store.ts";
import type { EncodeReply, EncodeRequest, EncoderOptions } from "./state-encoder-worker.ts";
import { stopStorageWorker } from "./storage-worker.ts";

/** A stored document rebuilt and encoded by the worker. */
export interface EncodedState {
  /** The whole state, as `Y.encodeStateAsUpdate` gives it. */
  readonly state: Uint8Array;
  /** What the state contains, for checking stored updates against it (`Y.snapshotContainsUpdate`). */
  readonly snapshot: Y.Snapshot;
  /** The highest log sequence number in the state. */
  readonly lastSeq: number;
}

interface Waiting {
  readonly resolve: (encoded: EncodedState | undefined) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Encodes stored documents in a worker thread. Encoding a big workbook's whole state takes tens
 * of milliseconds (hundreds for 30,000 rows); done on the event loop, every editor's changes
 * waited that long at each compaction (bench/README.md). The worker rebuilds the document from
 * what storage holds — the same bytes a load would read — so the server's own copy is never
 * touched. With an SQLite file the worker also reads the stored document itself, on its own
 * connection: read and copied to the worker on the event loop, the snapshots and log of a 5,000-row
 * workbook stalled every editor ~70 ms at each compaction (bench/README.md). One worker, started
 * when needed and stopped after a while without work (its heap held a whole workbook); if it dies,
 * the next use starts another.
 */
export class StateEncoder {
  private worker: Worker | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  private closed = false;
  /** How long the worker may sit idle before it is stopped to give its memory back. */
  private readonly idleMs: number;

  /** The SQLite file the worker reads stored documents from, if it may. */
  private readonly sqliteFile: string | undefined;

  constructor({ idleMs = 15_000, sqliteFile }: { idleMs?: number; sqliteFile?: string } = {}) {
    this.idleMs = idleMs;
    this.sqliteFile = sqliteFile;
  }

  /** Whether a worker is running now. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Rebuilds and encodes a document as `stored` holds it. */
  encode(stored: StoredDocument): Promise<EncodedState> {
    return this.request({ stored });
  }

  /**
   * Rebuilds and encodes a document as storage holds it now: read by the worker from the SQLite
   * file when it has one, else by `load` here. Undefined when nothing is stored under the name.
   */
  async encodeStored(docName: string, load: () => Promise<StoredDocument | undefined>): Promise<EncodedState | undefined> {
    if (this.sqliteFile) return this.request({ docName });
    const stored = await load();
    return stored && this.encode(stored);
  }

  private request<T extends EncodedState | undefined>(what: { stored: StoredDocument } | { docName: string }): Promise<T> {
    if (this.closed) return Promise.reject(new Error("the state encoder is closed"));
    const worker = this.start();
    clearTimeout(this.idleTimer);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as Waiting["resolve"], reject });
      worker.postMessage({ id, ...what } satisfies EncodeRequest);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new Error("the state encoder is closed"));
    if (worker) await stopStorageWorker(worker);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL("./state-encoder-worker.ts", import.meta.url), {
      workerData: { sqliteFile: this.sqliteFile } satisfies EncoderOptions,
    });
    // Idle between compactions; it must not keep a stopping server alive.
    worker.unref();
    worker.on("message", (reply: EncodeReply) => {
      const waiting = this.waiting.get(reply.id);
      if (!waiting) return;
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) this.stopWhenIdle(worker);
      if ("error" in reply) waiting.reject(new Error(reply.error));
      else if ("missing" in reply) waiting.resolve(undefined);
      else waiting.resolve({ state: reply.state, snapshot: Y.decodeSnapshot(reply.snapshot), lastSeq: reply.lastSeq });
    });
    const lost = (error: Error) => {
      // A worker stopped while idle may report its exit after the next one started: not theirs.
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failAll(error);
    };
    worker.on("error", lost);
    worker.on("exit", (code) => lost(new Error(`the state encoder's worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private stopWhenIdle(worker: Worker): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.worker !== worker || this.waiting.size > 0) return;
      this.worker = undefined;
      void stopStorageWorker(worker);
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private failAll(error: Error): void {
    for (const { reject } of this.waiting.values()) reject(error);
    this.waiting.clear();
  }
}
