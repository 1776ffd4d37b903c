import type { ReactNode } from "react";
import type { UndoHistory } from "../collab/undo.ts";
import { useStore } from "../lib/store.ts";

const mod = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform) ? "⌘" : "Ctrl";

/** Search over every cell of the sheet (AG Grid's quick filter). */
export function SearchBox({ search, onSearch }: { search: string; onSearch: (text: string) => void }) {
  return (
    <label className="hz-search">
      <span aria-hidden="true">⌕</span>
      <input type="search" placeholder="搜索本表…" aria-label="搜索本表" value={search} onChange={(e) => onSearch(e.target.value)} />
    </label>
  );
}

/** How many rows the grid shows, of how many. */
export function RowCount({ shown, total }: { shown: number; total: number }) {
  return (
    <span className="hz-row-count" data-shown={shown}>
      {shown === total ? `共 ${total} 行` : `显示 ${shown} / 共 ${total} 行`}
    </span>
  );
}

/** Actions over the grid of a sheet: rows, undo, search, trash. */
export function Toolbar(props: {
  readOnly: boolean;
  history: UndoHistory;
  search: string;
  onSearch: (text: string) => void;
  onAddRow: () => void;
  onDeleteRows: () => void;
  onOpenTrash: () => void;
  rowCount: { shown: number; total: number };
  /** More tools at the right end (history, versions, import, export). */
  extra?: ReactNode;
}) {
  const { canUndo, canRedo } = useStore(props.history.state);
  return (
    <div className="hz-toolbar" role="toolbar" aria-label="表格工具栏">
      {!props.readOnly && (
        <>
          <button type="button" className="hz-tool is-primary" onClick={props.onAddRow} title={`在选中行下方插入一行（${mod}+Enter）`}>
            <span aria-hidden="true">＋</span> 添加行
          </button>
          <button type="button" className="hz-tool" onClick={props.onDeleteRows} title={`把选中的行移到回收站（${mod}+-）`}>
            删除行
          </button>
          <span className="hz-tool-divider" aria-hidden="true" />
          <button type="button" className="hz-tool" disabled={!canUndo} onClick={props.history.undo} title={`撤销（${mod}+Z）`}>
            ↶ 撤销
          </button>
          <button
            type="button"
            className="hz-tool"
            disabled={!canRedo}
            onClick={props.history.redo}
            title={`重做（${mod}+Shift+Z 或 ${mod}+Y）`}
          >
            ↷ 重做
          </button>
          <span className="hz-tool-divider" aria-hidden="true" />
        </>
      )}
      <SearchBox search={props.search} onSearch={props.onSearch} />
      <span className="hz-toolbar-spacer" />
      <RowCount {...props.rowCount} />
      {props.extra}
      {!props.readOnly && (
        <button type="button" className="hz-tool" onClick={props.onOpenTrash}>
          回收站
        </button>
      )}
    </div>
  );
}
