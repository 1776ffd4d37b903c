import { ExchangeError, ExchangeErrorCode } from "./errors.ts";
import type { ImportLimits } from "./limits.ts";

/** The kinds of file an import reads. */
export const ImportFormat = { csv: "csv", xlsx: "xlsx" } as const;
export type ImportFormat = (typeof ImportFormat)[keyof typeof ImportFormat];

/** The text encodings a CSV import recognises. */
export const TextEncoding = {
  utf8: "utf-8",
  utf8Bom: "utf-8-bom",
  utf16le: "utf-16le",
  utf16be: "utf-16be",
  gb18030: "gb18030",
} as const;
export type TextEncoding = (typeof TextEncoding)[keyof typeof TextEncoding];

/** A file's table as plain text, before any column is interpreted. */
export interface ImportTable {
  readonly format: ImportFormat;
  /** How a CSV file was encoded; null for XLSX. */
  readonly encoding: TextEncoding | null;
  /** The CSV delimiter found; null for XLSX. */
  readonly delimiter: string | null;
  /** The worksheet read (XLSX only). */
  readonly sheetName?: string;
  /** Every worksheet of the file, so a caller can offer another (XLSX only). */
  readonly sheetNames?: readonly string[];
  /** The header row, trimmed; as long as the widest row. */
  readonly headers: readonly string[];
  /** 1-based row number of the header row in the file. */
  readonly headerRowNumber: number;
  /** Data rows as text, each as long as `headers`; fully empty rows are dropped. */
  readonly rows: readonly (readonly string[])[];
  /** 1-based row number in the file (as a spreadsheet program numbers it) of each data row. */
  readonly rowNumbers: readonly number[];
  /** Empty rows dropped after the header row. */
  readonly skippedEmpty: number;
}

/** How rows become a table. */
export interface TableOptions {
  readonly limits: ImportLimits;
  /** Rows above this 1-based row are ignored (a title above the header); the header is the first non-empty row from here. */
  readonly headerRow: number;
}

/** One row of a file as read, before empty rows are dropped. */
export interface RawRow {
  readonly rowNumber: number;
  readonly cells: readonly string[];
}

/** Spreadsheet column name of a 0-based index: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let name = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

function lastFilled(cells: readonly string[]): number {
  for (let i = cells.length - 1; i >= 0; i--) if ((cells[i] ?? "").trim() !== "") return i;
  return -1;
}

/**
 * Turns rows as read into a table: the first non-empty row from `headerRow` on is the header,
 * empty rows are dropped, every row is padded to one width, and the limits are enforced.
 */
export function buildImportTable(
  raw: Iterable<RawRow>,
  { limits, headerRow: firstHeaderRow }: TableOptions,
  source: Pick<ImportTable, "format" | "encoding" | "delimiter" | "sheetName" | "sheetNames">,
): ImportTable {
  let headerRow: RawRow | undefined;
  const kept: RawRow[] = [];
  let width = 0;
  let skippedEmpty = 0;
  for (const row of raw) {
    if (row.rowNumber < firstHeaderRow) continue;
    const last = lastFilled(row.cells);
    if (last < 0) {
      if (headerRow) skippedEmpty++;
      continue;
    }
    if (last + 1 > limits.maxColumns) {
      throw new ExchangeError(
        ExchangeErrorCode.tooManyColumns,
        `Row ${row.rowNumber} has ${last + 1} columns; at most ${limits.maxColumns} can be imported`,
        `第 ${row.rowNumber} 行有 ${last + 1} 列，最多只能导入 ${limits.maxColumns} 列`,
      );
    }
    row.cells.forEach((cell, i) => {
      if (cell.length > limits.maxCellLength) {
        throw new ExchangeError(
          ExchangeErrorCode.cellTooLong,
          `Cell ${columnLetter(i)}${row.rowNumber} has ${cell.length} characters; at most ${limits.maxCellLength} are accepted`,
          `单元格 ${columnLetter(i)}${row.rowNumber} 有 ${cell.length} 个字符，最多 ${limits.maxCellLength} 个`,
        );
      }
    });
    width = Math.max(width, last + 1);
    if (!headerRow) headerRow = row;
    else if (kept.push(row) > limits.maxRows) {
      throw new ExchangeError(
        ExchangeErrorCode.tooManyRows,
        `The file has more than ${limits.maxRows} data rows; split it into smaller files`,
        `文件超过 ${limits.maxRows} 行数据，请拆分成几个较小的文件`,
      );
    }
  }
  if (!headerRow) {
    throw new ExchangeError(
      ExchangeErrorCode.emptyFile,
      firstHeaderRow > 1
        ? `The file has no rows from row ${firstHeaderRow} on`
        : "The file has no rows: the first row must name the columns",
      firstHeaderRow > 1 ? `文件第 ${firstHeaderRow} 行及以下没有内容` : "文件是空的：第一行应为列名",
    );
  }
  const pad = (cells: readonly string[]) => Array.from({ length: width }, (_, i) => cells[i] ?? "");
  return {
    ...source,
    headers: pad(headerRow.cells).map((header) => header.trim()),
    headerRowNumber: headerRow.rowNumber,
    rows: kept.map((row) => pad(row.cells)),
    rowNumbers: kept.map((row) => row.rowNumber),
    skippedEmpty,
  };
}
