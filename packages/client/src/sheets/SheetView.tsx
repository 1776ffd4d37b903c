import type { ChatGroupLink, Row, SheetId } from "@huzhu/schema";
import type { GridApi } from "ag-grid-community";
import { useState } from "react";
import type { Collab } from "../collab/collab.ts";
import { SheetGrid } from "../grid/SheetGrid.tsx";
import { useRowCount } from "../grid/use-row-count.ts";
import { insertRowBelowFocus, rowsToDelete, trashRows } from "../grid/row-actions.ts";
import { HistoryLayer, HistoryToolbar, useHistoryTools } from "../history/HistoryTools.tsx";
import { ConfirmDialog } from "../ui/Modal.tsx";
import { showToast } from "../ui/toasts.ts";
import { ChatGroupModal } from "./ChatGroupModal.tsx";
import { Toolbar } from "./Toolbar.tsx";
import { TrashDialog } from "./TrashDialog.tsx";

type Dialog =
  | { readonly kind: "delete"; readonly rows: readonly Row[] }
  | { readonly kind: "trash" }
  | { readonly kind: "chat"; readonly link: ChatGroupLink; readonly title: string };

/** A grid sheet with its toolbar and dialogs, for people who edit. */
export function SheetView({
  collab,
  sheetId,
  initialSearch = "",
  onGridApi,
}: {
  collab: Collab;
  sheetId: SheetId;
  /** What the search box holds when the sheet opens (the preview's search, carried over). */
  initialSearch?: string;
  onGridApi: (api: GridApi<Row> | null) => void;
}) {
  const { workbook, readOnly } = collab;
  const [api, setApi] = useState<GridApi<Row> | null>(null);
  const [search, setSearch] = useState(initialSearch);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const rowCount = useRowCount(api);
  const historyTools = useHistoryTools(collab, sheetId, api);

  const requestDelete = () => {
    if (!api) return;
    const rows = rowsToDelete(api);
    if (rows.length === 0) showToast("请先选中要删除的行（勾选行首的方框，或点击该行的任一单元格）。", "info");
    else setDialog({ kind: "delete", rows });
  };

  return (
    <div className="hz-sheet-view">
      <Toolbar
        readOnly={readOnly}
        history={collab.history}
        search={search}
        onSearch={setSearch}
        onAddRow={() => api && insertRowBelowFocus(api, workbook, sheetId)}
        onDeleteRows={requestDelete}
        onOpenTrash={() => setDialog({ kind: "trash" })}
        rowCount={rowCount}
        extra={<HistoryToolbar tools={historyTools} />}
      />
      {/* biome-ignore lint/a11y/noStaticElementInteractions: right-click opens the row menu; keyboard users have the toolbar and Ctrl+Alt+H. */}
      <div className="hz-sheet-body" onContextMenu={historyTools.onContextMenu}>
        <SheetGrid
          key={sheetId}
          workbook={workbook}
          sheetId={sheetId}
          readOnly={readOnly}
          peers={collab.peers}
          quickFilter={search}
          onCursor={collab.setCursor}
          onMessage={showToast}
          onChatGroup={(link, title) => setDialog({ kind: "chat", link, title })}
          onRequestDelete={requestDelete}
          onReady={(next) => {
            setApi(next);
            onGridApi(next);
          }}
        />
        <HistoryLayer tools={historyTools} />
      </div>
      {dialog?.kind === "delete" && (
        <ConfirmDialog
          title="删除行"
          message={`将 ${dialog.rows.length} 行移到回收站？可以在「回收站」中恢复，或按 Ctrl+Z 撤销。`}
          confirmLabel="移到回收站"
          onCancel={() => setDialog(null)}
          onConfirm={() => {
            trashRows(workbook, sheetId, dialog.rows);
            api?.deselectAll();
            setDialog(null);
            showToast(`已将 ${dialog.rows.length} 行移到回收站。`);
          }}
        />
      )}
      {dialog?.kind === "trash" && <TrashDialog workbook={workbook} sheetId={sheetId} onClose={() => setDialog(null)} />}
      {dialog?.kind === "chat" && <ChatGroupModal link={dialog.link} title={dialog.title} onClose={() => setDialog(null)} />}
    </div>
  );
}
