import { SheetKind, type Workbook, observeWorkbook } from "@huzhu/schema";
import { useEffect, useState } from "react";
import { type SheetCounts, countSheet } from "./counts.ts";

// Counting reads every row; during bursts of edits recount at most this often.
const RECOUNT_MS = 250;

function countAll(workbook: Workbook): SheetCounts[] {
  return workbook
    .listSheets()
    .filter((info) => info.kind === SheetKind.grid)
    .map((info) => countSheet(workbook.readSheet(info.id), workbook.listRows(info.id)))
    .filter((counts) => counts.columns.length > 0);
}

/** Live counts per status of every grid sheet, for the 首页 tab. */
export function useLiveCounts(workbook: Workbook): SheetCounts[] {
  const [counts, setCounts] = useState(() => countAll(workbook));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    setCounts(countAll(workbook));
    const stop = observeWorkbook(workbook.ydoc, () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        setCounts(countAll(workbook));
      }, RECOUNT_MS);
    });
    return () => {
      stop();
      clearTimeout(timer);
    };
  }, [workbook]);
  return counts;
}
