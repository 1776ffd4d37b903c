import { useEffect, useMemo } from "react";
import { type Peer, indexCursors } from "../collab/presence.ts";
import { type ReadableStore, createStore } from "../lib/store.ts";

/** Remote cursors on one sheet, indexed by cell, kept up to date from the peers store. */
export function useCursorIndex(
  peers: ReadableStore<readonly Peer[]>,
  sheetId: string,
): ReadableStore<ReadonlyMap<string, readonly Peer[]>> {
  const store = useMemo(() => createStore<ReadonlyMap<string, readonly Peer[]>>(indexCursors(peers.get(), sheetId)), [peers, sheetId]);
  useEffect(() => {
    const refresh = () => store.set(indexCursors(peers.get(), sheetId));
    refresh();
    return peers.subscribe(refresh);
  }, [peers, sheetId, store]);
  return store;
}
