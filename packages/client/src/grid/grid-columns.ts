import type { ColumnDef, Row } from "@huzhu/schema";
import type { Column, GridApi, IRowNode } from "ag-grid-community";
import type { ColumnParams } from "./column-defs.ts";

/** The schema column behind a grid column, or undefined for the gutter. */
export function schemaColumnOf(column: Column | null | undefined): ColumnDef | undefined {
  const params = column?.getColDef().cellRendererParams as ColumnParams | undefined;
  return params?.column;
}

/** Data columns in the order the user sees them (after moves and pinning). */
export function displayedColumns(api: GridApi<Row>): ColumnDef[] {
  return api.getAllDisplayedColumns().flatMap((column) => schemaColumnOf(column) ?? []);
}

/** Rows in the order the user sees them (after sort and filter). */
export function displayedRows(api: GridApi<Row>): IRowNode<Row>[] {
  const nodes: IRowNode<Row>[] = [];
  api.forEachNodeAfterFilterAndSort((node) => {
    if (node.data) nodes.push(node);
  });
  return nodes;
}

/** The focused data cell, if any. */
export function focusedCell(api: GridApi<Row>): { node: IRowNode<Row>; column: ColumnDef } | null {
  const focused = api.getFocusedCell();
  if (!focused || focused.rowPinned) return null;
  const node = api.getDisplayedRowAtIndex(focused.rowIndex);
  const column = schemaColumnOf(focused.column);
  return node?.data && column ? { node, column } : null;
}

/** Whether any column is sorted by the user (rows then do not follow the sheet's own order). */
export function isSorted(api: GridApi<Row>): boolean {
  return api.getColumnState().some((state) => state.sort);
}
