import type { CellValue as Value, Row } from "@huzhu/schema";
import type { CustomCellRendererProps } from "ag-grid-react";
import type { ColumnParams } from "../column-defs.ts";
import type { GridContext } from "../grid-context.ts";
import { CellValue } from "./CellValue.tsx";
import { RemoteCursors } from "./RemoteCursors.tsx";

type Props = CustomCellRendererProps<Row, Value, GridContext> & ColumnParams;

/** Every data cell: its value, drawn per column type, plus other people's cursors on it. */
export function CellRenderer({ column, value, data, context }: Props) {
  if (!data) return null;
  return (
    <>
      <CellValue
        column={column}
        value={value ?? null}
        readOnly={context.readOnly || column.system !== null}
        onToggle={(checked) => context.write(data.id, column.id, checked)}
        onOpenChatGroup={(link) => context.showChatGroup(link, column.label)}
      />
      <RemoteCursors context={context} rowId={data.id} columnId={column.id} />
    </>
  );
}
