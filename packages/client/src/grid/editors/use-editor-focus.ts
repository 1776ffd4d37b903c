import { useGridCellEditor } from "ag-grid-react";
import { type RefObject, useEffect, useRef } from "react";

/**
 * Puts the caret in an editor's field. AG Grid 36 focuses the cell once the editor is attached and
 * then calls the editor's `focusIn`, so focusing on mount alone is undone: both are needed.
 * `prepare` runs on the first focus only (select all, or caret at the end after a typed key).
 */
export function useEditorFocus(
  ref: RefObject<HTMLInputElement | HTMLTextAreaElement | null>,
  prepare?: (field: HTMLInputElement | HTMLTextAreaElement) => void,
): void {
  const prepared = useRef(false);
  const focus = () => {
    const field = ref.current;
    if (!field) return;
    field.focus({ preventScroll: true });
    if (!prepared.current) {
      prepared.current = true;
      prepare?.(field);
    }
  };
  useGridCellEditor({ focusIn: focus });
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus once when the editor opens.
  useEffect(focus, []);
}
