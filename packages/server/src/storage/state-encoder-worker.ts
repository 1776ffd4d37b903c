import { DatabaseSync } from "node:sqlite";
import { parentPort, workerData } from "node:worker_threads";
import * as Y from "yjs";
import type { StoredDocument } from "./doc-store.ts";
import { recoverDocument } from "./recover-document.ts";
import { readStoredDocument } from "./sqlite-document-read.ts";
import { type CLOSE_REQUEST, isCloseRequest } from "./storage-worker.ts";

/** What the worker is started with. */
export interface EncoderOptions {
  /** The SQLite file to read documents asked for by name from. */
  readonly sqliteFile: string | undefined;
}

/** A request to the worker: rebuild a stored document (given, or to read by name) and encode it. */
export type EncodeRequest = { readonly id: number } & ({ readonly stored: StoredDocument } | { readonly docName: string });

/** The worker's answer: the encoded state, what it contains, and the last log entry in it. */
export type EncodeReply =
  | { readonly id: number; readonly state: Uint8Array; readonly snapshot: Uint8Array; readonly lastSeq: number }
  | { readonly id: number; readonly missing: true }
  | { readonly id: number; readonly error: string };

const { sqliteFile } = (workerData ?? {}) as EncoderOptions;
let db: DatabaseSync | undefined;

/** The worker's own read-only connection, opened at the first read (WAL: it never blocks the writer). */
function database(): DatabaseSync {
  if (!sqliteFile) throw new Error("this encoder has no database to read from");
  if (!db) {
    db = new DatabaseSync(sqliteFile, { readOnly: true });
    db.exec("PRAGMA busy_timeout = 5000");
  }
  return db;
}

// Rebuilds with the loader's own code, so what it encodes is what a load would serve. Anything
// stored left out (damage) is an error: the caller then encodes its in-memory document instead.
parentPort?.on("message", (request: EncodeRequest | typeof CLOSE_REQUEST) => {
  if (isCloseRequest(request)) {
    db?.close();
    parentPort?.close();
    return;
  }
  const { id } = request;
  const ydoc = new Y.Doc();
  try {
    const stored = "stored" in request ? request.stored : readStoredDocument(database(), request.docName);
    if (!stored) {
      parentPort?.postMessage({ id, missing: true } satisfies EncodeReply);
      return;
    }
    const report = recoverDocument(ydoc, stored, null);
    if (report.damage.length > 0) {
      parentPort?.postMessage({ id, error: `${report.damage.length} stored entries did not verify` } satisfies EncodeReply);
      return;
    }
    const state = Y.encodeStateAsUpdate(ydoc);
    const snapshot = Y.encodeSnapshot(Y.snapshot(ydoc));
    parentPort?.postMessage({ id, state, snapshot, lastSeq: report.lastSeq } satisfies EncodeReply, [
      state.buffer as ArrayBuffer,
      snapshot.buffer as ArrayBuffer,
    ]);
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies EncodeReply);
  } finally {
    ydoc.destroy();
  }
});
