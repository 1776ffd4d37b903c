import { type RowId, type SheetId, SystemField, type Workbook } from "@huzhu/schema";

/** `SH` and 1 → `SH-0001`; numbers past 9999 simply grow wider. */
export function formatCaseNumber(prefix: string, number: number): string {
  return `${prefix}-${String(number).padStart(4, "0")}`;
}

/** The sheet whose rows get case numbers (the form sheet, if it has a case-number column). */
export function caseNumberSheet(workbook: Workbook): SheetId | undefined {
  const sheetId = workbook.readMeta().formSheetId;
  return sheetId && workbook.systemColumn(sheetId, SystemField.caseNumber) ? sheetId : undefined;
}

function lacksSystemFields(workbook: Workbook, sheetId: SheetId, rowId: RowId): boolean {
  const row = workbook.findRow(sheetId, rowId);
  if (!row) return false;
  const caseColumn = workbook.systemColumn(sheetId, SystemField.caseNumber);
  const submittedColumn = workbook.systemColumn(sheetId, SystemField.submittedAt);
  const empty = (columnId: string | undefined) => columnId !== undefined && (row.cells[columnId] ?? "") === "";
  return empty(caseColumn?.id) || empty(submittedColumn?.id);
}

/**
 * Rows of the form sheet whose case number or submission time is empty; `candidates` narrows
 * the check to rows a transaction touched. Trashed rows count: a restore must not reveal a gap.
 */
export function rowsLackingSystemFields(workbook: Workbook, candidates?: Iterable<RowId>): RowId[] {
  const sheetId = caseNumberSheet(workbook);
  if (!sheetId) return [];
  if (candidates) return [...candidates].filter((rowId) => lacksSystemFields(workbook, sheetId, rowId));
  // The whole sheet (at load): only the two system cells of each row are read.
  const systemColumns = [SystemField.caseNumber, SystemField.submittedAt].flatMap(
    (field) => workbook.systemColumn(sheetId, field)?.id ?? [],
  );
  return workbook.listRowIdsWithEmptyCells(sheetId, systemColumns);
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
