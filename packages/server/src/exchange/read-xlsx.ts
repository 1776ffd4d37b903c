import { Buffer } from "node:buffer";
import ExcelJS from "exceljs";
import { ExchangeError, ExchangeErrorCode } from "./errors.ts";
import { ImportFormat, type ImportTable, type RawRow, type TableOptions, buildImportTable } from "./import-table.ts";
import type { ImportLimits } from "./limits.ts";
import { readZipDirectory } from "./zip-directory.ts";

const pad2 = (n: number) => String(n).padStart(2, "0");

/**
 * An Excel date as the text a volunteer typed: Excel stores wall-clock time without a zone and
 * exceljs hands it over in the Date's UTC fields. `YYYY-MM-DD`, plus ` HH:mm` (and `:ss`) when set;
 * the schema reads such text as China Standard Time.
 */
export function excelDateText(date: Date): string {
  const rounded = new Date(Math.round(date.getTime() / 1000) * 1000);
  if (Number.isNaN(rounded.getTime())) return "";
  const day = `${rounded.getUTCFullYear()}-${pad2(rounded.getUTCMonth() + 1)}-${pad2(rounded.getUTCDate())}`;
  const [h, m, s] = [rounded.getUTCHours(), rounded.getUTCMinutes(), rounded.getUTCSeconds()];
  if (h === 0 && m === 0 && s === 0) return day;
  return `${day} ${pad2(h)}:${pad2(m)}${s ? `:${pad2(s)}` : ""}`;
}

/** A cell's value as text: formulas give their cached result, rich text its plain text. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return excelDateText(value);
  if (typeof value !== "object") return "";
  const record = value as Record<string, unknown>;
  if (Array.isArray(record.richText)) return record.richText.map((run: { text?: unknown }) => cellText(run.text)).join("");
  if ("formula" in record || "sharedFormula" in record) return cellText(record.result);
  if ("hyperlink" in record) return cellText(record.text ?? record.hyperlink);
  if (typeof record.error === "string") return record.error;
  return "";
}

function unsupported(message: string, messageZh: string): never {
  throw new ExchangeError(ExchangeErrorCode.unsupportedFormat, message, messageZh);
}

async function loadWorkbook(bytes: Uint8Array, limits: ImportLimits): Promise<ExcelJS.Workbook> {
  const { names } = readZipDirectory(bytes, limits.maxUnzippedBytes);
  if (!names.includes("xl/workbook.xml")) {
    if (names.includes("content.xml") && names.includes("mimetype")) {
      unsupported("OpenDocument spreadsheets (.ods) are not read; save it as XLSX or CSV", "不支持 .ods 文件，请另存为 XLSX 或 CSV");
    }
    unsupported(
      "This zip file is not an XLSX spreadsheet; upload an .xlsx or .csv file",
      "该压缩文件不是 XLSX 表格，请上传 .xlsx 或 .csv 文件",
    );
  }
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as never);
  } catch (error) {
    throw new ExchangeError(
      ExchangeErrorCode.malformedXlsx,
      `The XLSX file could not be read (${(error as Error).message}); open it in Excel or LibreOffice and save it again`,
      "无法读取该 XLSX 文件（可能已损坏）；请用 Excel 或 WPS 打开后重新保存",
    );
  }
  return book;
}

function pickWorksheet(book: ExcelJS.Workbook, sheetName: string | undefined): ExcelJS.Worksheet {
  const worksheets = book.worksheets;
  const found =
    sheetName === undefined
      ? (worksheets.find((sheet) => sheet.state === "visible") ?? worksheets[0])
      : (worksheets.find((sheet) => sheet.name === sheetName) ??
        worksheets.find((sheet) => sheet.name.trim().toLowerCase() === sheetName.trim().toLowerCase()));
  if (found) return found;
  const names = worksheets.map((sheet) => `「${sheet.name}」`).join("");
  if (sheetName === undefined) {
    throw new ExchangeError(ExchangeErrorCode.emptyFile, "The XLSX file has no worksheet", "该 XLSX 文件里没有工作表");
  }
  throw new ExchangeError(
    ExchangeErrorCode.unknownWorksheet,
    `No worksheet "${sheetName}" in the file; it has ${worksheets.map((sheet) => `"${sheet.name}"`).join(", ")}`,
    `文件中没有工作表「${sheetName}」，现有：${names}`,
  );
}

function* worksheetRows(worksheet: ExcelJS.Worksheet): Generator<RawRow> {
  for (let r = 1; r <= worksheet.rowCount; r++) {
    const row = worksheet.findRow(r);
    const cells: string[] = [];
    row?.eachCell({ includeEmpty: false }, (cell, column) => {
      cells[column - 1] = cellText(cell.value);
    });
    yield { rowNumber: r, cells: Array.from(cells, (cell) => cell ?? "") };
  }
}

/**
 * Reads one worksheet of an XLSX file (the first visible one unless `sheetName` is given) as
 * text. Formulas give their cached result, dates `YYYY-MM-DD HH:mm`, numbers their shortest
 * decimal form, booleans TRUE/FALSE; every cell of a merged range gives the range's value.
 */
export async function readXlsx(bytes: Uint8Array, options: TableOptions, sheetName?: string): Promise<ImportTable> {
  const book = await loadWorkbook(bytes, options.limits);
  const worksheet = pickWorksheet(book, sheetName);
  return buildImportTable(worksheetRows(worksheet), options, {
    format: ImportFormat.xlsx,
    encoding: null,
    delimiter: null,
    sheetName: worksheet.name,
    sheetNames: book.worksheets.map((sheet) => sheet.name),
  });
}
