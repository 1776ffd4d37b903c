import { Worker } from "node:worker_threads";
import type { WriteBatchReply, WriteBatchRequest, WriterOptions } from "./sqlite-writer-worker.ts";
import { type SqliteWrites, type WriteName, type WriteOutcome, fromWriteFailure } from "./sqlite-writes.ts";
import { stopStorageWorker } from "./storage-worker.ts";

/** A write waiting for its batch's commit. */
interface QueuedWrite {
  readonly name: WriteName;
  readonly args: readonly unknown[];
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Group commit for the server's SQLite database, on a thread of its own. The writes asked for in
 * one event-loop turn — and, while a commit is on its way to disk, every turn after it — run in
 * one transaction on the writer thread's connection and share one fsync. With `synchronous =
 * FULL` the fsync costs far more than the statements; made on the event loop it held up every
 * editor's broadcast for its length (bench/README.md), and on a slow disk it would cap the whole
 * server at one commit per fsync.
 *
 * Each write runs in a savepoint of its own: one that throws is rolled back alone and rejects
 * alone. Each caller's promise settles once the whole transaction is on disk; if the commit
 * fails, or the thread dies under it, every write in it fails. Batches commit in the order they
 * were asked for, so a later write (an audit erasure) never overtakes an earlier one.
 */
export class SqliteGroupCommit {
  private readonly options: WriterOptions;
  private worker: Worker | undefined;
  private queued: QueuedWrite[] = [];
  private inFlight: { readonly id: number; readonly batch: readonly QueuedWrite[] } | undefined;
  private scheduled = false;
  private nextId = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(options: WriterOptions) {
    this.options = options;
  }

  /** Runs the named write in the next batch's transaction; resolves with its result once committed. */
  write<K extends WriteName>(name: K, ...args: Parameters<SqliteWrites[K]>): Promise<ReturnType<SqliteWrites[K]>> {
    if (this.closed) return Promise.reject(new Error("the database is closed"));
    return new Promise((resolve, reject) => {
      this.queued.push({ name, args, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled && !this.inFlight) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.send();
        });
      }
    });
  }

  /** Commits everything asked for so far, then stops the writer thread. */
  async close(): Promise<void> {
    this.closed = true;
    this.send();
    if (this.inFlight || this.queued.length) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await stopStorageWorker(worker);
  }

  private send(): void {
    if (this.inFlight || this.queued.length === 0) return;
    const batch = this.queued;
    this.queued = [];
    const id = this.nextId++;
    this.inFlight = { id, batch };
    const worker = this.start();
    worker.ref();
    worker.postMessage({ id, writes: batch.map(({ name, args }) => ({ name, args })) } satisfies WriteBatchRequest);
  }

  private settle(reply: WriteBatchReply): void {
    const flight = this.inFlight;
    if (!flight || flight.id !== reply.id) return;
    this.inFlight = undefined;
    if ("failure" in reply) {
      for (const { reject } of flight.batch) reject(fromWriteFailure(reply.failure));
    } else {
      for (const [i, { resolve, reject }] of flight.batch.entries()) {
        const outcome: WriteOutcome | undefined = reply.outcomes[i];
        if (outcome?.ok) resolve(outcome.value);
        else reject(outcome ? fromWriteFailure(outcome.error) : new Error("the writer thread gave no outcome"));
      }
    }
    // What was asked for during this commit goes together in the next one.
    this.send();
    if (!this.inFlight) this.becameIdle();
  }

  private becameIdle(): void {
    // An idle writer must not keep a stopping server alive.
    this.worker?.unref();
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL("./sqlite-writer-worker.ts", import.meta.url), { workerData: this.options });
    worker.on("message", (reply: WriteBatchReply) => this.settle(reply));
    const lost = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      const flight = this.inFlight;
      this.inFlight = undefined;
      // Whether its last transaction reached the disk is unknown: its writes count as failed.
      for (const { reject } of flight?.batch ?? []) reject(error);
      this.send();
      if (!this.inFlight) this.becameIdle();
    };
    worker.on("error", lost);
    worker.on("exit", (code) => lost(new Error(`the database writer thread stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }
}
