import type { CellValue, Row } from "@huzhu/schema";
import type { CustomCellEditorProps } from "ag-grid-react";
import { useRef, useState } from "react";
import type { ColumnParams } from "../column-defs.ts";
import { cstInputFromNow, fromCstInput, toCstInput } from "./cst-input.ts";
import { useEditorFocus } from "./use-editor-focus.ts";

type Props = CustomCellEditorProps<Row, CellValue> & ColumnParams;

/** The browser's date-time picker, in Beijing time whatever the device's zone, plus 现在 / 清空. */
export function DateTimeEditor({ column, value, onValueChange, stopEditing }: Props) {
  const [text, setText] = useState(() => toCstInput(typeof value === "string" ? value : null));
  const ref = useRef<HTMLInputElement>(null);
  useEditorFocus(ref);
  const set = (next: string) => {
    setText(next);
    onValueChange(fromCstInput(next));
  };
  return (
    <div className="hz-popup-editor hz-datetime-editor">
      <div className="hz-popup-title">{column.label}（北京时间）</div>
      <input ref={ref} className="hz-editor-input" type="datetime-local" value={text} onChange={(event) => set(event.target.value)} />
      <div className="hz-popup-actions">
        <button type="button" onClick={() => set(cstInputFromNow())}>
          现在
        </button>
        <button
          type="button"
          onClick={() => {
            set("");
            stopEditing();
          }}
        >
          清空
        </button>
        <button type="button" className="is-primary" onClick={() => stopEditing()}>
          确定
        </button>
      </div>
    </div>
  );
}
