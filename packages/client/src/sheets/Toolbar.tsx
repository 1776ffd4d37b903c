import type { ReactNode } from "react";
import type { UndoHistory } from "../collab/undo.ts";
import { useStore } from "../lib/store.ts";

const mod = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform) ? "⌘" : "Ctrl";

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
      <label className="hz-search">
        <span aria-hidden="true">⌕</span>
        <input
          type="search"
          placeholder="搜索本表…"
          aria-label="搜索本表"
          value={props.search}
          onChange={(e) => props.onSearch(e.target.value)}
        />
      </label>
      <span className="hz-toolbar-spacer" />
      <span className="hz-row-count" data-shown={props.rowCount.shown}>
        {props.rowCount.shown === props.rowCount.total
          ? `共 ${props.rowCount.total} 行`
          : `显示 ${props.rowCount.shown} / 共 ${props.rowCount.total} 行`}
      </span>
      {props.extra}
      {!props.readOnly && (
        <button type="button" className="hz-tool" onClick={props.onOpenTrash}>
          回收站
        </button>
      )}
    </div>
  );
}
