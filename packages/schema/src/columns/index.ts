import { chatGroupColumn } from "./chat-group.ts";
import { checkboxColumn } from "./checkbox.ts";
import { type CellValue, type ColumnDef, ColumnType } from "./column.ts";
import { dateTimeColumn } from "./date-time.ts";
import { numberColumn } from "./number.ts";
import { phoneColumn } from "./phone.ts";
import { selectColumn, statusColumn } from "./select.ts";
import type { ColumnTypeSpec, ParseResult } from "./spec.ts";
import { longTextColumn, personColumn, textColumn } from "./text.ts";
import { urlColumn } from "./url.ts";

/** Every column type's spec, by type. */
export const columnTypes: Readonly<Record<ColumnType, ColumnTypeSpec>> = {
  [ColumnType.text]: textColumn,
  [ColumnType.longText]: longTextColumn,
  [ColumnType.number]: numberColumn,
  [ColumnType.select]: selectColumn,
  [ColumnType.status]: statusColumn,
  [ColumnType.dateTime]: dateTimeColumn,
  [ColumnType.phone]: phoneColumn,
  [ColumnType.url]: urlColumn,
  [ColumnType.chatGroup]: chatGroupColumn,
  [ColumnType.checkbox]: checkboxColumn,
  [ColumnType.person]: personColumn,
};

export function isColumnType(value: unknown): value is ColumnType {
  return typeof value === "string" && Object.hasOwn(columnTypes, value);
}

/** Parses input for a column: the canonical value, or what the column accepts. */
export function parseCell(column: ColumnDef, input: unknown): ParseResult {
  return columnTypes[column.type].parse(input, column);
}

/** Reads a stored value, tolerating anything a foreign peer may have written: invalid becomes empty. */
export function readCell(column: ColumnDef, stored: unknown): CellValue {
  const spec = columnTypes[column.type];
  return spec.isValid(stored, column) ? (stored as CellValue) : spec.empty;
}

/** Plain text of a cell for search, CSV and server-rendered pages. */
export function formatCell(column: ColumnDef, value: CellValue): string {
  return columnTypes[column.type].format(value as never, column);
}

/** Whether a cell counts as unfilled for `required`. */
export function isEmptyCell(column: ColumnDef, value: CellValue): boolean {
  return value === columnTypes[column.type].empty || value === "" || value === null;
}
