import { type Row, type SheetId, SheetKind } from "@huzhu/schema";
import type { GridApi } from "ag-grid-community";
import { useEffect, useState } from "react";
import type { Preview } from "../collab/preview.ts";
import { PreviewGrid } from "../grid/PreviewGrid.tsx";
import { afterPaint } from "../lib/after-paint.ts";
import { useRowCount } from "../grid/use-row-count.ts";
import { NoticePage } from "../sheets/NoticePage.tsx";
import { SheetTabs } from "../sheets/SheetTabs.tsx";
import { RowCount, SearchBox } from "../sheets/Toolbar.tsx";
import { TitleBlock } from "./Header.tsx";

/** Where the reader was in the preview, for the live page to open at. */
export interface PreviewPlace {
  readonly sheetId: SheetId | null;
  /** The first row in view (the live grid scrolls to it). */
  readonly topRowId: string | null;
  /** What the reader searched for (the live grid's search box starts with it). */
  readonly search: string;
}

/** The first row in view (AG Grid's first displayed row includes the rows drawn above it). */
function topRowOf(api: GridApi<Row> | null): string | null {
  if (!api || api.isDestroyed()) return null;
  const { top } = api.getVerticalPixelRange();
  for (let index = api.getFirstDisplayedRowIndex(); index <= api.getLastDisplayedRowIndex(); index++) {
    const node = api.getDisplayedRowAtIndex(index);
    if (node && (node.rowTop ?? 0) + (node.rowHeight ?? 0) > top) return node.data?.id ?? null;
  }
  return null;
}

/**
 * The editor's page while its live workbook is on its way: the tab the link opens, as the
 * server had it a moment ago, read-only, with a banner saying so. A large workbook takes
 * seconds to arrive and apply; this is on screen as soon as the server has answered.
 */
export function PreviewApp({
  preview,
  onShown,
  place,
}: {
  preview: Preview;
  onShown(): void;
  /** Kept current with where the reader is. */
  place: { current: PreviewPlace };
}) {
  const shownSheet = preview.sheet;
  const [chosen, setChosen] = useState<SheetId | null>(shownSheet?.id ?? null);
  const [api, setApi] = useState<GridApi<Row> | null>(null);
  const [search, setSearch] = useState("");
  const rowCount = useRowCount(api);

  useEffect(() => {
    const onShownSheet = chosen === shownSheet?.id;
    place.current = { sheetId: chosen, topRowId: onShownSheet ? topRowOf(api) : null, search: onShownSheet ? search : "" };
    if (!api || !onShownSheet) return;
    const remember = () => {
      place.current = { sheetId: chosen, topRowId: topRowOf(api), search };
    };
    api.addEventListener("bodyScrollEnd", remember);
    return () => {
      if (!api.isDestroyed()) api.removeEventListener("bodyScrollEnd", remember);
    };
  }, [api, chosen, shownSheet, place, search]);
  // A notice has no grid to wait for.
  useEffect(() => {
    if (shownSheet?.kind !== SheetKind.grid) afterPaint(onShown);
  }, [shownSheet, onShown]);

  return (
    <div className="hz-app" data-preview="">
      <header className="hz-header">
        <TitleBlock title={preview.title} readOnly />
        <span className="hz-connection is-syncing" role="status" data-tone="syncing">
          <span className="hz-connection-dot" aria-hidden="true" />
          同步中
        </span>
      </header>
      <div className="hz-banner is-info" role="status">
        正在同步最新数据：现在看到的是打开时的内容，可以查看、搜索和滚动；同步完成后即可编辑。
      </div>
      <main className="hz-main">
        {!shownSheet || chosen !== shownSheet.id ? (
          <div className="hz-empty">正在同步，马上打开这个工作表…</div>
        ) : shownSheet.kind === SheetKind.notice ? (
          <NoticePage
            title={preview.title}
            sheet={shownSheet}
            counts={preview.counts}
            live={false}
            onOpenSheet={(id) => setChosen(id as SheetId)}
          />
        ) : (
          <div className="hz-sheet-view">
            <div className="hz-toolbar" role="toolbar" aria-label="表格工具栏">
              <SearchBox search={search} onSearch={setSearch} />
              <span className="hz-toolbar-spacer" />
              <RowCount {...rowCount} />
            </div>
            <div className="hz-sheet-body">
              <PreviewGrid sheet={shownSheet} rows={preview.rows} quickFilter={search} onShown={onShown} onApi={setApi} />
            </div>
          </div>
        )}
      </main>
      <SheetTabs sheets={preview.sheets} active={chosen} onSelect={setChosen} />
    </div>
  );
}
