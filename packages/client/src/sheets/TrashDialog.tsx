import { type Row, type SheetId, type Workbook, formatCell, formatInstantCst } from "@huzhu/schema";
import { useState } from "react";
import { Modal } from "../ui/Modal.tsx";

const SUMMARY_COLUMNS = 3;

/** A deleted row in a few words: its first filled columns, private ones left out. */
function summarize(workbook: Workbook, sheetId: SheetId, row: Row): string {
  const parts = workbook
    .readSheet(sheetId)
    .columns.filter((c) => !c.private)
    .map((c) => formatCell(c, row.cells[c.id] ?? null))
    .filter((text) => text !== "")
    .slice(0, SUMMARY_COLUMNS);
  return parts.join(" · ") || "（空行）";
}

/** Rows moved to the trash from this sheet; each can be put back. */
export function TrashDialog({ workbook, sheetId, onClose }: { workbook: Workbook; sheetId: SheetId; onClose: () => void }) {
  const [, setVersion] = useState(0);
  const deleted = workbook
    .listRows(sheetId, { includeDeleted: true })
    .filter((row) => row.deletedAt !== null)
    .sort((a, b) => (b.deletedAt as string).localeCompare(a.deletedAt as string));
  return (
    <Modal title="回收站" onClose={onClose} width={560}>
      {deleted.length === 0 ? (
        <p className="hz-muted">回收站是空的。删除的行会先放在这里，可以随时恢复。</p>
      ) : (
        <ul className="hz-trash-list">
          {deleted.map((row) => (
            <li key={row.id}>
              <span className="hz-trash-summary">{summarize(workbook, sheetId, row)}</span>
              <span className="hz-muted">{formatInstantCst(row.deletedAt as string)} 删除</span>
              <button
                type="button"
                className="hz-button"
                onClick={() => {
                  workbook.restoreRow(sheetId, row.id);
                  setVersion((v) => v + 1);
                }}
              >
                恢复
              </button>
            </li>
          ))}
        </ul>
      )}
    </Modal>
  );
}
