import type { ColDef, ValueFormatterParams, ValueGetterParams } from "ag-grid-community";
import {
  type CellValue,
  type ColumnDef,
  ColumnType,
  type Row,
  type Sheet,
  SystemField,
  formatCell,
  formatInstantCst,
  isChoiceColumn,
} from "@huzhu/schema";
import { CellComponent } from "./components.ts";

/** The pinned left column with the row number, drag handle and selection box. */
export const GUTTER_COLUMN_ID = "__gutter";

/** What every data column's renderer and editor receive, next to AG Grid's own params. */
export interface ColumnParams {
  readonly column: ColumnDef;
}

interface TypeLayout {
  readonly width: number;
  readonly editor: string;
  readonly popup?: boolean;
  readonly filter: "agTextColumnFilter" | "agNumberColumnFilter" | "agDateColumnFilter";
  readonly inputType?: "text" | "tel" | "url" | "number";
}

/** How each column type sits in the grid; widths fit the compact row height. */
const layouts: Readonly<Record<ColumnType, TypeLayout>> = {
  text: { width: 140, editor: CellComponent.inputEditor, filter: "agTextColumnFilter", inputType: "text" },
  longText: { width: 240, editor: CellComponent.longTextEditor, popup: true, filter: "agTextColumnFilter" },
  number: { width: 80, editor: CellComponent.inputEditor, filter: "agNumberColumnFilter", inputType: "number" },
  select: { width: 110, editor: "agSelectCellEditor", filter: "agTextColumnFilter" },
  status: { width: 110, editor: "agSelectCellEditor", filter: "agTextColumnFilter" },
  dateTime: { width: 140, editor: CellComponent.dateTimeEditor, popup: true, filter: "agDateColumnFilter" },
  phone: { width: 130, editor: CellComponent.inputEditor, filter: "agTextColumnFilter", inputType: "tel" },
  url: { width: 180, editor: CellComponent.inputEditor, filter: "agTextColumnFilter", inputType: "url" },
  chatGroup: { width: 150, editor: CellComponent.chatGroupEditor, popup: true, filter: "agTextColumnFilter" },
  checkbox: { width: 80, editor: CellComponent.inputEditor, filter: "agTextColumnFilter" },
  person: { width: 110, editor: CellComponent.inputEditor, filter: "agTextColumnFilter", inputType: "text" },
};

const collator = new Intl.Collator("zh-CN", { numeric: true });

function cellOf(row: Row | undefined, column: ColumnDef): CellValue {
  return row?.cells[column.id] ?? null;
}

function isBlank(value: CellValue): boolean {
  return value === null || value === "" || value === false;
}

/**
 * Sort order per type: options by their position (危急 before 紧急), numbers numerically, text by
 * pinyin; empty cells last in both directions, as volunteers expect.
 */
export function compareCells(column: ColumnDef, a: CellValue, b: CellValue, descending = false): number {
  if (isBlank(a) || isBlank(b)) {
    if (isBlank(a) && isBlank(b)) return 0;
    return (isBlank(a) ? 1 : -1) * (descending ? -1 : 1);
  }
  if (isChoiceColumn(column)) {
    const index = (v: CellValue) => column.options.findIndex((o) => o.id === v);
    return index(a) - index(b);
  }
  if (typeof a === "number" && typeof b === "number") return a - b;
  return collator.compare(formatCell(column, a), formatCell(column, b));
}

/** The CST calendar day of an instant as a local-midnight Date, which AG Grid's date filter compares. */
export function cstDay(iso: CellValue): Date | null {
  if (typeof iso !== "string") return null;
  const text = formatInstantCst(iso);
  const [y, m, d] = text.slice(0, 10).split("-").map(Number);
  return text ? new Date(y as number, (m as number) - 1, d as number) : null;
}

function filterFor(column: ColumnDef, layout: TypeLayout): Partial<ColDef<Row>> {
  if (layout.filter === "agNumberColumnFilter") return { filter: layout.filter };
  if (layout.filter === "agDateColumnFilter") {
    return {
      filter: layout.filter,
      filterValueGetter: (p: ValueGetterParams<Row>) => cstDay(cellOf(p.data, column)),
      filterParams: {
        comparator: (filterDay: Date, cellDay: Date | null) => (cellDay === null ? -1 : cellDay.getTime() - filterDay.getTime()),
      },
    };
  }
  // Text filters match what people see: option labels, 是/否, formatted times.
  return { filter: layout.filter, filterValueGetter: (p: ValueGetterParams<Row>) => formatCell(column, cellOf(p.data, column)) };
}

function editorFor(column: ColumnDef, layout: TypeLayout): Partial<ColDef<Row>> {
  if (layout.editor === "agSelectCellEditor") {
    // Labels come from the column's valueFormatter, which names "" as the clearing choice.
    return { cellEditor: layout.editor, cellEditorParams: { values: ["", ...column.options.map((o) => o.id)] } };
  }
  return { cellEditor: layout.editor, cellEditorPopup: layout.popup ?? false, cellEditorParams: { column, inputType: layout.inputType } };
}

/** One schema column as an AG Grid column: a pure mapping, the same for editors and read-only views. */
export function toColDef(column: ColumnDef, options: { readOnly: boolean }): ColDef<Row> {
  const layout = layouts[column.type];
  const params: ColumnParams = { column };
  return {
    colId: column.id,
    headerName: column.label,
    headerTooltip: column.description || undefined,
    width: column.width ?? layout.width,
    pinned: column.system === SystemField.caseNumber ? "left" : undefined,
    lockPinned: column.system === SystemField.caseNumber,
    valueGetter: (p: ValueGetterParams<Row>) => cellOf(p.data, column),
    // AG Grid's select editor lists its values through this: "" is the editor's "clear" choice.
    valueFormatter: (p: ValueFormatterParams<Row>) =>
      p.value === "" && column.options.length > 0 ? "（清空）" : formatCell(column, p.value ?? null),
    getQuickFilterText: (p) => formatCell(column, cellOf(p.data, column)),
    comparator: (a, b, _na, _nb, descending) => compareCells(column, a ?? null, b ?? null, descending),
    editable: !options.readOnly && column.system === null && column.type !== ColumnType.checkbox,
    cellRenderer: CellComponent.cell,
    cellRendererParams: params,
    cellClass: `hz-cell hz-cell-${column.type}${column.system ? " hz-cell-system" : ""}`,
    headerClass: column.private ? "hz-header-private" : undefined,
    tooltipValueGetter: column.type === ColumnType.longText ? (p) => formatCell(column, p.value ?? null) || undefined : undefined,
    ...filterFor(column, layout),
    ...editorFor(column, layout),
  };
}

/** All columns of a sheet: the gutter, then the schema's columns in order. */
export function createColumnDefs(sheet: Pick<Sheet, "columns">, options: { readOnly: boolean }): ColDef<Row>[] {
  const gutter: ColDef<Row> = {
    colId: GUTTER_COLUMN_ID,
    headerName: "",
    width: options.readOnly ? 48 : 64,
    pinned: "left",
    lockPinned: true,
    lockPosition: "left",
    rowDrag: !options.readOnly,
    cellRenderer: CellComponent.gutter,
    cellClass: "hz-gutter",
    sortable: false,
    filter: false,
    resizable: false,
    editable: false,
    suppressMovable: true,
    suppressNavigable: true,
    valueGetter: () => null,
  };
  return [gutter, ...sheet.columns.map((column) => toColDef(column, options))];
}
