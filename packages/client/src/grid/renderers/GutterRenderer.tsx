import type { Row } from "@huzhu/schema";
import type { CustomCellRendererProps } from "ag-grid-react";
import { useEffect, useState } from "react";
import type { GridContext } from "../grid-context.ts";

/** The row header: row number, and a box to select the row for copy or delete. */
export function GutterRenderer({ node, context }: CustomCellRendererProps<Row, unknown, GridContext>) {
  const [selected, setSelected] = useState(node.isSelected() === true);
  useEffect(() => {
    const listener = () => setSelected(node.isSelected() === true);
    node.addEventListener("rowSelected", listener);
    return () => node.removeEventListener("rowSelected", listener);
  }, [node]);
  const number = node.rowIndex === null ? "" : String(node.rowIndex + 1);
  return (
    <span className={`hz-gutter-inner${selected ? " is-selected" : ""}`}>
      {!context.readOnly && (
        <input
          type="checkbox"
          className="hz-row-select"
          checked={selected}
          aria-label={`选择第 ${number} 行`}
          onChange={(event) => node.setSelected(event.target.checked)}
        />
      )}
      <span className="hz-row-number">{number}</span>
    </span>
  );
}
