import { Worker } from "node:worker_threads";
import type { WriteBatchReply, WriteBatchRequest, WriterOptions } from "./sqlite-writer-worker.ts";
import { type SqliteWrites, type WriteName, type WriteOutcome, fromWriteFailure } from "./sqlite-writes.ts";
import { stopStorageWorker } from "./storage-worker.ts";

/** Shortest time between the starts of two commits, by default (see SqliteGroupCommit). */
export const COMMIT_INTERVAL_MS = 10;

/** A group commit's options: the writer thread's, and how far apart its commits start. */
export interface GroupCommitOptions extends WriterOptions {
  readonly commitIntervalMs?: number;
}

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
 * Commits also start at most once per `commitIntervalMs` (like PostgreSQL's `commit_delay`):
 * a write asked for sooner after the last commit started waits for the interval to pass, with
 * everything asked for meanwhile. A write after a quiet spell goes at the end of its turn, as
 * before. On a fast disk each commit was over before the next edit came, so 300 editors made
 * ~270 commits a second; every one woke the writer thread, which on a busy machine took the CPU
 * from the event loop in the middle of its `postMessage` (~0.2 ms each, 3.5 % of the loop).
 * Spaced 10 ms apart they are under 100 a second, and editors' p99 at 300 fell by about a
 * quarter (bench/README.md); an acknowledgement waits at most the interval more.
 *
 * Each write runs in a savepoint of its own: one that throws is rolled back alone and rejects
 * alone. Each caller's promise settles once the whole transaction is on disk; if the commit
 * fails, or the thread dies under it, every write in it fails. Batches commit in the order they
 * were asked for, so a later write (an audit erasure) never overtakes an earlier one.
 */
export class SqliteGroupCommit {
  private readonly options: WriterOptions;
  private readonly commitIntervalMs: number;
  private worker: Worker | undefined;
  private queued: QueuedWrite[] = [];
  private inFlight: { readonly id: number; readonly batch: readonly QueuedWrite[] } | undefined;
  private scheduled = false;
  private lastCommitStart = Number.NEGATIVE_INFINITY;
  private nextId = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor({ commitIntervalMs = COMMIT_INTERVAL_MS, ...options }: GroupCommitOptions) {
    this.options = options;
    this.commitIntervalMs = commitIntervalMs;
  }

  /** Runs the named write in the next batch's transaction; resolves with its result once committed. */
  write<K extends WriteName>(name: K, ...args: Parameters<SqliteWrites[K]>): Promise<ReturnType<SqliteWrites[K]>> {
    if (this.closed) return Promise.reject(new Error("the database is closed"));
    return new Promise((resolve, reject) => {
      this.queued.push({ name, args, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Sends the queue at the end of this turn, or once the interval since the last commit's start has passed. */
  private schedule(): void {
    if (this.scheduled || this.inFlight) return;
    this.scheduled = true;
    const send = () => {
      this.scheduled = false;
      this.send();
    };
    const wait = this.lastCommitStart + this.commitIntervalMs - performance.now();
    if (wait > 0) setTimeout(send, wait);
    else setImmediate(send);
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
    this.lastCommitStart = performance.now();
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
    // What was asked for during this commit goes together in the next one (at once when closing).
    if (this.queued.length === 0) this.becameIdle();
    else if (this.closed) this.send();
    else this.schedule();
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
