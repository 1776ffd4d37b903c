import { ExchangeError, ExchangeErrorCode } from "./errors.ts";
import type { ImportTable } from "./import-table.ts";
import { DEFAULT_IMPORT_LIMITS, type ImportLimits, formatBytes } from "./limits.ts";
import { readCsv } from "./read-csv.ts";
import { readXlsx } from "./read-xlsx.ts";
import { isZip } from "./zip-directory.ts";

/** Options of `readImportFile`. */
export interface ReadImportOptions {
  /** The XLSX worksheet to read; the first visible one when omitted. */
  readonly sheetName?: string;
  /**
   * 1-based row where the header is sought (the first non-empty row from here on); for sheets with
   * a title above the header. Default 1.
   */
  readonly headerRow?: number;
  /** Overrides of `DEFAULT_IMPORT_LIMITS`. */
  readonly limits?: Partial<ImportLimits>;
}

// Excel 97–2003 (.xls) and other OLE2 compound files.
const isOle2 = (bytes: Uint8Array) => bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;

/**
 * Reads an uploaded CSV or XLSX file as a table of text. The format is decided by content (a zip
 * file is XLSX), not by the file name, which only appears in messages. Throws an `ExchangeError`
 * (English and Chinese message) for files that are too large, damaged, empty or of another kind.
 */
export async function readImportFile(bytes: Uint8Array, filename: string, options: ReadImportOptions = {}): Promise<ImportTable> {
  const limits: ImportLimits = { ...DEFAULT_IMPORT_LIMITS, ...options.limits };
  if (bytes.length > limits.maxBytes) {
    throw new ExchangeError(
      ExchangeErrorCode.fileTooLarge,
      `"${filename}" is ${formatBytes(bytes.length)}; files of at most ${formatBytes(limits.maxBytes)} can be imported`,
      `「${filename}」有 ${formatBytes(bytes.length)}，最多只能导入 ${formatBytes(limits.maxBytes)} 的文件`,
    );
  }
  if (bytes.length === 0) {
    throw new ExchangeError(ExchangeErrorCode.emptyFile, `"${filename}" is empty`, `「${filename}」是空文件`);
  }
  if (isOle2(bytes)) {
    throw new ExchangeError(
      ExchangeErrorCode.unsupportedFormat,
      `"${filename}" is an old Excel 97–2003 (.xls) file; save it as .xlsx or CSV UTF-8 and import that`,
      `「${filename}」是旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV UTF-8 后再导入`,
    );
  }
  const table = { limits, headerRow: Math.max(1, Math.floor(options.headerRow ?? 1)) };
  return isZip(bytes) ? readXlsx(bytes, table, options.sheetName) : readCsv(bytes, table);
}
