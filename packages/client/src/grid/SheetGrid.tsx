import { type ChatGroupLink, type Row, type RowId, SchemaError, type SheetId, type Workbook, findTintColumn } from "@huzhu/schema";
import type { GridApi, GridReadyEvent, RowSelectionOptions } from "ag-grid-community";
import { AgGridReact } from "ag-grid-react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Cursor, Peer } from "../collab/presence.ts";
import type { ReadableStore } from "../lib/store.ts";
import { createColumnDefs } from "./column-defs.ts";
import type { GridContext } from "./grid-context.ts";
import { gridFrame } from "./grid-frame.ts";
import { createGridHandlers } from "./grid-handlers.ts";
import { useCursorIndex } from "./use-cursor-index.ts";
import { useGridClipboard } from "./use-grid-clipboard.ts";
import { useGridSync } from "./use-grid-sync.ts";

const rowSelection: RowSelectionOptions<Row> = { mode: "multiRow", checkboxes: false, headerCheckbox: false, enableClickSelection: false };

/** Props of the grid of one sheet; the same grid serves editors and read-only views. */
export interface SheetGridProps {
  readonly workbook: Workbook;
  readonly sheetId: SheetId;
  readonly readOnly: boolean;
  readonly peers: ReadableStore<readonly Peer[]>;
  readonly quickFilter?: string;
  onCursor?(cursor: Cursor): void;
  onMessage(text: string, tone: "error" | "info"): void;
  onChatGroup(link: ChatGroupLink, title: string): void;
  onReady?(api: GridApi<Row> | null): void;
  /** Ctrl+- : the owner asks for confirmation, then trashes the rows. */
  onRequestDelete?(): void;
}

/** Redraws the rows shown when the tint column changes: AG Grid applies row classes as it draws a row. */
function useRowClassesFollow(api: GridApi<Row> | null, tintColumn: string | null): void {
  const drawnWith = useRef(tintColumn);
  useEffect(() => {
    if (!api || drawnWith.current === tintColumn) return;
    drawnWith.current = tintColumn;
    api.redrawRows();
  }, [api, tintColumn]);
}

/** The spreadsheet view of one sheet, live: every change arrives row by row from the workbook. */
export function SheetGrid(props: SheetGridProps) {
  const { workbook, sheetId, readOnly } = props;
  const [api, setApi] = useState<GridApi<Row> | null>(null);
  const [sheet, setSheet] = useState(() => workbook.readSheet(sheetId));
  const container = useRef<HTMLDivElement>(null);
  const latest = useRef(props);
  latest.current = props;

  const columnDefs = useMemo(() => createColumnDefs(sheet, { readOnly }), [sheet, readOnly]);
  const tintColumn = useMemo(() => findTintColumn(sheet), [sheet]);
  const cursors = useCursorIndex(props.peers, sheetId);
  useGridSync(
    api,
    workbook,
    sheet,
    () => setSheet(workbook.readSheet(sheetId)),
    // The admin may choose another tint column; a rename elsewhere must not rebuild the columns.
    () =>
      setSheet((shown) => {
        const now = workbook.readSheet(sheetId);
        return now.tintColumn === shown.tintColumn ? shown : now;
      }),
  );
  useRowClassesFollow(api, sheet.tintColumn);
  useGridClipboard(api, container, { workbook, sheetId, readOnly }, props.onMessage);

  const context = useMemo<GridContext>(
    () => ({
      sheetId,
      readOnly,
      cursors,
      write(rowId: RowId, columnId: string, input: unknown) {
        try {
          workbook.setCell(sheetId, rowId, columnId as never, input);
        } catch (error) {
          if (!(error instanceof SchemaError)) throw error;
          // Nothing was written: with readOnlyEdit the grid still shows the stored value.
          latest.current.onMessage(`未保存：${error.messageZh}`, "error");
        }
      },
      showChatGroup: (link, title) => latest.current.onChatGroup(link, title),
    }),
    [workbook, sheetId, readOnly, cursors],
  );

  const handlers = useMemo(
    () => createGridHandlers({ workbook, sheetId, readOnly, context, tintColumn, owner: latest }),
    [workbook, sheetId, readOnly, context, tintColumn],
  );
  const onGridReady = useCallback((e: GridReadyEvent<Row>) => {
    setApi(e.api);
    latest.current.onReady?.(e.api);
  }, []);
  const onGridPreDestroyed = useCallback(() => latest.current.onReady?.(null), []);

  return (
    <div ref={container} className="hz-grid" data-sheet={sheetId}>
      <AgGridReact<Row>
        {...gridFrame}
        columnDefs={columnDefs}
        context={context}
        {...handlers}
        readOnlyEdit
        rowSelection={rowSelection}
        suppressRowDrag={readOnly}
        quickFilterText={props.quickFilter}
        stopEditingWhenCellsLoseFocus
        enterNavigatesVerticallyAfterEdit
        onGridReady={onGridReady}
        onGridPreDestroyed={onGridPreDestroyed}
      />
    </div>
  );
}
