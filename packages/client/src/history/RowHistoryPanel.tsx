import { type Workbook, observeWorkbook } from "@huzhu/schema";
import { useEffect, useMemo, useState } from "react";
import type { ConnectionState } from "../collab/connection.ts";
import type { ReadableStore } from "../lib/store.ts";
import { type HistoryLine, formatHistory } from "./history-format.ts";
import { summarizeRow } from "./row-summary.ts";
import { useRowHistory } from "./use-row-history.ts";
import type { WorkbookApi } from "./workbook-api.ts";

/** The row's title and columns, re-read when the row or the sheet's columns change. */
function useRowInfo(workbook: Workbook, sheetId: string, rowId: string) {
  const read = () => {
    const sheet = workbook.readSheet(sheetId as never);
    return { columns: sheet.columns, title: summarizeRow(sheet, workbook.findRow(sheetId as never, rowId as never)) };
  };
  const [info, setInfo] = useState(read);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `read` only closes over the dependencies.
  useEffect(() => {
    setInfo(read());
    return observeWorkbook(workbook.ydoc, (changes) => {
      const sheet = changes.bySheet.get(sheetId as never);
      if (sheet && (sheet.columnsChanged || sheet.updated.has(rowId as never))) setInfo(read());
    });
  }, [workbook, sheetId, rowId]);
  return info;
}

function HistoryItem({ line }: { line: HistoryLine }) {
  return (
    <li className={`hz-history-item${line.isCell ? "" : " is-row-event"}`} data-history-id={line.id}>
      <div className="hz-history-meta">
        <span className="hz-history-who">{line.who}</span>
        {line.via && line.via !== line.who && <span className="hz-history-via">{line.via}</span>}
        <time className="hz-history-when">{line.when}</time>
      </div>
      <div className="hz-history-what">{line.what}</div>
      {line.isCell && (
        <div className={`hz-history-change${line.erased ? " is-erased" : ""}`}>
          <span className="hz-history-before">{line.erased ? "「已清除」" : line.before}</span>
          <span className="hz-history-arrow" aria-hidden="true">
            →
          </span>
          <span className="hz-visually-hidden">改为</span>
          <span className="hz-history-after">{line.erased ? "「已清除」" : line.after}</span>
        </div>
      )}
    </li>
  );
}

/**
 * The side panel listing every change to one row, newest first: who (link label, 表单, 系统),
 * when (UTC+8), which column, old → new as the grid shows values. It follows the row live.
 */
export function RowHistoryPanel(props: {
  api: WorkbookApi;
  workbook: Workbook;
  connection: ReadableStore<ConnectionState>;
  sheetId: string;
  rowId: string;
  canPurge: boolean;
  onPurge(): void;
  onRestoreFromVersion(): void;
  onClose(): void;
}) {
  const { api, workbook, sheetId, rowId } = props;
  const history = useRowHistory(api, workbook, props.connection, sheetId, rowId);
  const info = useRowInfo(workbook, sheetId, rowId);
  const lines = useMemo(() => formatHistory(history.entries, info.columns), [history.entries, info.columns]);

  return (
    <aside className="hz-side-panel hz-history-panel" aria-label="修改历史" data-row-id={rowId}>
      <div className="hz-side-panel-header">
        <div className="hz-side-panel-titles">
          <h2>修改历史</h2>
          <span className="hz-side-panel-subtitle" title={info.title}>
            {info.title}
          </span>
        </div>
        <button type="button" className="hz-icon-button" aria-label="关闭修改历史" onClick={props.onClose}>
          ×
        </button>
      </div>
      <div className="hz-side-panel-actions">
        <button type="button" className="hz-link-button" onClick={props.onRestoreFromVersion}>
          从版本恢复此行…
        </button>
        {props.canPurge && (
          <button type="button" className="hz-link-button is-danger" onClick={props.onPurge}>
            立即清除个人信息…
          </button>
        )}
      </div>
      <div className="hz-side-panel-body">
        {history.error && (
          <div className="hz-inline-error" role="alert">
            {history.error}{" "}
            <button type="button" className="hz-link-button" onClick={history.reload}>
              重试
            </button>
          </div>
        )}
        {!history.error && lines.length === 0 && !history.loading && (
          <p className="hz-muted">这一行还没有修改记录。之后谁在何时改了什么，都会显示在这里。</p>
        )}
        <ol className="hz-history-list">
          {lines.map((line) => (
            <HistoryItem key={line.id} line={line} />
          ))}
        </ol>
        {history.loading && (
          <div className="hz-loading-line" role="status">
            <span className="hz-spinner is-small" aria-hidden="true" /> 正在加载…
          </div>
        )}
        {history.hasOlder && !history.loading && (
          <button type="button" className="hz-button hz-history-older" onClick={history.loadOlder}>
            加载更早的记录
          </button>
        )}
      </div>
    </aside>
  );
}
