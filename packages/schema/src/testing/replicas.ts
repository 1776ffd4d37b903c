import * as Y from "yjs";

/** Sends each doc what the other lacks (both directions), as two peers would on reconnect. */
export function syncPair(a: Y.Doc, b: Y.Doc): void {
  const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, toB, "sync");
  Y.applyUpdate(a, toA, "sync");
}

/** Syncs every pair until no doc has anything new. */
export function syncAll(docs: readonly Y.Doc[]): void {
  for (let round = 0; round < 2; round++) for (const a of docs) for (const b of docs) if (a !== b) syncPair(a, b);
}

/** Fresh docs that all start from `base`'s state. */
export function replicasOf(base: Y.Doc, count: number): Y.Doc[] {
  const state = Y.encodeStateAsUpdate(base);
  return Array.from({ length: count }, () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    return doc;
  });
}
