import { useEffect, useRef, useState } from "react";
import { showToast } from "../ui/toasts.ts";
import { describeError } from "./api-error.ts";
import { saveBlob } from "./download.ts";
import type { WorkbookApi } from "./workbook-api.ts";

/** The three exports the menu offers. */
const EXPORTS = [
  { key: "sheet-csv", format: "csv", wholeWorkbook: false, label: "当前工作表 · CSV", hint: "通用格式，供其他程序读取" },
  { key: "sheet-xlsx", format: "xlsx", wholeWorkbook: false, label: "当前工作表 · Excel（XLSX）", hint: "电话号码保持为文本" },
  { key: "workbook-xlsx", format: "xlsx", wholeWorkbook: true, label: "整个工作簿 · Excel（XLSX）", hint: "每个工作表一页" },
] as const;

/** 导出: the current sheet as CSV or XLSX, or the whole workbook as XLSX, downloaded with the link's token. */
export function ExportMenu({ api, sheetId }: { api: WorkbookApi; sheetId: string }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer, true);
    document.addEventListener("keydown", onKey, true);
    return () => {
      document.removeEventListener("pointerdown", onPointer, true);
      document.removeEventListener("keydown", onKey, true);
    };
  }, [open]);

  const run = async (choice: (typeof EXPORTS)[number]) => {
    setOpen(false);
    setBusy(true);
    try {
      const file = await api.exportFile(choice.format, choice.wholeWorkbook ? undefined : sheetId);
      saveBlob(file.blob, file.fileName);
      showToast(`已下载「${file.fileName}」。`);
    } catch (failure) {
      showToast(`导出失败：${describeError(failure)}`, "error");
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="hz-menu-anchor" ref={root}>
      <button
        type="button"
        className="hz-tool"
        aria-haspopup="menu"
        aria-expanded={open}
        disabled={busy}
        onClick={() => setOpen((o) => !o)}
        title="下载为 CSV 或 Excel 文件"
      >
        {busy ? "正在导出…" : "导出"} <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <div className="hz-menu" role="menu" aria-label="导出">
          {EXPORTS.map((choice) => (
            <button
              key={choice.key}
              type="button"
              role="menuitem"
              className="hz-menu-item"
              data-export={choice.key}
              onClick={() => void run(choice)}
            >
              <span>{choice.label}</span>
              <span className="hz-menu-hint">{choice.hint}</span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
