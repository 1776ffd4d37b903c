import type { Row, RowId, SheetChanges, SheetId, Workbook } from "@huzhu/schema";
import type { GridApi, IRowNode } from "ag-grid-community";

/**
 * Applies one transaction's changes to the grid row by row, never by resetting rowData
 * (STACK: a full reset or a sync transaction costs tens of ms at 100k rows).
 * - a cell edit replaces that row's data in place (`setData`, < 0.1 ms) and, when it came from
 *   someone else, flashes the changed cells;
 * - rows added, removed, trashed, restored or moved go through one row transaction, async for
 *   remote changes (batched by AG Grid) and sync for our own, so a new row can be focused at once.
 */
export function applySheetChanges(
  api: GridApi<Row>,
  workbook: Workbook,
  sheetId: SheetId,
  changes: SheetChanges,
  local: boolean,
  columnIds: ReadonlySet<string>,
): void {
  const add: Row[] = [];
  const update: Row[] = [];
  const remove: Row[] = [];
  const flash: { node: IRowNode<Row>; columns: string[] }[] = [];

  for (const id of changes.removed) {
    const node = api.getRowNode(id);
    if (node?.data) remove.push(node.data);
  }
  const touched = new Set<RowId>([...changes.added, ...changes.updated.keys()]);
  for (const id of touched) {
    if (changes.removed.has(id)) continue;
    const row = workbook.findRow(sheetId, id);
    const node = api.getRowNode(id);
    if (!row || row.deletedAt !== null) {
      if (node?.data) remove.push(node.data);
    } else if (!node) {
      add.push(row);
    } else {
      const keys = [...(changes.updated.get(id) ?? [])];
      // Keys that are not columns are bookkeeping (order): the row may have to move.
      if (changes.added.has(id) || keys.some((key) => !columnIds.has(key))) update.push(row);
      else {
        node.setData(row);
        if (!local) flash.push({ node, columns: keys });
      }
    }
  }
  if (add.length || update.length || remove.length) {
    const transaction = { add, update, remove };
    if (local) api.applyTransaction(transaction);
    else api.applyTransactionAsync(transaction);
  }
  for (const { node, columns } of flash) api.flashCells({ rowNodes: [node], columns });
}

/** Re-reads every row after columns changed (cells of a new column, a column's options). */
export function refreshAllRows(api: GridApi<Row>, workbook: Workbook, sheetId: SheetId): void {
  const rows = workbook.listRows(sheetId);
  const present = new Set(rows.map((r) => r.id as string));
  const remove: Row[] = [];
  api.forEachNode((node) => {
    if (node.data && !present.has(node.data.id)) remove.push(node.data);
  });
  const add = rows.filter((row) => !api.getRowNode(row.id));
  const update = rows.filter((row) => api.getRowNode(row.id));
  api.applyTransactionAsync({ add, update, remove });
}
