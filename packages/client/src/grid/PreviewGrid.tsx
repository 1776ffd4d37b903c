import { type Row, type Sheet, findTintColumn } from "@huzhu/schema";
import type { FirstDataRenderedEvent, GridApi } from "ag-grid-community";
import { AgGridReact } from "ag-grid-react";
import { useEffect, useMemo } from "react";
import { afterPaint } from "../lib/after-paint.ts";
import { createStore } from "../lib/store.ts";
import { createColumnDefs } from "./column-defs.ts";
import type { GridContext } from "./grid-context.ts";
import { gridFrame } from "./grid-frame.ts";
import { createViewHandlers } from "./grid-handlers.ts";

const nobody: GridContext["cursors"] = createStore(new Map());

/**
 * A sheet's rows as the server sent them for the first screen: the same columns, colours and
 * order as the live grid, read-only, while the live workbook is on its way.
 */
export function PreviewGrid({
  sheet,
  rows,
  quickFilter,
  onShown,
  onApi,
}: {
  sheet: Sheet;
  rows: readonly Row[];
  /** Search over every cell, as in the live grid. */
  quickFilter: string;
  /** Called once the rows are on screen. */
  onShown(): void;
  onApi(api: GridApi<Row> | null): void;
}) {
  const columnDefs = useMemo(() => createColumnDefs(sheet, { readOnly: true }), [sheet]);
  const handlers = useMemo(() => createViewHandlers(findTintColumn(sheet)), [sheet]);
  const context = useMemo<GridContext>(
    () => ({ sheetId: sheet.id, readOnly: true, cursors: nobody, write: () => {}, showChatGroup: () => {} }),
    [sheet],
  );
  const rowData = useMemo(() => [...rows], [rows]);
  // AG Grid reports no first render for a sheet without rows.
  useEffect(() => {
    if (rows.length === 0) onShown();
  }, [rows, onShown]);
  const onFirstDataRendered = (e: FirstDataRenderedEvent<Row>) => {
    onApi(e.api);
    // Once painted, not merely laid out.
    afterPaint(onShown);
  };
  return (
    <div className="hz-grid" data-sheet={sheet.id} data-preview="">
      <AgGridReact<Row>
        {...gridFrame}
        {...handlers}
        columnDefs={columnDefs}
        context={context}
        rowData={rowData}
        quickFilterText={quickFilter}
        suppressRowDrag
        onFirstDataRendered={onFirstDataRendered}
        onGridPreDestroyed={() => onApi(null)}
      />
    </div>
  );
}
