import type { Workbook } from "@huzhu/schema";
import Papa from "papaparse";
import { type ExportCell, type ExportOptions, readExportTable } from "./export-cells.ts";

// Excel only reads a CSV as UTF-8 when it starts with a byte-order mark; without one, Chinese
// text turns into mojibake on the Windows machines most volunteers use.
const BOM = "\uFEFF";

function csvField(cell: ExportCell): string | number {
  switch (cell.kind) {
    case "empty":
      return "";
    case "number":
      return cell.value;
    case "date":
      return cell.text;
    case "link":
      return cell.url;
    case "text":
      return cell.text;
  }
}

/**
 * One grid sheet as CSV: UTF-8 with a byte-order mark, comma-separated, CRLF line ends, a header
 * row of column labels. Dates are `YYYY-MM-DD HH:mm` in China Standard Time (UTC+8), selects
 * their labels, checkboxes 是/否; numbers are written bare. Text that would start a formula is
 * prefixed with `'`. Private columns only with `includePrivate`; trashed rows never.
 */
export function exportSheetCsv(workbook: Workbook, sheetId: string, options: ExportOptions): string {
  const table = readExportTable(workbook, sheetId, options);
  const csv = Papa.unparse(
    { fields: [...table.headers], data: table.rows.map((row) => row.map(csvField)) },
    { newline: "\r\n", delimiter: ",", quotes: false, escapeFormulae: false },
  );
  return BOM + csv + "\r\n";
}
