import { type Row, type Sheet, type SheetId, type Workbook, observeWorkbook } from "@huzhu/schema";
import type { GridApi } from "ag-grid-community";
import { useEffect, useRef } from "react";
import { applySheetChanges, refreshAllRows } from "./row-sync.ts";

/**
 * Loads the sheet's rows when the grid is ready and from then on applies each transaction's
 * changes to it row by row. Loading and subscribing happen in the same tick, so no change is missed.
 * `onColumnsChanged` hears of changed columns, `onSheetsChanged` of any sheet's own properties.
 */
export function useGridSync(
  api: GridApi<Row> | null,
  workbook: Workbook,
  sheet: Sheet,
  onColumnsChanged: () => void,
  onSheetsChanged: () => void,
): void {
  const columnIds = useRef(new Set<string>());
  columnIds.current = new Set(sheet.columns.map((c) => c.id));
  const columnsChanged = useRef(onColumnsChanged);
  columnsChanged.current = onColumnsChanged;
  const sheetsChanged = useRef(onSheetsChanged);
  sheetsChanged.current = onSheetsChanged;
  const sheetId: SheetId = sheet.id;

  useEffect(() => {
    if (!api) return;
    api.setGridOption("rowData", workbook.listRows(sheetId));
    return observeWorkbook(workbook.ydoc, (changes, transaction) => {
      if (changes.sheetsChanged) sheetsChanged.current();
      const sheetChanges = changes.bySheet.get(sheetId);
      if (!sheetChanges) return;
      if (sheetChanges.columnsChanged) {
        columnsChanged.current();
        refreshAllRows(api, workbook, sheetId);
        return;
      }
      applySheetChanges(api, workbook, sheetId, sheetChanges, transaction.local, columnIds.current);
    });
  }, [api, workbook, sheetId]);
}
