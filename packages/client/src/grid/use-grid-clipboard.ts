import type { Row, SheetId, Workbook } from "@huzhu/schema";
import type { GridApi } from "ag-grid-community";
import { type RefObject, useEffect, useRef } from "react";
import { copyText, pasteText } from "./clipboard.ts";

/** Whether an element takes typed text itself (then copy, paste and undo are the browser's). */
export function isTextEntry(element: Element | null): boolean {
  return element instanceof HTMLElement && (element.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName));
}

/**
 * Ctrl+C / Ctrl+V on the grid. The browser fires copy/paste on the document when a non-editable
 * cell has focus, so we listen there and act only when the focus is in this grid and no editor is
 * open. Using the events (not navigator.clipboard) works on plain http and needs no permission.
 */
export function useGridClipboard(
  api: GridApi<Row> | null,
  container: RefObject<HTMLElement | null>,
  target: { workbook: Workbook; sheetId: SheetId; readOnly: boolean },
  onMessage: (text: string, tone: "error" | "info") => void,
): void {
  const latest = useRef({ target, onMessage });
  latest.current = { target, onMessage };

  useEffect(() => {
    if (!api) return;
    const active = () => {
      const focused = document.activeElement;
      return !!focused && !!container.current?.contains(focused) && !isTextEntry(focused) && api.getEditingCells().length === 0;
    };
    const onCopy = (event: ClipboardEvent) => {
      if (!active()) return;
      const text = copyText(api);
      if (text === null || !event.clipboardData) return;
      event.clipboardData.setData("text/plain", text);
      event.preventDefault();
    };
    const onPaste = (event: ClipboardEvent) => {
      const { target: t, onMessage: say } = latest.current;
      if (!active() || t.readOnly) return;
      const text = event.clipboardData?.getData("text/plain");
      if (!text) return;
      event.preventDefault();
      const outcome = pasteText(api, t.workbook, t.sheetId, text);
      if (outcome.message) say(outcome.message, outcome.ok ? "info" : "error");
    };
    document.addEventListener("copy", onCopy);
    document.addEventListener("paste", onPaste);
    return () => {
      document.removeEventListener("copy", onCopy);
      document.removeEventListener("paste", onPaste);
    };
  }, [api, container]);
}
