import { type Row, type RowId, SchemaError, type SheetId, type Workbook, formatCell } from "@huzhu/schema";
import type { GridApi } from "ag-grid-community";
import { displayedColumns, displayedRows, focusedCell } from "./grid-columns.ts";
import { describePasteProblems, planPaste } from "./paste-plan.ts";
import { cellsToTsv, parseTsv } from "./tsv.ts";

/** The text Ctrl+C puts on the clipboard: the selected rows (all visible columns), else the focused cell. */
export function copyText(api: GridApi<Row>): string | null {
  const format = (column: Parameters<typeof formatCell>[0], value: unknown) => formatCell(column, value as never);
  const selected = displayedRows(api).filter((node) => node.isSelected());
  if (selected.length > 0)
    return cellsToTsv(
      displayedColumns(api),
      selected.map((node) => node.data as Row),
      format,
    );
  const focused = focusedCell(api);
  return focused ? cellsToTsv([focused.column], [focused.node.data as Row], format) : null;
}

/** The outcome of a paste, worded for the user. */
export type PasteOutcome = { readonly ok: boolean; readonly message: string | null };

/**
 * Pastes TSV from the focused cell in ONE workbook transaction: one network update, one undo step,
 * and nothing written at all if any value is refused.
 */
export function pasteText(api: GridApi<Row>, workbook: Workbook, sheetId: SheetId, text: string): PasteOutcome {
  const focused = focusedCell(api);
  if (!focused) return { ok: false, message: "请先选中要粘贴到的单元格。" };
  const block = parseTsv(text);
  if (block.length === 0) return { ok: true, message: null };
  const rows = displayedRows(api);
  const columns = displayedColumns(api);
  const plan = planPaste(block, {
    rowIds: rows.map((node) => node.data?.id as RowId),
    columns,
    startRow: rows.indexOf(focused.node),
    startColumn: columns.findIndex((c) => c.id === focused.column.id),
  });
  if (plan.problems.length > 0) return { ok: false, message: describePasteProblems(plan.problems) };
  try {
    workbook.transact(() => {
      for (const { rowId, cells } of plan.updates) workbook.setCells(sheetId, rowId, cells);
      const last = rows.at(-1)?.data?.id;
      if (plan.inserts.length > 0) workbook.insertRows(sheetId, plan.inserts, last ? { after: last } : {});
    });
  } catch (error) {
    if (error instanceof SchemaError) return { ok: false, message: `粘贴失败：${error.messageZh}` };
    throw error;
  }
  const notes = [
    plan.inserts.length > 0 ? `新增了 ${plan.inserts.length} 行` : "",
    plan.skipped > 0 ? `${plan.skipped} 个值落在只读列（如编号）上，已跳过` : "",
  ].filter(Boolean);
  return { ok: true, message: notes.length ? `已粘贴，${notes.join("，")}。` : null };
}
