import { type CellValue, type ColumnDef, formatCell, parseCell } from "@huzhu/schema";
import { useEffect, useRef, useState } from "react";
import { useEditorFocus } from "./use-editor-focus.ts";

/**
 * State shared by the text-like editors: the starting text (the key that started editing, or the
 * cell's current text), focus on mount, and whether the text would be accepted by the column.
 */
export function useEditorText<E extends HTMLInputElement | HTMLTextAreaElement>(
  column: ColumnDef,
  value: CellValue | null | undefined,
  eventKey: string | null,
  onValueChange: (value: string) => void,
) {
  const typed = eventKey !== null && [...eventKey].length === 1 ? eventKey : null;
  const [text, setText] = useState(() => typed ?? formatCell(column, value ?? null));
  const ref = useRef<E>(null);
  // Typing into a cell replaces it (spreadsheet behaviour); Enter/F2 keeps the text, all selected.
  useEditorFocus(ref, (field) => (typed === null ? field.select() : field.setSelectionRange(typed.length, typed.length)));
  // biome-ignore lint/correctness/useExhaustiveDependencies: the typed key is the value from the start.
  useEffect(() => {
    if (typed !== null) onValueChange(typed);
  }, []);
  const parsed = parseCell(column, text);
  return {
    ref,
    text,
    problem: parsed.ok ? null : `需要${parsed.expectedZh}`,
    change(next: string) {
      setText(next);
      onValueChange(next);
    },
  };
}
