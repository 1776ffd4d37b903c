import type { Row, RowId, RowPlacement, SheetId, Workbook } from "@huzhu/schema";
import type { GridApi, IRowNode, RowDragEvent } from "ag-grid-community";
import { displayedColumns, displayedRows, focusedCell, isSorted } from "./grid-columns.ts";

/** Adds an empty row below the focused one (or at the end) and puts the cursor in it. */
export function insertRowBelowFocus(api: GridApi<Row>, workbook: Workbook, sheetId: SheetId): RowId {
  const focused = focusedCell(api);
  const placement: RowPlacement = focused?.node.data ? { after: focused.node.data.id } : {};
  const rowId = workbook.insertRow(sheetId, {}, placement);
  // The row is in the grid already: our own inserts are applied synchronously (row-sync.ts).
  const node = api.getRowNode(rowId);
  const column = focused?.column ?? displayedColumns(api).find((c) => c.system === null);
  if (node?.rowIndex != null && column) {
    api.ensureIndexVisible(node.rowIndex);
    api.setFocusedCell(node.rowIndex, column.id);
  }
  return rowId;
}

/** The rows a delete applies to: the selected rows, else the focused cell's row. */
export function rowsToDelete(api: GridApi<Row>): Row[] {
  const selected = displayedRows(api).filter((node) => node.isSelected());
  const nodes = selected.length > 0 ? selected : [focusedCell(api)?.node].filter((n): n is IRowNode<Row> => n !== undefined);
  return nodes.map((node) => node.data as Row);
}

/** Moves rows to the trash in one step (one undo restores them all). */
export function trashRows(workbook: Workbook, sheetId: SheetId, rows: readonly Row[]): void {
  workbook.transact(() => {
    for (const row of rows) workbook.deleteRow(sheetId, row.id);
  });
}

/** Where a dragged row lands: above or below the row under the pointer, by which half it is in. */
export function dropPosition(event: RowDragEvent<Row>): { target: IRowNode<Row>; position: "above" | "below" } | null {
  const target = event.overNode;
  if (!target?.data || target === event.node || target.rowTop === null || target.rowHeight == null) return null;
  return { target, position: event.y < target.rowTop + target.rowHeight / 2 ? "above" : "below" };
}

/** Shows where a dragged row would go. */
export function showDropIndicator(api: GridApi<Row>, event: RowDragEvent<Row>): void {
  const drop = dropPosition(event);
  api.setRowDropPositionIndicator(drop ? { row: drop.target, dropIndicatorPosition: drop.position } : null);
}

/** Finishes a row drag with `moveRow`; refuses while sorted, where position means nothing. */
export function dropRow(api: GridApi<Row>, workbook: Workbook, sheetId: SheetId, event: RowDragEvent<Row>): string | null {
  api.setRowDropPositionIndicator(null);
  const drop = dropPosition(event);
  const row = event.node.data;
  if (!drop || !row) return null;
  if (isSorted(api)) return "表格正在按列排序，无法拖动调整顺序。请先取消排序。";
  const targetId = (drop.target.data as Row).id;
  workbook.moveRow(sheetId, row.id, drop.position === "above" ? { before: targetId } : { after: targetId });
  return null;
}
