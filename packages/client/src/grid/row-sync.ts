import type { Row, RowId, SheetChanges, SheetId, Workbook } from "@huzhu/schema";
import type { GridApi, IRowNode } from "ag-grid-community";

interface RowTransaction {
  readonly add: Row[];
  readonly update: Row[];
  readonly remove: Row[];
}

/**
 * Rows added by asynchronous transactions AG Grid has not applied yet (it batches them for
 * ~50 ms), per grid. A change that arrives in that window — the server numbering a row just
 * imported or submitted — must update such a row, not add it a second time.
 */
const queuedAdds = new WeakMap<GridApi<Row>, Map<string, Row>>();

function queuedOf(api: GridApi<Row>): Map<string, Row> {
  let queued = queuedAdds.get(api);
  if (!queued) {
    queued = new Map();
    queuedAdds.set(api, queued);
  }
  return queued;
}

/** The row as the grid holds it, or is about to once its batch is applied. */
function gridRow(api: GridApi<Row>, id: string): Row | undefined {
  return api.getRowNode(id)?.data ?? queuedOf(api).get(id);
}

/** Applies a row transaction: batched for remote changes; at once (after any batch waiting) for ours. */
function commit(api: GridApi<Row>, transaction: RowTransaction, batched: boolean): void {
  if (!(transaction.add.length || transaction.update.length || transaction.remove.length)) return;
  if (!batched) {
    // Ours must land after what is already waiting, or an update could precede its row's add.
    api.flushAsyncTransactions();
    api.applyTransaction(transaction);
    return;
  }
  const queued = queuedOf(api);
  for (const row of transaction.add) queued.set(row.id, row);
  api.applyTransactionAsync(transaction, () => {
    for (const row of transaction.add) if (queued.get(row.id) === row) queued.delete(row.id);
  });
}

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
  const transaction: RowTransaction = { add: [], update: [], remove: [] };
  const flash: { node: IRowNode<Row>; columns: string[] }[] = [];

  for (const id of changes.removed) {
    const shown = gridRow(api, id);
    if (shown) transaction.remove.push(shown);
  }
  const touched = new Set<RowId>([...changes.added, ...changes.updated.keys()]);
  for (const id of touched) {
    if (changes.removed.has(id)) continue;
    const row = workbook.findRow(sheetId, id);
    const node = api.getRowNode(id);
    const shown = node?.data ?? queuedOf(api).get(id);
    if (!row || row.deletedAt !== null) {
      if (shown) transaction.remove.push(shown);
    } else if (!shown) {
      transaction.add.push(row);
    } else if (!node) {
      // Still waiting in a batch: this update follows its add in the same order.
      transaction.update.push(row);
    } else {
      const keys = [...(changes.updated.get(id) ?? [])];
      // Keys that are not columns are bookkeeping (order): the row may have to move.
      if (changes.added.has(id) || keys.some((key) => !columnIds.has(key))) transaction.update.push(row);
      else {
        node.setData(row);
        if (!local) flash.push({ node, columns: keys });
      }
    }
  }
  commit(api, transaction, !local);
  for (const { node, columns } of flash) api.flashCells({ rowNodes: [node], columns });
}

/** Re-reads every row after columns changed (cells of a new column, a column's options). */
export function refreshAllRows(api: GridApi<Row>, workbook: Workbook, sheetId: SheetId): void {
  const rows = workbook.listRows(sheetId);
  const present = new Set(rows.map((r) => r.id as string));
  const remove: Row[] = [...queuedOf(api).values()].filter((row) => !present.has(row.id));
  api.forEachNode((node) => {
    if (node.data && !present.has(node.data.id)) remove.push(node.data);
  });
  const add = rows.filter((row) => !gridRow(api, row.id));
  const update = rows.filter((row) => gridRow(api, row.id));
  commit(api, { add, update, remove }, true);
}
