import { type Row, SchemaError, type Sheet, type SheetId, type Workbook, observeWorkbook, openWorkbook } from "@huzhu/schema";
import { useEffect, useState } from "react";
import { showToast } from "../ui/toasts.ts";

// Reading every row of a sheet (for the public-row preview) during a burst of edits: at most this often.
const REREAD_MS = 300;

/** Everything the admin page shows of the workbook's structure, kept live. */
export interface WorkbookSettings {
  readonly sheets: readonly Sheet[];
  /** The sheet the request form adds to (in-form and required mean something there only). */
  readonly formSheetId: SheetId | null;
}

function readSettings(workbook: Workbook): WorkbookSettings {
  return { sheets: workbook.listSheets().map((info) => workbook.readSheet(info.id)), formSheetId: workbook.readMeta().formSheetId };
}

/** Sheets with their columns and public settings; re-read when any of them changes (here or elsewhere). */
export function useWorkbookSettings(workbook: Workbook): WorkbookSettings {
  const [settings, setSettings] = useState(() => readSettings(workbook));
  useEffect(() => {
    setSettings(readSettings(workbook));
    return observeWorkbook(workbook.ydoc, (changes) => {
      const columns = [...changes.bySheet.values()].some((c) => c.columnsChanged);
      if (changes.sheetsChanged || changes.metaChanged || columns) setSettings(readSettings(workbook));
    });
  }, [workbook]);
  return settings;
}

/** A sheet's rows (trash excluded), re-read at most every 300 ms while they change. */
export function useSheetRows(workbook: Workbook, sheetId: SheetId): readonly Row[] {
  const [rows, setRows] = useState<readonly Row[]>(() => workbook.listRows(sheetId));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    setRows(workbook.listRows(sheetId));
    const stop = observeWorkbook(workbook.ydoc, (changes) => {
      if (!changes.bySheet.has(sheetId)) return;
      timer ??= setTimeout(() => {
        timer = undefined;
        setRows(workbook.listRows(sheetId));
      }, REREAD_MS);
    });
    return () => {
      stop();
      clearTimeout(timer);
    };
  }, [workbook, sheetId]);
  return rows;
}

/** Origin of the admin's setting changes: deliberate decisions, which the grid's Ctrl+Z must never undo. */
const SETTINGS_ORIGIN = { source: "admin-settings" };

/** The workbook as the admin page writes it: the same document, an origin undo does not track. */
export function openSettings(workbook: Workbook): Workbook {
  return openWorkbook(workbook.ydoc, { origin: SETTINGS_ORIGIN });
}

/** Runs a setting change; a change the schema refuses is explained in a toast instead of thrown. */
export function applySetting(change: () => void): boolean {
  try {
    change();
    return true;
  } catch (error) {
    if (!(error instanceof SchemaError)) throw error;
    showToast(`未能保存：${error.messageZh}`, "error");
    return false;
  }
}
