import { type Row, type SheetId, SheetKind } from "@huzhu/schema";
import type { GridApi } from "ag-grid-community";
import { useEffect, useRef, useState } from "react";
import type { Collab } from "../collab/collab.ts";
import { describeConnection } from "../collab/connection.ts";
import type { Cursor, Peer } from "../collab/presence.ts";
import { useStore } from "../lib/store.ts";
import { LiveNoticePage } from "../sheets/NoticePage.tsx";
import { SheetTabs } from "../sheets/SheetTabs.tsx";
import { SheetView } from "../sheets/SheetView.tsx";
import { Toasts } from "../ui/Toasts.tsx";
import { AdminPage } from "../admin/AdminPage.tsx";
import { isAdminViewHash } from "../admin/admin-view.ts";
import { Header } from "./Header.tsx";
import { useUndoShortcuts } from "./use-undo-shortcuts.ts";
import { useWorkbookInfo } from "./use-workbook-info.ts";

/** Puts the grid's focus on someone's cursor (after the tab switched, once its rows are in). */
function focusCursor(api: GridApi<Row>, cursor: Cursor): void {
  const node = cursor.rowId ? api.getRowNode(cursor.rowId) : undefined;
  if (!node || node.rowIndex === null || !cursor.columnId) return;
  api.ensureNodeVisible(node, "middle");
  api.ensureColumnVisible(cursor.columnId);
  api.setFocusedCell(node.rowIndex, cursor.columnId);
}

/** Scrolls the grid so that row is the first in view. */
function scrollToTop(api: GridApi<Row>, rowId: string | null): void {
  const node = rowId && !api.isDestroyed() ? api.getRowNode(rowId) : undefined;
  if (node) api.ensureNodeVisible(node, "top");
}

/** The editor's shell: header, the open sheet, tabs at the bottom, messages. */
export function App({
  collab,
  initialSheetId,
  initialTopRowId = null,
  initialSearch = "",
  onSheetChange,
}: {
  collab: Collab;
  initialSheetId: string | null;
  /** The row to show first (where the reader of the preview was). */
  initialTopRowId?: string | null;
  /** The search the first sheet opens with (what the reader of the preview searched for). */
  initialSearch?: string;
  onSheetChange?: (id: SheetId) => void;
}) {
  const { workbook } = collab;
  const { title, sheets } = useWorkbookInfo(workbook);
  const [chosen, setChosen] = useState<string | null>(initialSheetId);
  const active = sheets.find((s) => s.id === chosen) ?? sheets[0];
  const gridApi = useRef<GridApi<Row> | null>(null);
  const pendingJump = useRef<Cursor | null>(null);
  const pendingTopRow = useRef(initialTopRowId);
  // For the sheet the page opened on, until another is opened.
  const pendingSearch = useRef(initialSearch);
  const connection = describeConnection(useStore(collab.connection));
  // Admin links only (the server refuses everyone else's link and setting changes anyway).
  const isAdmin = collab.self.role === "admin";
  const [adminOpen, setAdminOpen] = useState(() => isAdmin && isAdminViewHash(location.hash));
  useUndoShortcuts(collab.history, !collab.readOnly && !adminOpen);

  const activeId = active?.id ?? null;
  useEffect(() => {
    if (activeId !== initialSheetId) pendingSearch.current = "";
    if (!activeId) return;
    collab.setCursor({ sheetId: activeId, rowId: null, columnId: null });
    onSheetChange?.(activeId);
  }, [collab, activeId, onSheetChange, initialSheetId]);

  const describeWhere = (peer: Peer) => {
    const sheet = sheets.find((s) => s.id === peer.cursor?.sheetId);
    return sheet ? `正在查看「${sheet.name}」` : "刚刚加入";
  };
  const jump = (peer: Peer) => {
    const cursor = peer.cursor;
    if (!cursor) return;
    if (cursor.sheetId === activeId && gridApi.current) focusCursor(gridApi.current, cursor);
    else {
      pendingJump.current = cursor;
      setChosen(cursor.sheetId);
    }
  };
  const onGridApi = (api: GridApi<Row> | null) => {
    gridApi.current = api;
    const cursor = pendingJump.current;
    const topRowId = pendingTopRow.current;
    if (!api || (!cursor && !topRowId)) return;
    pendingJump.current = null;
    pendingTopRow.current = null;
    if (!cursor) {
      // Once the grid has drawn its first rows: scrolling before that is lost.
      const onDrawn = () => {
        api.removeEventListener("firstDataRendered", onDrawn);
        scrollToTop(api, topRowId);
      };
      api.addEventListener("firstDataRendered", onDrawn);
      return;
    }
    const onLoaded = () => {
      api.removeEventListener("rowDataUpdated", onLoaded);
      focusCursor(api, cursor);
    };
    api.addEventListener("rowDataUpdated", onLoaded);
  };

  return (
    <div className="hz-app">
      <Header
        collab={collab}
        title={title}
        describeWhere={describeWhere}
        onJump={jump}
        onOpenAdmin={isAdmin ? () => setAdminOpen(true) : undefined}
      />
      {connection.tone === "refused" && (
        <div className="hz-banner is-error" role="alert">
          {connection.detail} 之后的修改不会被保存。
        </div>
      )}
      <main className="hz-main">
        {!active ? (
          <div className="hz-empty">这个工作簿还没有工作表。</div>
        ) : active.kind === SheetKind.notice ? (
          <LiveNoticePage workbook={workbook} title={title} sheet={active} onOpenSheet={setChosen} />
        ) : (
          <SheetView
            key={active.id}
            collab={collab}
            sheetId={active.id}
            initialSearch={active.id === initialSheetId ? pendingSearch.current : ""}
            onGridApi={onGridApi}
          />
        )}
      </main>
      <SheetTabs sheets={sheets} active={activeId} onSelect={setChosen} />
      {isAdmin && adminOpen && <AdminPage collab={collab} title={title} onClose={() => setAdminOpen(false)} />}
      <Toasts />
    </div>
  );
}
