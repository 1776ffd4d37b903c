import { parentPort } from "node:worker_threads";
import * as Y from "yjs";
import type { StoredDocument } from "./doc-store.ts";
import { recoverDocument } from "./recover-document.ts";

/** A request to the worker: rebuild a stored document and encode it. */
export interface EncodeRequest {
  readonly id: number;
  readonly stored: StoredDocument;
}

/** The worker's answer: the encoded state, what it contains, and the last log entry in it. */
export type EncodeReply =
  | { readonly id: number; readonly state: Uint8Array; readonly snapshot: Uint8Array; readonly lastSeq: number }
  | { readonly id: number; readonly error: string };

// Rebuilds with the loader's own code, so what it encodes is what a load would serve. Anything
// stored left out (damage) is an error: the caller then encodes its in-memory document instead.
parentPort?.on("message", ({ id, stored }: EncodeRequest) => {
  const ydoc = new Y.Doc();
  try {
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
