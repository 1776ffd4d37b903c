import { type Row, SheetKind, formatInstantCst } from "@huzhu/schema";
import { useEffect, useState } from "react";
import { showToast } from "../ui/toasts.ts";
import { describeError } from "./api-error.ts";
import type { RestoreResult, VersionView } from "./api-types.ts";
import { describeActor, describeVersion } from "./history-format.ts";
import { summarizeRow } from "./row-summary.ts";
import { VersionGrid } from "./VersionGrid.tsx";
import type { WorkbookApi } from "./workbook-api.ts";

/** What a restore did, in one sentence. */
export function describeRestore(result: RestoreResult): string {
  const parts = [
    result.cellsChanged > 0 ? `改回了 ${result.cellsChanged} 个单元格` : "",
    result.rowsTrashed > 0 ? `${result.rowsTrashed} 行之后新增的行移到了回收站` : "",
    result.rowsUntrashed > 0 ? `${result.rowsUntrashed} 行从回收站恢复` : "",
    result.sheetsChanged > 0 ? `${result.sheetsChanged} 个工作表的设置已恢复` : "",
  ].filter(Boolean);
  const skipped = result.skipped.filter((skip) => skip.reason !== "sheet-missing").length;
  const body = parts.length > 0 ? `已恢复：${parts.join("，")}。` : "已恢复：内容与该版本相同，没有需要修改的地方。";
  return skipped > 0 ? `${body}${skipped} 处无法恢复（已删除的行或已清除的个人信息）。` : body;
}

type Pending = { readonly scope: "workbook" } | { readonly scope: "row"; readonly sheetId: string; readonly row: Row };

/**
 * A past version, read-only, in the grid's own look: one tab per sheet. From here the whole
 * workbook, or the selected row, is restored as a new change (after a confirmation).
 */
export function VersionViewer(props: {
  api: WorkbookApi;
  versionId: number;
  /** The live row the user came from; it is selected in the version when it exists there. */
  focus: { sheetId: string; rowId: string } | null;
  onBack(): void;
  onClose(): void;
}) {
  const { api, versionId } = props;
  const [view, setView] = useState<VersionView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sheetId, setSheetId] = useState<string | null>(props.focus?.sheetId ?? null);
  const [selected, setSelected] = useState<string | null>(props.focus?.rowId ?? null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    api.viewVersion(versionId).then(
      (loaded) => live && setView(loaded),
      (failure: unknown) => live && setError(describeError(failure)),
    );
    return () => {
      live = false;
    };
  }, [api, versionId]);

  const sheets = view?.workbook.sheets ?? [];
  const sheet = sheets.find((s) => s.id === sheetId) ?? sheets.find((s) => s.kind === SheetKind.grid) ?? sheets[0];
  const selectedRow = sheet?.rows.find((row) => row.id === selected && row.deletedAt === null);

  const restore = async (target: Pending) => {
    setBusy(true);
    try {
      const scope = target.scope === "row" ? { sheetId: target.sheetId, rowId: target.row.id } : {};
      const result = await api.restoreVersion(versionId, scope);
      showToast(describeRestore(result));
      props.onClose();
    } catch (failure) {
      showToast(`恢复失败：${describeError(failure)}`, "error");
      setBusy(false);
      setPending(null);
    }
  };

  return (
    <div className="hz-version-viewer" data-version-id={versionId}>
      <div className="hz-version-bar">
        <button type="button" className="hz-link-button" onClick={props.onBack}>
          ← 返回版本列表
        </button>
        <span className="hz-readonly-badge">历史版本 · 只读</span>
        {view && (
          <span className="hz-version-title">
            {describeVersion(view.version)} · {formatInstantCst(view.version.createdAt)} · {describeActor(view.version.createdBy)}
          </span>
        )}
      </div>
      {error && (
        <div className="hz-inline-error" role="alert">
          {error}
        </div>
      )}
      {!view && !error && (
        <div className="hz-loading-line" role="status">
          <span className="hz-spinner is-small" aria-hidden="true" /> 正在打开版本…
        </div>
      )}
      {view && sheet && (
        <>
          <div className="hz-version-tabs" role="tablist" aria-label="版本中的工作表">
            {sheets.map((s) => (
              <button
                key={s.id}
                type="button"
                role="tab"
                aria-selected={s.id === sheet.id}
                className={`hz-version-tab${s.id === sheet.id ? " is-active" : ""}`}
                onClick={() => {
                  setSheetId(s.id);
                  setSelected(null);
                }}
              >
                {s.name}
              </button>
            ))}
          </div>
          <div className="hz-version-content">
            {sheet.kind === SheetKind.grid ? (
              <VersionGrid key={sheet.id} sheet={sheet} selectedRowId={selected} onSelectRow={setSelected} />
            ) : (
              <div className="hz-version-notice">{sheet.body || "（空白页）"}</div>
            )}
          </div>
          {pending ? (
            <div className="hz-version-confirm" role="alertdialog" aria-label="确认恢复">
              <p>
                {pending.scope === "workbook"
                  ? "把整个工作簿恢复到这个版本？之后新增的行会移到回收站，改过的单元格会改回来。"
                  : `把「${summarizeRow(sheet, pending.row)}」这一行恢复到这个版本的内容？`}
                恢复会作为一次新的修改保存，别人同时所做的修改会合并保留；恢复前的状态会自动另存为一个版本，可以随时再恢复回来。
              </p>
              <div className="hz-modal-actions">
                <button type="button" className="hz-button" disabled={busy} onClick={() => setPending(null)}>
                  取消
                </button>
                <button type="button" className="hz-button is-primary" disabled={busy} onClick={() => void restore(pending)}>
                  {busy ? "正在恢复…" : "确认恢复"}
                </button>
              </div>
            </div>
          ) : (
            <div className="hz-version-actions">
              <span className="hz-muted">{selectedRow ? `已选中：${summarizeRow(sheet, selectedRow)}` : "点击一行可单独恢复这一行"}</span>
              <span className="hz-toolbar-spacer" />
              <button
                type="button"
                className="hz-button"
                disabled={!selectedRow || sheet.kind !== SheetKind.grid}
                onClick={() => selectedRow && setPending({ scope: "row", sheetId: sheet.id, row: selectedRow })}
              >
                恢复此行
              </button>
              <button type="button" className="hz-button is-primary" onClick={() => setPending({ scope: "workbook" })}>
                恢复整个工作簿
              </button>
            </div>
          )}
        </>
      )}
    </div>
  );
}
