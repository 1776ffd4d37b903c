import { DatabaseSync } from "node:sqlite";
import { parentPort, workerData } from "node:worker_threads";
import { sqliteTransaction } from "./sqlite-transaction.ts";
import { type CLOSE_REQUEST, isCloseRequest } from "./storage-worker.ts";
import { type QueuedWriteMessage, SQLITE_PRAGMAS, type WriteOutcome, prepareWrites, toWriteFailure } from "./sqlite-writes.ts";

/** A batch: the writes of one or more event-loop turns, committed together. */
export interface WriteBatchRequest {
  readonly id: number;
  readonly writes: readonly QueuedWriteMessage[];
}

export type WriteBatchReply =
  | { readonly id: number; readonly outcomes: readonly WriteOutcome[] }
  | { readonly id: number; readonly failure: ReturnType<typeof toWriteFailure> };

/** The file to open and its busy timeout (tests shorten it). */
export interface WriterOptions {
  readonly file: string;
  readonly busyTimeoutMs?: number;
}

const options = workerData as WriterOptions;
const db = new DatabaseSync(options.file);
db.exec(SQLITE_PRAGMAS);
if (options.busyTimeoutMs !== undefined) db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`);
const writes = prepareWrites(db);

/** Each write in a savepoint of its own: one that throws is rolled back alone. */
function inSavepoint({ name, args }: QueuedWriteMessage): WriteOutcome {
  db.exec("SAVEPOINT queued_write");
  try {
    const value = (writes[name] as (...a: readonly unknown[]) => unknown)(...args);
    db.exec("RELEASE queued_write");
    return { ok: true, value };
  } catch (error) {
    db.exec("ROLLBACK TO queued_write; RELEASE queued_write");
    return { ok: false, error: toWriteFailure(error) };
  }
}

parentPort?.on("message", (request: WriteBatchRequest | typeof CLOSE_REQUEST) => {
  if (isCloseRequest(request)) {
    db.close();
    parentPort?.close();
    return;
  }
  const { id, writes: batch } = request;
  let reply: WriteBatchReply;
  try {
    reply = { id, outcomes: sqliteTransaction(db, () => batch.map(inSavepoint)) };
  } catch (error) {
    reply = { id, failure: toWriteFailure(error) };
  }
  parentPort?.postMessage(reply);
});
