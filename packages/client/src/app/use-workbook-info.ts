import { type SheetInfo, type Workbook, observeWorkbook } from "@huzhu/schema";
import { useEffect, useState } from "react";

/** The workbook's title and tabs, kept live (a sheet renamed or added elsewhere shows up here). */
export function useWorkbookInfo(workbook: Workbook): { title: string; sheets: readonly SheetInfo[] } {
  const read = () => ({ title: workbook.readMeta().title, sheets: workbook.listSheets() });
  const [info, setInfo] = useState(read);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `read` only closes over `workbook`.
  useEffect(() => {
    setInfo(read());
    return observeWorkbook(workbook.ydoc, (changes) => {
      if (changes.sheetsChanged || changes.metaChanged) setInfo(read());
    });
  }, [workbook]);
  return info;
}
