import type { Row } from "@huzhu/schema";
import type { GridApi } from "ag-grid-community";
import { useEffect, useState } from "react";

function countRows(api: GridApi<Row>) {
  let total = 0;
  api.forEachNode(() => total++);
  return { shown: api.getDisplayedRowCount(), total };
}

/** Rows the grid shows (after search and filters) and holds; re-renders only when they change. */
export function useRowCount(api: GridApi<Row> | null): { shown: number; total: number } {
  const [rowCount, setRowCount] = useState({ shown: 0, total: 0 });
  useEffect(() => {
    if (!api) return;
    // Only a changed count re-renders the view (model updates come with every edit).
    const update = () =>
      setRowCount((current) => {
        const next = countRows(api);
        return next.shown === current.shown && next.total === current.total ? current : next;
      });
    update();
    api.addEventListener("modelUpdated", update);
    return () => {
      if (!api.isDestroyed()) api.removeEventListener("modelUpdated", update);
    };
  }, [api]);
  return rowCount;
}
