import { type CellInputs, type RowId, type SheetChanges, type SheetId, SystemField, type Workbook, createRowId } from "@huzhu/schema";
import type { DocStore } from "./storage/doc-store.ts";

/** `SH` and 1 → `SH-0001`; numbers past 9999 simply grow wider. */
export function formatCaseNumber(prefix: string, number: number): string {
  return `${prefix}-${String(number).padStart(4, "0")}`;
}

/** The sheet whose rows get case numbers (the form sheet, if it has a case-number column). */
export function caseNumberSheet(workbook: Workbook): SheetId | undefined {
  const sheetId = workbook.readMeta().formSheetId;
  return sheetId && workbook.systemColumn(sheetId, SystemField.caseNumber) ? sheetId : undefined;
}

/** The sheet's case-number and submission-time columns. */
function systemColumnIds(workbook: Workbook, sheetId: SheetId): string[] {
  return [SystemField.caseNumber, SystemField.submittedAt].flatMap((field) => workbook.systemColumn(sheetId, field)?.id ?? []);
}

/**
 * Rows of the form sheet whose case number or submission time is empty, reading only those two
 * cells; `candidates` narrows the check to rows a transaction touched. Trashed rows count: a
 * restore must not reveal a gap.
 */
export function rowsLackingSystemFields(workbook: Workbook, candidates?: Iterable<RowId>): RowId[] {
  const sheetId = caseNumberSheet(workbook);
  return sheetId ? workbook.listRowIdsWithEmptyCells(sheetId, systemColumnIds(workbook, sheetId), candidates) : [];
}

/**
 * The rows among `changes` that may have come to lack a system value: new rows, and rows whose
 * system cells changed (an edit elsewhere in a row cannot empty them).
 */
export function rowsToCheckForSystemFields(workbook: Workbook, sheetId: SheetId, changes: SheetChanges): RowId[] {
  const systemIds = systemColumnIds(workbook, sheetId);
  const touched = [...changes.updated].filter(([, keys]) => systemIds.some((id) => keys.has(id))).map(([id]) => id);
  return [...changes.added, ...touched];
}

/**
 * Writes a row's case number and submission time where still empty, in one transaction. Values
 * someone else wrote in the meantime stay.
 */
export function fillSystemFields(workbook: Workbook, rowId: RowId, number: number, now = new Date()): void {
  const sheetId = caseNumberSheet(workbook);
  const row = sheetId && workbook.findRow(sheetId, rowId);
  if (!sheetId || !row) return;
  const caseColumn = workbook.systemColumn(sheetId, SystemField.caseNumber);
  const submittedColumn = workbook.systemColumn(sheetId, SystemField.submittedAt);
  workbook.transact(() => {
    if (caseColumn && (row.cells[caseColumn.id] ?? "") === "") {
      workbook.setSystemCell(sheetId, rowId, SystemField.caseNumber, formatCaseNumber(workbook.readMeta().casePrefix, number));
    }
    if (submittedColumn && (row.cells[submittedColumn.id] ?? "") === "") {
      workbook.setSystemCell(sheetId, rowId, SystemField.submittedAt, row.createdAt ?? now.toISOString());
    }
  });
}

/** Ids for rows about to be inserted, with the system cells to insert them with. */
export interface NumberedRows {
  readonly ids: readonly RowId[];
  readonly systemCells: readonly CellInputs[];
}

/**
 * Case numbers and a submission time for `count` rows about to be inserted into the form sheet
 * (an import), allocated now under fresh row ids, so the rows carry them from their first
 * version instead of being numbered in a second change. Undefined for another sheet. Numbers of
 * rows then not inserted (the sheet changed meanwhile) are skipped, never reused.
 */
export async function numberNewRows(
  store: DocStore,
  workbookId: string,
  workbook: Workbook,
  sheetId: string,
  count: number,
  now = new Date(),
): Promise<NumberedRows | undefined> {
  if (count === 0 || caseNumberSheet(workbook) !== sheetId) return undefined;
  const caseColumn = workbook.systemColumn(sheetId as SheetId, SystemField.caseNumber);
  const submittedColumn = workbook.systemColumn(sheetId as SheetId, SystemField.submittedAt);
  const ids = Array.from({ length: count }, () => createRowId());
  const numbers = await store.allocateCaseNumbers(workbookId, ids);
  const prefix = workbook.readMeta().casePrefix;
  const systemCells = numbers.map((number) => ({
    ...(caseColumn && { [caseColumn.id]: formatCaseNumber(prefix, number) }),
    ...(submittedColumn && { [submittedColumn.id]: now.toISOString() }),
  }));
  return { ids, systemCells };
}
