import { ColumnType } from "@huzhu/schema";
import type { SuppressKeyboardEventParams } from "ag-grid-community";
import type { ColumnParams } from "./column-defs.ts";

const isMod = (event: KeyboardEvent) => event.ctrlKey || event.metaKey;

/** Keys SheetGrid handles itself on a focused (not editing) cell, instead of AG Grid. */
export const GridKey = {
  clear: "clear",
  toggle: "toggle",
  insertRow: "insertRow",
  deleteRows: "deleteRows",
  imeEdit: "imeEdit",
} as const;
export type GridKey = (typeof GridKey)[keyof typeof GridKey];

/** What a key press on a cell means to us, or null to leave it to AG Grid. */
export function gridKeyOf(event: KeyboardEvent, editing: boolean, columnType: ColumnType | undefined): GridKey | null {
  if (editing) return null;
  // A Chinese input method announces itself as "Process" (keyCode 229), which AG Grid does not take
  // as typing: open the editor so the composed characters land in it.
  if (event.key === "Process" || event.keyCode === 229) return GridKey.imeEdit;
  if (isMod(event) && event.key === "Enter") return GridKey.insertRow;
  // Ctrl+- deletes rows in Excel and WPS.
  if (isMod(event) && event.key === "-") return GridKey.deleteRows;
  // AG Grid only clears on Delete (Backspace starts an edit); spreadsheets clear on both.
  if ((event.key === "Delete" || event.key === "Backspace") && !isMod(event)) return GridKey.clear;
  if (event.key === " " && columnType === ColumnType.checkbox) return GridKey.toggle;
  return null;
}

/**
 * Stops AG Grid acting on keys we handle: ours above, and while editing, Shift+Enter (a new line in
 * long text) and Tab between the fields of a popup editor.
 */
export function suppressGridKeys(params: SuppressKeyboardEventParams): boolean {
  const { event, editing } = params;
  const column = (params.colDef.cellRendererParams as ColumnParams | undefined)?.column;
  if (editing) {
    if (event.key === "Enter" && event.shiftKey) return column?.type === ColumnType.longText;
    if (event.key === "Tab") return column?.type === ColumnType.chatGroup || column?.type === ColumnType.dateTime;
    return false;
  }
  // Undo/redo and clipboard belong to the workbook, not to AG Grid's own edit history.
  if (isMod(event) && ["z", "y", "c", "v"].includes(event.key.toLowerCase())) return true;
  return gridKeyOf(event, false, column?.type) !== null;
}
