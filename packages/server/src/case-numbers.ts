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

/** The fields the server numbers a row with: its case number and when it was submitted. */
const NUMBERED_FIELDS = [SystemField.caseNumber, SystemField.submittedAt] as const;

/** The sheet's case-number and submission-time columns. */
function systemColumnIds(workbook: Workbook, sheetId: SheetId): string[] {
  return NUMBERED_FIELDS.flatMap((field) => workbook.systemColumn(sheetId, field)?.id ?? []);
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

/** The sheet's column of each numbered field it has, with the row's value for it. */
function numberedCells(workbook: Workbook, sheetId: SheetId, number: number, submittedAt: string) {
  const values = {
    [SystemField.caseNumber]: formatCaseNumber(workbook.readMeta().casePrefix, number),
    [SystemField.submittedAt]: submittedAt,
  };
  return NUMBERED_FIELDS.flatMap((field) => {
    const column = workbook.systemColumn(sheetId, field);
    return column ? [{ field, columnId: column.id as string, value: values[field] }] : [];
  });
}

/**
 * The case number and submission time of a row about to be inserted into the form sheet (a form
 * answer, an import), as cells to insert it with: the row then arrives numbered, its system cells
 * among the cells it was inserted with, rather than numbered by a second change.
 */
export function systemCellsFor(workbook: Workbook, sheetId: SheetId, number: number, submittedAt: string): CellInputs {
  return Object.fromEntries(numberedCells(workbook, sheetId, number, submittedAt).map(({ columnId, value }) => [columnId, value]));
}

/**
 * Writes a row's case number and submission time where still empty, in one transaction. Values
 * someone else wrote in the meantime stay.
 */
export function fillSystemFields(workbook: Workbook, rowId: RowId, number: number, now = new Date()): void {
  const sheetId = caseNumberSheet(workbook);
  const row = sheetId && workbook.findRow(sheetId, rowId);
  if (!sheetId || !row) return;
  const cells = numberedCells(workbook, sheetId, number, row.createdAt ?? now.toISOString());
  workbook.transact(() => {
    for (const { field, columnId, value } of cells) {
      if ((row.cells[columnId] ?? "") === "") workbook.setSystemCell(sheetId, rowId, field, value);
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
 * (an import), allocated now under fresh row ids (`systemCellsFor`). Undefined for another sheet.
 * Numbers of rows then not inserted (the sheet changed meanwhile) are skipped, never reused.
 */
export async function numberNewRows(
  store: DocStore,
  workbookId: string,
  workbook: Workbook,
  sheetId: string,
  count: number,
  now = new Date(),
): Promise<NumberedRows | undefined> {
  const formSheetId = caseNumberSheet(workbook);
  if (count === 0 || formSheetId !== sheetId) return undefined;
  const ids = Array.from({ length: count }, () => createRowId());
  const numbers = await store.allocateCaseNumbers(workbookId, ids);
  return { ids, systemCells: numbers.map((number) => systemCellsFor(workbook, formSheetId, number, now.toISOString())) };
}
