import { type CellValue, ColumnType, type Row, formatCell } from "@huzhu/schema";
import type { CustomCellEditorProps } from "ag-grid-react";
import { useId, useMemo } from "react";
import type { ColumnParams } from "../column-defs.ts";
import { useEditorText } from "./use-editor-text.ts";

type Props = CustomCellEditorProps<Row, CellValue> & ColumnParams & { inputType?: "text" | "tel" | "url" | "number" };

const MAX_SUGGESTIONS = 50;

/** One-line editor for text, numbers, phones, URLs and people; the schema parses what is typed. */
export function InputEditor({ column, value, eventKey, onValueChange, inputType = "text", api }: Props) {
  const { ref, text, problem, change } = useEditorText<HTMLInputElement>(column, value, eventKey, onValueChange);
  const listId = useId();
  // People are named the same way again and again ("核实组 · 小王"): offer the names already used.
  const suggestions = useMemo(() => {
    if (column.type !== ColumnType.person) return [];
    const names = new Set<string>();
    api.forEachNode((node) => {
      const name = node.data ? formatCell(column, node.data.cells[column.id] ?? null) : "";
      if (name && names.size < MAX_SUGGESTIONS) names.add(name);
    });
    return [...names];
  }, [api, column]);
  return (
    <>
      <input
        ref={ref}
        className={`hz-editor-input${problem ? " is-invalid" : ""}`}
        type={inputType === "number" ? "text" : inputType}
        inputMode={inputType === "number" ? "decimal" : inputType === "tel" ? "tel" : undefined}
        value={text}
        title={problem ?? undefined}
        list={suggestions.length ? listId : undefined}
        onChange={(event) => change(event.target.value)}
      />
      {suggestions.length > 0 && (
        <datalist id={listId}>
          {suggestions.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      )}
    </>
  );
}
