import { useSyncExternalStore } from "react";
import { type Peer, cellKey } from "../../collab/presence.ts";
import type { GridContext } from "../grid-context.ts";

const NOBODY: readonly Peer[] = [];

/** The frame and name tag of everyone else whose cursor is on this cell, in their colour. */
export function RemoteCursors({ context, rowId, columnId }: { context: GridContext; rowId: string; columnId: string }) {
  const key = cellKey(rowId, columnId);
  const peers = useSyncExternalStore(context.cursors.subscribe, () => context.cursors.get().get(key) ?? NOBODY);
  const first = peers[0];
  if (!first) return null;
  const names = peers.map((p) => p.name).join("、");
  return (
    <span className="hz-remote-cursor" style={{ borderColor: first.color }} data-peer={names}>
      <span className="hz-remote-tag" style={{ background: first.color }}>
        {peers.length > 1 ? `${first.name} 等 ${peers.length} 人` : first.name}
      </span>
    </span>
  );
}
