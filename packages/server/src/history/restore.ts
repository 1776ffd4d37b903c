import {
  type CellInputs,
  type RestoreSkip,
  type CellValue,
  type Row,
  type RowId,
  type SheetColumn,
  type SheetId,
  SheetKind,
  type SheetPatch,
  type Workbook,
  parseCell,
} from "@huzhu/schema";

/** What to restore: the whole workbook, one sheet (`sheetId`), or one row (`sheetId` and `rowId`). */
export interface RestoreScope {
  readonly sheetId?: SheetId;
  readonly rowId?: RowId;
}

/** What a restore changed. */
export interface RestoreSummary {
  /** Cells written back. */
  readonly cellsChanged: number;
  /** Rows with any change (cells, trash). */
  readonly rowsChanged: number;
  /** Rows created after the version, moved to the trash (whole workbook or sheet only). */
  readonly rowsTrashed: number;
  /** Rows in the trash now but not in the version, taken out. */
  readonly rowsUntrashed: number;
  /** Sheets whose name, notice text or public settings were put back. */
  readonly sheetsChanged: number;
  readonly skipped: readonly RestoreSkip[];
}

interface RowPlan {
  readonly sheetId: SheetId;
  readonly rowId: RowId;
  readonly cells: CellInputs;
  readonly trash: boolean;
  readonly untrash: boolean;
}

const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function planRow(sheetId: SheetId, columns: readonly SheetColumn[], past: Row, current: Row, skipped: RestoreSkip[]): RowPlan {
  const cells: Record<string, CellValue> = {};
  for (const column of columns) {
    const value = past.cells[column.id] ?? null;
    if (same(value, current.cells[column.id])) continue;
    // Belt and braces: purge re-encodes every version, but a version must never bring back a
    // private value into a row that has been purged.
    if (column.private && current.purgedAt !== null && value !== null && value !== "") {
      skipped.push({ sheetId, rowId: current.id, columnId: column.id, reason: "purged" });
      continue;
    }
    if (!parseCell(column, value).ok) {
      skipped.push({ sheetId, rowId: current.id, columnId: column.id, reason: "value-not-accepted" });
      continue;
    }
    cells[column.id] = value;
  }
  return {
    sheetId,
    rowId: current.id,
    cells,
    trash: past.deletedAt !== null && current.deletedAt === null,
    untrash: past.deletedAt === null && current.deletedAt !== null,
  };
}

function sheetPatch(past: Workbook, current: Workbook, sheetId: SheetId): SheetPatch | undefined {
  const before = past.readSheet(sheetId);
  const now = current.readSheet(sheetId);
  const patch: Record<string, unknown> = {};
  for (const key of ["name", "body", "publicMode", "publicRule"] as const) {
    if (!same(before[key], now[key])) patch[key] = before[key];
  }
  return Object.keys(patch).length > 0 ? (patch as SheetPatch) : undefined;
}

/**
 * Makes `current` look like `past` again, as new changes (one transaction with `current`'s
 * origin), so it merges with whatever others change at the same time. Cells are written back
 * where they differ (server-written columns excepted); rows trashed or restored since are put
 * back in or out of the trash; for a sheet or the whole workbook, rows created since are moved
 * to the trash (never purged) and sheet settings and the title are put back. Columns and row
 * order are left as they are. Everything is checked before anything is written.
 */
export function restoreFromVersion(current: Workbook, past: Workbook, scope: RestoreScope = {}): RestoreSummary {
  const skipped: RestoreSkip[] = [];
  const rows: RowPlan[] = [];
  const patches: [SheetId, SheetPatch][] = [];
  const sheetIds = scope.sheetId ? [scope.sheetId] : past.listSheets().map((sheet) => sheet.id);
  let rowsTrashed = 0;
  for (const sheetId of sheetIds) {
    if (!past.findSheet(sheetId) || !current.findSheet(sheetId)) {
      skipped.push({ sheetId, reason: "sheet-missing" });
      continue;
    }
    if (!scope.rowId) {
      const patch = sheetPatch(past, current, sheetId);
      if (patch) patches.push([sheetId, patch]);
    }
    if (current.readSheet(sheetId).kind !== SheetKind.grid) continue;
    const pastColumns = new Set(past.readSheet(sheetId).columns.map((column) => column.id as string));
    const columns = current.readSheet(sheetId).columns.filter((column) => column.system === null && pastColumns.has(column.id));
    const pastRows = past.listRows(sheetId, { includeDeleted: true }).filter((row) => !scope.rowId || row.id === scope.rowId);
    if (scope.rowId && pastRows.length === 0) skipped.push({ sheetId, rowId: scope.rowId, reason: "row-missing" });
    for (const pastRow of pastRows) {
      const currentRow = current.findRow(sheetId, pastRow.id);
      if (!currentRow) {
        skipped.push({ sheetId, rowId: pastRow.id, reason: "row-missing" });
        continue;
      }
      const plan = planRow(sheetId, columns, pastRow, currentRow, skipped);
      if (Object.keys(plan.cells).length > 0 || plan.trash || plan.untrash) rows.push(plan);
    }
    if (scope.rowId) continue;
    const inPast = new Set(pastRows.map((row) => row.id as string));
    for (const row of current.listRows(sheetId)) {
      if (inPast.has(row.id)) continue;
      rows.push({ sheetId, rowId: row.id, cells: {}, trash: true, untrash: false });
      rowsTrashed += 1;
    }
  }
  const title = !scope.sheetId && !same(past.readMeta().title, current.readMeta().title) ? past.readMeta().title : undefined;

  current.transact(() => {
    if (title !== undefined) current.setMeta({ title });
    for (const [sheetId, patch] of patches) current.updateSheet(sheetId, patch);
    for (const row of rows) {
      if (Object.keys(row.cells).length > 0) current.setCells(row.sheetId, row.rowId, row.cells);
      if (row.trash) current.deleteRow(row.sheetId, row.rowId);
      if (row.untrash) current.restoreRow(row.sheetId, row.rowId);
    }
  });
  return {
    cellsChanged: rows.reduce((sum, row) => sum + Object.keys(row.cells).length, 0),
    rowsChanged: rows.length,
    rowsTrashed,
    rowsUntrashed: rows.filter((row) => row.untrash).length,
    sheetsChanged: patches.length,
    skipped,
  };
}
