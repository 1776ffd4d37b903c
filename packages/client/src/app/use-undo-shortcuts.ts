import { useEffect } from "react";
import type { UndoHistory } from "../collab/undo.ts";
import { isTextEntry } from "../grid/use-grid-clipboard.ts";

/**
 * Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo (⌘ on macOS), anywhere on the page except inside a
 * text field, where the browser's own undo of typing is what people expect.
 */
export function useUndoShortcuts(history: UndoHistory, enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || isTextEntry(event.target as Element | null)) return;
      const key = event.key.toLowerCase();
      if (key === "z" && !event.shiftKey) history.undo();
      else if ((key === "z" && event.shiftKey) || key === "y") history.redo();
      else return;
      event.preventDefault();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [history, enabled]);
}
