import type { Row, SheetId } from "@huzhu/schema";
import type { CellFocusedEvent, GridApi } from "ag-grid-community";
import { type MouseEvent, useCallback, useEffect, useMemo, useState } from "react";
import type { Collab } from "../collab/collab.ts";
import { GUTTER_COLUMN_ID } from "../grid/column-defs.ts";
import { focusedCell } from "../grid/grid-columns.ts";
import { showToast } from "../ui/toasts.ts";
import { useWorkbookApi } from "./api-context.ts";
import { ExportMenu } from "./ExportMenu.tsx";
import { ImportDialog } from "./ImportDialog.tsx";
import { PurgeDialog } from "./PurgeDialog.tsx";
import { RowHistoryPanel } from "./RowHistoryPanel.tsx";
import { RowMenu, type RowMenuItem } from "./RowMenu.tsx";
import { summarizeRow } from "./row-summary.ts";
import { VersionsDialog } from "./VersionsDialog.tsx";
import type { WorkbookApi } from "./workbook-api.ts";
import "../styles/history.css";

const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);
/** The shortcut that opens the focused row's history. */
export const HISTORY_SHORTCUT = isMac ? "⌃⌥H" : "Ctrl+Alt+H";

type Dialog =
  | { readonly kind: "versions"; readonly rowId: string | null }
  | { readonly kind: "import" }
  | { readonly kind: "purge"; readonly rowId: string }
  | { readonly kind: "menu"; readonly x: number; readonly y: number; readonly rowId: string };

/** Row history, versions, import, export and purge for one sheet: state and actions. */
export interface HistoryTools {
  readonly collab: Collab;
  readonly sheetId: SheetId;
  /** Null when the workbook has no API (local demo) or the link may not edit: everything is hidden. */
  readonly api: WorkbookApi | null;
  readonly isAdmin: boolean;
  readonly panelRowId: string | null;
  readonly dialog: Dialog | null;
  /** Opens the history of `rowId`, or of the focused row. */
  openHistory(rowId?: string): void;
  closeHistory(): void;
  openVersions(rowId?: string | null): void;
  openImport(): void;
  requestPurge(rowId: string): void;
  closeDialog(): void;
  /** The grid area's right-click: the row menu, instead of the browser's. */
  onContextMenu(event: MouseEvent<HTMLElement>): void;
}

function focusedRowId(api: GridApi<Row> | null): string | null {
  return api ? (focusedCell(api)?.node.data?.id ?? null) : null;
}

/**
 * The history features of a sheet view. The row history panel follows the focused row while it
 * is open; Ctrl+Alt+H (⌃⌥H) opens or closes it for the focused row.
 */
export function useHistoryTools(collab: Collab, sheetId: SheetId, gridApi: GridApi<Row> | null): HistoryTools {
  const workbookApi = useWorkbookApi();
  const api = collab.readOnly ? null : workbookApi;
  const [panelRowId, setPanelRowId] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);

  const openHistory = useCallback(
    (rowId?: string) => {
      const id = rowId ?? focusedRowId(gridApi);
      if (id) setPanelRowId(id);
      else showToast("请先点击要查看历史的行。");
    },
    [gridApi],
  );

  useEffect(() => {
    if (!api) return;
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey && event.altKey) || event.metaKey || event.code !== "KeyH") return;
      event.preventDefault();
      if (panelRowId !== null) setPanelRowId(null);
      else openHistory();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [api, panelRowId, openHistory]);

  const following = panelRowId !== null;
  useEffect(() => {
    if (!gridApi || !following) return;
    const onFocus = (event: CellFocusedEvent<Row>) => {
      const node = event.rowIndex === null ? undefined : gridApi.getDisplayedRowAtIndex(event.rowIndex);
      if (node?.data) setPanelRowId(node.data.id);
    };
    gridApi.addEventListener("cellFocused", onFocus);
    return () => {
      if (!gridApi.isDestroyed()) gridApi.removeEventListener("cellFocused", onFocus);
    };
  }, [gridApi, following]);

  return useMemo<HistoryTools>(
    () => ({
      collab,
      sheetId,
      api,
      isAdmin: collab.self.role === "admin",
      panelRowId,
      dialog,
      openHistory,
      closeHistory: () => setPanelRowId(null),
      openVersions: (rowId = null) => setDialog({ kind: "versions", rowId }),
      openImport: () => setDialog({ kind: "import" }),
      requestPurge: (rowId) => setDialog({ kind: "purge", rowId }),
      closeDialog: () => setDialog(null),
      onContextMenu(event) {
        if (!api || !gridApi) return;
        const target = event.target as Element;
        const rowElement = target.closest?.(".ag-row[row-id]");
        const rowId = rowElement?.getAttribute("row-id");
        if (!rowId || target.closest(".ag-popup-editor, .ag-cell-inline-editing")) return;
        event.preventDefault();
        const node = gridApi.getRowNode(rowId);
        const columnId = target.closest(".ag-cell[col-id]")?.getAttribute("col-id");
        if (node?.rowIndex != null && columnId && columnId !== GUTTER_COLUMN_ID) gridApi.setFocusedCell(node.rowIndex, columnId);
        setDialog({ kind: "menu", x: event.clientX, y: event.clientY, rowId });
      },
    }),
    [collab, sheetId, api, panelRowId, dialog, openHistory, gridApi],
  );
}

/** The toolbar's 历史 · 版本 · 导入 · 导出 buttons. */
export function HistoryToolbar({ tools }: { tools: HistoryTools }) {
  if (!tools.api) return null;
  return (
    <>
      <span className="hz-tool-divider" aria-hidden="true" />
      <button
        type="button"
        className={`hz-tool${tools.panelRowId ? " is-active" : ""}`}
        aria-pressed={tools.panelRowId !== null}
        onClick={() => (tools.panelRowId ? tools.closeHistory() : tools.openHistory())}
        title={`查看选中行的修改历史（${HISTORY_SHORTCUT}）`}
      >
        历史
      </button>
      <button type="button" className="hz-tool" onClick={() => tools.openVersions()} title="保存、查看和恢复版本">
        版本
      </button>
      <button type="button" className="hz-tool" onClick={tools.openImport} title="从 CSV 或 Excel 文件导入行">
        导入
      </button>
      <ExportMenu api={tools.api} sheetId={tools.sheetId} />
    </>
  );
}

/** The row history panel (beside the grid), the row menu and the dialogs. */
export function HistoryLayer({ tools }: { tools: HistoryTools }) {
  const { api, collab, sheetId, dialog } = tools;
  if (!api) return null;
  const { workbook } = collab;
  const sheet = () => workbook.readSheet(sheetId);
  const title = (rowId: string) => summarizeRow(sheet(), workbook.findRow(sheetId, rowId as never));

  const menuItems = (rowId: string): RowMenuItem[] => [
    { key: "history", label: "查看修改历史", shortcut: HISTORY_SHORTCUT, run: () => tools.openHistory(rowId) },
    { key: "restore", label: "从版本恢复此行…", run: () => tools.openVersions(rowId) },
    ...(tools.isAdmin ? [{ key: "purge", label: "立即清除个人信息…", danger: true, run: () => tools.requestPurge(rowId) }] : []),
  ];

  return (
    <>
      {tools.panelRowId && (
        <RowHistoryPanel
          key={tools.panelRowId}
          api={api}
          workbook={workbook}
          connection={collab.connection}
          sheetId={sheetId}
          rowId={tools.panelRowId}
          canPurge={tools.isAdmin}
          onPurge={() => tools.panelRowId && tools.requestPurge(tools.panelRowId)}
          onRestoreFromVersion={() => tools.openVersions(tools.panelRowId)}
          onClose={tools.closeHistory}
        />
      )}
      {dialog?.kind === "menu" && <RowMenu x={dialog.x} y={dialog.y} items={menuItems(dialog.rowId)} onClose={tools.closeDialog} />}
      {dialog?.kind === "versions" && (
        <VersionsDialog
          api={api}
          focus={dialog.rowId ? { sheetId, rowId: dialog.rowId, title: title(dialog.rowId) } : null}
          onClose={tools.closeDialog}
        />
      )}
      {dialog?.kind === "import" && <ImportDialog api={api} sheetId={sheetId} sheetName={sheet().name} onClose={tools.closeDialog} />}
      {dialog?.kind === "purge" && (
        <PurgeDialog
          api={api}
          sheetId={sheetId}
          rowId={dialog.rowId}
          rowTitle={title(dialog.rowId)}
          privateColumns={sheet().columns.filter((column) => column.private && column.system === null)}
          onClose={tools.closeDialog}
        />
      )}
    </>
  );
}
