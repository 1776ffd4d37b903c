import type { Awareness } from "y-protocols/awareness";
import { type ReadableStore, createStore } from "../lib/store.ts";
import { type Cursor, type Peer, readPeers, samePeers } from "./presence.ts";

/** The peers of an awareness instance as a store, and a way to publish our cursor. */
export function watchPeers(awareness: Awareness): {
  peers: ReadableStore<readonly Peer[]>;
  setCursor(c: Cursor | null): void;
  stop(): void;
} {
  const peers = createStore<readonly Peer[]>([]);
  const refresh = () => {
    const next = readPeers(awareness.getStates() as Map<number, Record<string, unknown>>, awareness.clientID);
    if (!samePeers(peers.get(), next)) peers.set(next);
  };
  awareness.on("change", refresh);
  refresh();
  let last = "";
  return {
    peers,
    setCursor(cursor) {
      // Focus events repeat; only a real move goes on the wire (every change fans out to everyone).
      const key = JSON.stringify(cursor);
      if (key === last) return;
      last = key;
      awareness.setLocalStateField("cursor", cursor);
    },
    stop: () => awareness.off("change", refresh),
  };
}
