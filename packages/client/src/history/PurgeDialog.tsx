import type { ColumnDef } from "@huzhu/schema";
import { useState } from "react";
import { Modal } from "../ui/Modal.tsx";
import { showToast } from "../ui/toasts.ts";
import { describeError } from "./api-error.ts";
import type { WorkbookApi } from "./workbook-api.ts";

/** The word an admin types to confirm a purge. */
export const PURGE_CONFIRM_WORD = "清除";

/**
 * 立即清除个人信息 (admins): erases the row's private cells everywhere the server keeps them —
 * the live sheet, the history's old values, every saved version, the files on disk. The admin
 * must type 「清除」: nothing brings the values back.
 */
export function PurgeDialog(props: {
  api: WorkbookApi;
  sheetId: string;
  rowId: string;
  rowTitle: string;
  privateColumns: readonly ColumnDef[];
  onClose(): void;
}) {
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const ready = typed.trim() === PURGE_CONFIRM_WORD && !busy;

  const purge = async () => {
    setBusy(true);
    try {
      const result = await props.api.purgeRow(props.sheetId, props.rowId);
      showToast(
        `已永久清除「${props.rowTitle}」的个人信息（${result.cells} 个单元格，${result.versionsRewritten} 个版本，${result.auditEntriesErased} 条历史记录中的旧值）。`,
      );
      props.onClose();
    } catch (failure) {
      showToast(`清除失败：${describeError(failure)}`, "error");
      setBusy(false);
    }
  };

  const labels = props.privateColumns.map((column) => column.label).join("、") || "（这个工作表没有隐私列）";
  return (
    <Modal title="立即清除个人信息" onClose={props.onClose} width={500}>
      <div className="hz-purge" data-row-id={props.rowId}>
        <p className="hz-purge-row">
          行：<strong>{props.rowTitle}</strong>
        </p>
        <div className="hz-purge-warning" role="alert">
          <strong>此操作无法撤销。</strong>
          这一行的隐私列（{labels}
          ）会被永久删除：表格中的值、修改历史里的旧值、所有已保存版本中的值，以及服务器磁盘上的副本都会被清除，任何人都无法再恢复，也不能从版本恢复。修改历史只保留「谁在何时修改过」。
        </div>
        <label className="hz-purge-confirm">
          请输入「{PURGE_CONFIRM_WORD}」确认：
          <input
            type="text"
            className="hz-input"
            value={typed}
            aria-label={`输入${PURGE_CONFIRM_WORD}确认`}
            autoComplete="off"
            onChange={(e) => setTyped(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && ready) void purge();
            }}
          />
        </label>
        <div className="hz-modal-actions">
          <button type="button" className="hz-button" onClick={props.onClose} disabled={busy}>
            取消
          </button>
          <button type="button" className="hz-button is-danger" disabled={!ready} onClick={() => void purge()}>
            {busy ? "正在清除…" : "永久清除"}
          </button>
        </div>
      </div>
    </Modal>
  );
}
