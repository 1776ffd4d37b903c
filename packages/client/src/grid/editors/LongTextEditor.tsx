import type { CellValue, Row } from "@huzhu/schema";
import type { CustomCellEditorProps } from "ag-grid-react";
import type { ColumnParams } from "../column-defs.ts";
import { useEditorText } from "./use-editor-text.ts";

type Props = CustomCellEditorProps<Row, CellValue> & ColumnParams;

/** A multi-line popup for descriptions and notes: Enter saves, Shift+Enter starts a new line. */
export function LongTextEditor({ column, value, eventKey, onValueChange }: Props) {
  const { ref, text, problem, change } = useEditorText<HTMLTextAreaElement>(column, value, eventKey, onValueChange);
  return (
    <div className="hz-popup-editor hz-longtext-editor">
      <div className="hz-popup-title">{column.label}</div>
      <textarea
        ref={ref}
        className={`hz-editor-textarea${problem ? " is-invalid" : ""}`}
        value={text}
        rows={6}
        onChange={(event) => change(event.target.value)}
      />
      <div className="hz-popup-hint">
        {problem ?? (
          <>
            <kbd>Enter</kbd> 保存 · <kbd>Shift</kbd>+<kbd>Enter</kbd> 换行 · <kbd>Esc</kbd> 取消 · {text.length} 字
          </>
        )}
      </div>
    </div>
  );
}
