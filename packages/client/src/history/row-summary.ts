import { type Row, type Sheet, SystemField, formatCell } from "@huzhu/schema";

/** A row in a few words for a panel or dialog title: its case number and first public values. */
export function summarizeRow(sheet: Pick<Sheet, "columns">, row: Row | undefined, parts = 2): string {
  if (!row) return "（此行已不存在）";
  const caseColumn = sheet.columns.find((column) => column.system === SystemField.caseNumber);
  const caseNumber = caseColumn ? formatCell(caseColumn, row.cells[caseColumn.id] ?? null) : "";
  const values = sheet.columns
    .filter((column) => !column.private && column.system === null)
    .map((column) => formatCell(column, row.cells[column.id] ?? null).replace(/\s+/g, " "))
    .filter((text) => text !== "")
    .slice(0, parts)
    .map((text) => (text.length > 24 ? `${text.slice(0, 23)}…` : text));
  return [caseNumber, ...values].filter(Boolean).join(" · ") || "（空行）";
}
