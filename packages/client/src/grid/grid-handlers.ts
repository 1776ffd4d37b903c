import { type ColumnDef, type Row, type SheetId, type Workbook, compareOrdered } from "@huzhu/schema";
import type { AgGridReactProps } from "ag-grid-react";
import type { Cursor } from "../collab/presence.ts";
import { GUTTER_COLUMN_ID } from "./column-defs.ts";
import type { GridContext } from "./grid-context.ts";
import { isSorted, schemaColumnOf } from "./grid-columns.ts";
import { GridKey, gridKeyOf } from "./keyboard.ts";
import { rowTintClass } from "./palette.ts";
import { dropRow, insertRowBelowFocus, showDropIndicator } from "./row-actions.ts";

/** What the handlers reach for; `owner` holds the latest callbacks of the component. */
export interface GridHandlerDeps {
  readonly workbook: Workbook;
  readonly sheetId: SheetId;
  readonly readOnly: boolean;
  readonly context: GridContext;
  readonly tintColumn: ColumnDef | undefined;
  readonly owner: {
    readonly current: {
      onCursor?(cursor: Cursor): void;
      onMessage(text: string, tone: "error" | "info"): void;
      onRequestDelete?(): void;
    };
  };
}

type Handlers = Pick<
  AgGridReactProps<Row>,
  | "getRowId"
  | "getRowClass"
  | "onCellEditRequest"
  | "onCellKeyDown"
  | "onRowDragMove"
  | "onRowDragLeave"
  | "onRowDragEnd"
  | "postSortRows"
  | "onModelUpdated"
  | "onCellFocused"
>;

type ViewHandlers = Pick<Handlers, "getRowId" | "getRowClass" | "postSortRows" | "onModelUpdated">;

/** The callbacks that show a sheet as volunteers know it, for the live grid and its preview alike. */
export function createViewHandlers(tintColumn: ColumnDef | undefined): ViewHandlers {
  return {
    getRowId: (p) => p.data.id,
    getRowClass: (p) => rowTintClass(tintColumn, p.data),
    postSortRows: ({ nodes, api }) => {
      // Unsorted, rows follow the sheet's own order (fractional keys), wherever they were added.
      if (!isSorted(api)) nodes.sort((a, b) => compareOrdered(a.data as Row, b.data as Row));
    },
    // Row numbers follow the displayed order after every sort, filter or insert.
    onModelUpdated: (e) => e.api.refreshCells({ columns: [GUTTER_COLUMN_ID], force: true }),
  };
}

/**
 * AG Grid's callbacks for one sheet, created once per sheet (SheetGrid memoises them): a new
 * function on every render would make AG Grid re-apply the option, and `postSortRows` in particular
 * re-sorts and re-renders every cell, stealing focus from an open editor.
 */
export function createGridHandlers({ workbook, sheetId, readOnly, context, tintColumn, owner }: GridHandlerDeps): Handlers {
  return {
    ...createViewHandlers(tintColumn),
    onCellEditRequest: (e) => {
      if (e.data && e.colDef.colId) context.write(e.data.id, e.colDef.colId, e.newValue);
    },
    onCellKeyDown: (event) => {
      const keyEvent = event.event as KeyboardEvent | null;
      const column = "column" in event ? schemaColumnOf(event.column) : undefined;
      if (!keyEvent || !event.data || readOnly) return;
      const key = gridKeyOf(keyEvent, event.api.getEditingCells().length > 0, column?.type);
      if (key === GridKey.insertRow) insertRowBelowFocus(event.api, workbook, sheetId);
      else if (key === GridKey.imeEdit) {
        if (column && column.system === null && event.rowIndex !== null)
          event.api.startEditingCell({ rowIndex: event.rowIndex, colKey: column.id });
      } else if (key === GridKey.deleteRows) {
        keyEvent.preventDefault();
        owner.current.onRequestDelete?.();
      } else if (key && column && column.system === null) {
        keyEvent.preventDefault();
        const value = "value" in event ? event.value : null;
        context.write(event.data.id, column.id, key === GridKey.toggle ? value !== true : null);
      }
    },
    onRowDragMove: (e) => showDropIndicator(e.api, e),
    onRowDragLeave: (e) => e.api.setRowDropPositionIndicator(null),
    onRowDragEnd: (e) => {
      const refusal = dropRow(e.api, workbook, sheetId, e);
      if (refusal) owner.current.onMessage(refusal, "info");
    },
    onCellFocused: (e) => {
      const node = e.rowIndex === null ? undefined : e.api.getDisplayedRowAtIndex(e.rowIndex);
      const columnId = typeof e.column === "string" ? e.column : e.column?.getColId();
      if (!node?.data || !columnId || columnId === GUTTER_COLUMN_ID) return;
      owner.current.onCursor?.({ sheetId, rowId: node.data.id, columnId });
    },
  };
}
