import {
  type CellInputs,
  type IgnoredColumn,
  type ImportIssue,
  ImportIssueCode,
  type CellValue,
  type ColumnId,
  type RowId,
  SchemaError,
  type Sheet,
  type SheetColumn,
  type SheetId,
  type Workbook,
  isEmptyCell,
  parseCell,
} from "@huzhu/schema";
import type { NumberedRows } from "../case-numbers.ts";
import { ExchangeError, ExchangeErrorCode } from "./errors.ts";
import { readGridSheet } from "./export-cells.ts";
import { type ImportTable, columnLetter } from "./import-table.ts";
import { type ImportMapping, isImportable, normaliseHeader } from "./mapping.ts";
import { restoreNeutralised } from "./neutralise.ts";

export { type IgnoredColumn, type ImportIssue, ImportIssueCode } from "@huzhu/schema";

/** What an import would do, computed without changing anything; shown to the user before applying. */
export interface ImportPlan {
  readonly sheetId: SheetId;
  /** Rows whose every mapped cell is valid: column id → parsed value (empty cells left out). */
  readonly validRows: readonly CellInputs[];
  /** File row number of each valid row. */
  readonly validRowNumbers: readonly number[];
  /** Invalid cells; a row with any is not imported. At most `MAX_LISTED_ISSUES` are listed. */
  readonly errors: readonly ImportIssue[];
  readonly errorCount: number;
  /** Rows left out because of invalid cells. */
  readonly invalidRowCount: number;
  /** Empty cells of required columns; these rows are still imported. At most `MAX_LISTED_ISSUES` listed. */
  readonly warnings: readonly ImportIssue[];
  readonly warningCount: number;
  /** File columns left out. */
  readonly unknownColumns: readonly IgnoredColumn[];
  /** Required sheet columns no file column fills. */
  readonly missingRequired: readonly ColumnId[];
  /** Rows dropped as empty: fully empty in the file, or empty in every mapped column. */
  readonly skippedEmpty: number;
}

/** How many errors and warnings a plan lists; counts cover the rest. */
export const MAX_LISTED_ISSUES = 1000;
const SHOWN_VALUE = 80;

interface MappedColumn {
  readonly index: number;
  readonly header: string;
  readonly column: SheetColumn;
}

function invalidMapping(message: string, messageZh: string): never {
  throw new ExchangeError(ExchangeErrorCode.invalidMapping, message, messageZh);
}

function resolveMapping(sheet: Sheet, table: ImportTable, mapping: ImportMapping) {
  const columns = new Map(sheet.columns.map((column) => [column.id as string, column]));
  const mapped: MappedColumn[] = [];
  const ignored: IgnoredColumn[] = [];
  const targets = new Set<string>();
  // A file exported from Huzhu carries the server's columns (case number, submitted at); say so
  // rather than calling them unknown.
  const systemHeaders = new Set(
    sheet.columns
      .filter((column) => !isImportable(column))
      .flatMap((column) => [normaliseHeader(column.label), normaliseHeader(column.id)]),
  );
  for (const key of Object.keys(mapping)) {
    const index = Number(key);
    if (!Number.isInteger(index) || index < 0 || index >= table.headers.length) {
      invalidMapping(`Mapping names file column ${key}, but the file has ${table.headers.length}`, `映射中的第 ${key} 列在文件中不存在`);
    }
  }
  table.headers.forEach((header, index) => {
    const target = mapping[index];
    if (target === undefined || target === null || target === "") {
      const hasData = header !== "" || table.rows.some((row) => (row[index] ?? "").trim() !== "");
      if (hasData) ignored.push({ index, header, reason: systemHeaders.has(normaliseHeader(header)) ? "system" : "unmapped" });
      return;
    }
    const column = columns.get(target);
    if (!column) {
      throw new ExchangeError(
        ExchangeErrorCode.unknownColumn,
        `File column "${header}" is mapped to "${target}", which is not a column of sheet "${sheet.name}"`,
        `文件列「${header}」对应的列「${target}」不在工作表「${sheet.name}」中`,
      );
    }
    if (targets.has(target)) {
      throw new ExchangeError(
        ExchangeErrorCode.duplicateMapping,
        `Two file columns are mapped to "${column.label}"; map each sheet column once`,
        `有两个文件列都对应「${column.label}」，每个表格列只能对应一个文件列`,
      );
    }
    targets.add(target);
    if (isImportable(column)) mapped.push({ index, header, column });
    else ignored.push({ index, header, reason: "system" });
  });
  return { mapped, ignored };
}

function issue(
  code: ImportIssueCode,
  row: number,
  { index, header, column }: MappedColumn,
  text: string,
  en: string,
  zh: string,
): ImportIssue {
  const value = text.length > SHOWN_VALUE ? `${text.slice(0, SHOWN_VALUE)}…` : text;
  const where = `${columnLetter(index)}${row}`;
  return {
    code,
    row,
    column: column.id,
    fileColumn: columnLetter(index),
    header,
    value,
    message: `Row ${row}, ${column.label} (cell ${where}): ${en}`,
    messageZh: `第 ${row} 行「${column.label}」（单元格 ${where}）：${zh}`,
  };
}

/**
 * Checks a file against a sheet without changing anything: every mapped cell is parsed by its
 * column's type (`parseCell`); a row with any invalid cell is left out and each invalid cell
 * reported with its file row. System columns are never imported. Required columns are not
 * enforced (volunteers import partial lists) but their empty cells are reported as warnings.
 * Throws an `ExchangeError` for a mapping that names unknown columns or one column twice.
 */
export function planImport(workbook: Workbook, sheetId: string, table: ImportTable, mapping: ImportMapping): ImportPlan {
  const sheet = readGridSheet(workbook, sheetId);
  const { mapped, ignored } = resolveMapping(sheet, table, mapping);
  const validRows: CellInputs[] = [];
  const validRowNumbers: number[] = [];
  const errors: ImportIssue[] = [];
  const warnings: ImportIssue[] = [];
  let errorCount = 0;
  let warningCount = 0;
  let invalidRowCount = 0;
  let skippedEmpty = table.skippedEmpty;

  table.rows.forEach((cells, i) => {
    const rowNumber = table.rowNumbers[i] ?? i + 2;
    const values: Record<string, CellValue> = {};
    const rowWarnings: ImportIssue[] = [];
    let filled = 0;
    let invalid = 0;
    for (const target of mapped) {
      const text = restoreNeutralised(cells[target.index] ?? "");
      const { column } = target;
      const result = parseCell(column, text);
      if (!result.ok) {
        invalid++;
        if (++errorCount <= MAX_LISTED_ISSUES) {
          const shown = JSON.stringify(text);
          errors.push(
            issue(
              ImportIssueCode.invalidCell,
              rowNumber,
              target,
              text,
              `${shown} is not accepted; expected ${result.expected}`,
              `「${text}」不符合要求，需要${result.expectedZh}`,
            ),
          );
        }
      } else if (isEmptyCell(column, result.value)) {
        if (column.required)
          rowWarnings.push(issue(ImportIssueCode.requiredMissing, rowNumber, target, text, "required but empty", "必填项为空"));
      } else {
        filled++;
        values[column.id] = result.value;
      }
    }
    if (invalid > 0) invalidRowCount++;
    else if (filled === 0) skippedEmpty++;
    else {
      validRows.push(values);
      validRowNumbers.push(rowNumber);
      warningCount += rowWarnings.length;
      warnings.push(...rowWarnings.slice(0, Math.max(0, MAX_LISTED_ISSUES - warnings.length)));
    }
  });

  const missingRequired = sheet.columns
    .filter((column) => column.required && isImportable(column) && !mapped.some((m) => m.column.id === column.id))
    .map((column) => column.id);
  return {
    sheetId: sheet.id,
    validRows,
    validRowNumbers,
    errors,
    errorCount,
    invalidRowCount,
    warnings,
    warningCount,
    unknownColumns: ignored,
    missingRequired,
    skippedEmpty,
  };
}

/**
 * Inserts a plan's valid rows at the end of the sheet in one transaction (one update, one undo
 * step) and returns their ids; with `numbered`, under its ids and with its system cells (case
 * numbers the server allocated for them). The schema validates every cell again; a plan that no longer fits
 * the sheet (a column removed or changed since planning) or that names a system column is refused
 * whole. Keep plans on the server, or plan again from the file: never apply one a client sent.
 */
export function applyImport(workbook: Workbook, sheetId: string, plan: ImportPlan, numbered?: NumberedRows): RowId[] {
  const sheet = readGridSheet(workbook, sheetId);
  if (plan.sheetId !== sheet.id) {
    invalidMapping(`The plan was made for sheet "${plan.sheetId}", not "${sheet.id}"`, "该导入计划不属于这个工作表");
  }
  if (plan.validRows.length === 0) return [];
  const importable = new Set(sheet.columns.filter(isImportable).map((column) => column.id as string));
  for (const row of plan.validRows) {
    for (const columnId of Object.keys(row)) {
      if (!importable.has(columnId)) stalePlan(`column "${columnId}" cannot be imported into this sheet`);
    }
  }
  try {
    if (!numbered) return workbook.insertRows(sheet.id, plan.validRows);
    const rows = plan.validRows.map((row, i) => ({ ...row, ...numbered.systemCells[i] }));
    return workbook.insertRows(sheet.id, rows, {}, { ids: numbered.ids });
  } catch (error) {
    if (error instanceof SchemaError) stalePlan(error.message);
    throw error;
  }
}

function stalePlan(reason: string): never {
  throw new ExchangeError(
    ExchangeErrorCode.stalePlan,
    `The sheet changed since the file was checked (${reason}); check the file again`,
    "检查文件后工作表已有变动（列被删除或修改），请重新检查文件后再导入",
  );
}
