import { ColumnType, SheetKind, type Workbook } from "@huzhu/schema";
import ExcelJS from "exceljs";
import { type ExportCell, type ExportOptions, type ExportTable, readExportTable } from "./export-cells.ts";

/** Options of `exportWorkbookXlsx`. */
export interface XlsxExportOptions extends ExportOptions {
  /** The grid sheets to export, in this order; all grid sheets when omitted. */
  readonly sheetIds?: readonly string[];
}

// Excel dates have no time zone: a cell holds wall-clock time. Huzhu's workbooks live in China
// Standard Time, so an instant is written as its UTC+8 wall-clock time (exceljs writes a Date's
// UTC fields), which is what a volunteer in Shanghai expects to read.
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;
const DATE_FORMAT = "yyyy-mm-dd hh:mm";
const DEFAULT_WIDTH_PX = 120;
// Excel measures width in characters of its default font, about 7 CSS pixels each.
const PX_PER_CHAR = 7;
const MAX_NAME = 31;

function cellValue(cell: ExportCell): ExcelJS.CellValue {
  switch (cell.kind) {
    case "empty":
      return null;
    case "number":
      return cell.value;
    case "date":
      return new Date(Date.parse(cell.iso) + CST_OFFSET_MS);
    case "link":
      return { text: cell.url, hyperlink: cell.url };
    case "text":
      return cell.text;
  }
}

/** A worksheet name Excel accepts: at most 31 characters, none of []:*?/\, unique. */
function worksheetName(name: string, taken: Set<string>): string {
  const base =
    name
      .replace(/[[\]:*?/\\]/g, "_")
      .replace(/^'+|'+$/g, "")
      .slice(0, MAX_NAME) || "Sheet";
  let candidate = base;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${base.slice(0, MAX_NAME - String(n).length - 2)} (${n})`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

function addWorksheet(book: ExcelJS.Workbook, table: ExportTable, name: string): void {
  const worksheet = book.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1 }] });
  worksheet.columns = table.columns.map((column, i) => ({
    header: table.headers[i] ?? "",
    width: Math.max(6, Math.round((column.width ?? DEFAULT_WIDTH_PX) / PX_PER_CHAR)),
    ...(column.type === ColumnType.dateTime ? { style: { numFmt: DATE_FORMAT } } : {}),
  }));
  worksheet.getRow(1).font = { bold: true };
  for (const row of table.rows) worksheet.addRow(row.map(cellValue));
}

/**
 * The workbook as XLSX: one worksheet per grid sheet (notice pages are skipped), a bold frozen
 * header row of column labels, column widths from the sheet. Numbers are numbers; dates are real
 * Excel dates holding China Standard Time (UTC+8) wall-clock time; selects are their labels,
 * checkboxes 是/否, links clickable. Text that would start a formula is prefixed with `'`.
 * Private columns only with `includePrivate`; trashed rows never.
 */
export async function exportWorkbookXlsx(workbook: Workbook, options: XlsxExportOptions): Promise<Uint8Array> {
  const sheetIds =
    options.sheetIds ??
    workbook
      .listSheets()
      .filter((sheet) => sheet.kind === SheetKind.grid)
      .map((sheet) => sheet.id);
  const tables = sheetIds.map((sheetId) => readExportTable(workbook, sheetId, options));
  const book = new ExcelJS.Workbook();
  book.creator = "Huzhu 互助";
  book.title = workbook.readMeta().title;
  const taken = new Set<string>();
  for (const table of tables) addWorksheet(book, table, worksheetName(table.sheet.name, taken));
  if (tables.length === 0) book.addWorksheet("Sheet1");
  const buffer = await book.xlsx.writeBuffer();
  return new Uint8Array(buffer);
}
