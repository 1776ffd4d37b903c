import { type SheetCounts, type Workbook, countWorkbook, observeWorkbook } from "@huzhu/schema";
import { useEffect, useState } from "react";

// Counting reads every row; during bursts of edits recount at most this often.
const RECOUNT_MS = 250;

/** Live counts per status of every grid sheet, for the 首页 tab. */
export function useLiveCounts(workbook: Workbook): SheetCounts[] {
  const [counts, setCounts] = useState(() => countWorkbook(workbook));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    setCounts(countWorkbook(workbook));
    const stop = observeWorkbook(workbook.ydoc, () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        setCounts(countWorkbook(workbook));
      }, RECOUNT_MS);
    });
    return () => {
      stop();
      clearTimeout(timer);
    };
  }, [workbook]);
  return counts;
}
