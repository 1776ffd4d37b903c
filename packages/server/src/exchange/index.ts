export { ExportContentType, type ExportFormat, contentDisposition, exportFileName } from "./download.ts";
export { ExchangeError, ExchangeErrorCode } from "./errors.ts";
export { type ExportOptions, readExportTable } from "./export-cells.ts";
export { exportSheetCsv } from "./export-csv.ts";
export { type XlsxExportOptions, exportWorkbookXlsx } from "./export-xlsx.ts";
export { ImportFormat, type ImportTable, TextEncoding } from "./import-table.ts";
export { DEFAULT_IMPORT_LIMITS, type ImportLimits } from "./limits.ts";
export { type ImportMapping, normaliseHeader, suggestMapping } from "./mapping.ts";
export { neutraliseFormula, restoreNeutralised } from "./neutralise.ts";
export {
  type IgnoredColumn,
  type ImportIssue,
  ImportIssueCode,
  type ImportPlan,
  MAX_LISTED_ISSUES,
  applyImport,
  planImport,
} from "./plan-import.ts";
export { type ReadImportOptions, readImportFile } from "./read-import-file.ts";
