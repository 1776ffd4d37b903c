import * as Y from "yjs";
import { type ReadableStore, createStore } from "../lib/store.ts";

/** Undo and redo of this user's own edits (never someone else's). */
export interface UndoHistory {
  readonly state: ReadableStore<{ readonly canUndo: boolean; readonly canRedo: boolean }>;
  undo(): void;
  redo(): void;
  destroy(): void;
}

/**
 * Tracks only transactions with `origin`, the origin of every mutation this browser makes through
 * `openWorkbook`: remote edits and server writes (case numbers) stay untouched by Ctrl+Z.
 */
export function createUndoHistory(ydoc: Y.Doc, origin: unknown): UndoHistory {
  // captureTimeout 0: every edit (or paste) is its own step, as in a spreadsheet.
  const manager = new Y.UndoManager(ydoc, { trackedOrigins: new Set([origin]), captureTimeout: 0 });
  const state = createStore({ canUndo: false, canRedo: false });
  const refresh = () => {
    const next = { canUndo: manager.canUndo(), canRedo: manager.canRedo() };
    const current = state.get();
    if (current.canUndo !== next.canUndo || current.canRedo !== next.canRedo) state.set(next);
  };
  for (const event of ["stack-item-added", "stack-item-popped", "stack-cleared"] as const) manager.on(event, refresh);
  return {
    state,
    undo: () => void manager.undo(),
    redo: () => void manager.redo(),
    destroy: () => manager.destroy(),
  };
}
