import {
  type CellValue,
  ColumnType,
  type Sheet,
  type SheetColumn,
  type SheetId,
  SheetKind,
  type Workbook,
  formatCell,
} from "@huzhu/schema";
import { ExchangeError, ExchangeErrorCode } from "./errors.ts";
import { neutraliseFormula } from "./neutralise.ts";

/** What every export takes. */
export interface ExportOptions {
  /** Include private columns (phones, names, addresses); only for roles allowed to see them. */
  readonly includePrivate: boolean;
}

/** One cell as an export writes it: a number stays a number, a date stays a date, the rest is safe text. */
export type ExportCell =
  | { readonly kind: "empty" }
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "date"; readonly iso: string; readonly text: string }
  | { readonly kind: "link"; readonly url: string }
  | { readonly kind: "text"; readonly text: string };

/** A grid sheet as it will be exported: visible columns and live rows, in sheet order. */
export interface ExportTable {
  readonly sheet: Sheet;
  readonly columns: readonly SheetColumn[];
  /** Header labels, neutralised like any other text. */
  readonly headers: readonly string[];
  readonly rows: readonly (readonly ExportCell[])[];
}

const EMPTY: ExportCell = { kind: "empty" };

/** The sheet, or an ExchangeError when it is missing or not a grid. */
export function readGridSheet(workbook: Workbook, sheetId: string): Sheet {
  const sheet = workbook.findSheet(sheetId);
  if (!sheet) throw new ExchangeError(ExchangeErrorCode.unknownSheet, `No sheet "${sheetId}"`, `没有工作表「${sheetId}」`);
  if (sheet.kind !== SheetKind.grid) {
    throw new ExchangeError(
      ExchangeErrorCode.notGridSheet,
      `Sheet "${sheet.name}" is a notice page, not a table`,
      `「${sheet.name}」是公告页，不是表格，不能导入导出`,
    );
  }
  return sheet;
}

function exportCell(column: SheetColumn, value: CellValue): ExportCell {
  if (value === null || value === "") return EMPTY;
  if (column.type === ColumnType.number && typeof value === "number") return { kind: "number", value };
  if (column.type === ColumnType.dateTime && typeof value === "string")
    return { kind: "date", iso: value, text: formatCell(column, value) };
  if (column.type === ColumnType.url && typeof value === "string") return { kind: "link", url: value };
  const text = formatCell(column, value);
  return text === "" ? EMPTY : { kind: "text", text: neutraliseFormula(text) };
}

/**
 * Reads what an export of one sheet contains. Private columns are dropped unless
 * `includePrivate`; rows in the trash are never exported.
 */
export function readExportTable(workbook: Workbook, sheetId: string, { includePrivate }: ExportOptions): ExportTable {
  const sheet = readGridSheet(workbook, sheetId);
  const columns = sheet.columns.filter((column) => includePrivate || !column.private);
  const rows = workbook
    .listRows(sheet.id as SheetId, { includeDeleted: false })
    .map((row) => columns.map((column) => exportCell(column, row.cells[column.id] ?? null)));
  return { sheet, columns, headers: columns.map((column) => neutraliseFormula(column.label)), rows };
}
