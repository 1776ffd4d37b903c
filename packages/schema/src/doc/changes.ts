import type * as Y from "yjs";
import type { RowId, SheetId } from "../ids.ts";
import {
  RowKey,
  SheetKey,
  type YRow,
  asYMap,
  insertedCells,
  isCellKey,
  isInsertedCell,
  metaMap,
  sameStoredValue,
  sheetsMap,
  storedCell,
} from "./layout.ts";

/** What changed in one sheet during one transaction, by id. */
export interface SheetChanges {
  /** Rows created (or replaced wholesale by a foreign peer). */
  readonly added: Set<RowId>;
  /**
   * Rows with changed keys: cell column ids, or `$order` / `$deletedAt` bookkeeping. A change of
   * the cells a row was inserted with (a purge) is listed as the column ids it changed.
   */
  readonly updated: Map<RowId, Set<string>>;
  /** Rows purged from the document. */
  readonly removed: Set<RowId>;
  /** A column was added, removed or changed: views rebuild their column definitions. */
  columnsChanged: boolean;
}

/** What one transaction changed in a workbook. */
export interface WorkbookChanges {
  /** Sheets were added or removed, or a sheet's own properties (name, order, public rule) changed. */
  sheetsChanged: boolean;
  metaChanged: boolean;
  readonly bySheet: Map<SheetId, SheetChanges>;
}

function sheetChanges(changes: WorkbookChanges, sheetId: string): SheetChanges {
  let entry = changes.bySheet.get(sheetId as SheetId);
  if (!entry) {
    entry = { added: new Set(), updated: new Map(), removed: new Set(), columnsChanged: false };
    changes.bySheet.set(sheetId as SheetId, entry);
  }
  return entry;
}

/** Turns Yjs deep events on the sheets map into changes by id. */
export function describeSheetEvents(events: readonly Y.YEvent<Y.AbstractType<unknown>>[]): WorkbookChanges {
  const changes: WorkbookChanges = { sheetsChanged: false, metaChanged: false, bySheet: new Map() };
  for (const event of events) {
    const path = event.path as (string | number)[];
    const [sheetId, child, rowId] = path as string[];
    const keys = (event as Y.YMapEvent<unknown>).keysChanged ?? new Set<string>();
    if (sheetId === undefined) {
      changes.sheetsChanged = true;
      for (const id of keys) sheetChanges(changes, id).columnsChanged = true;
    } else if (child === undefined) {
      changes.sheetsChanged = true;
      if (keys.has(SheetKey.columns) || keys.has(SheetKey.rows)) sheetChanges(changes, sheetId).columnsChanged = true;
    } else if (child === SheetKey.columns) {
      sheetChanges(changes, sheetId).columnsChanged = true;
    } else if (child === SheetKey.rows && rowId === undefined) {
      const entry = sheetChanges(changes, sheetId);
      for (const [id, change] of (event as Y.YMapEvent<unknown>).changes.keys) {
        if (change.action === "delete") entry.removed.add(id as RowId);
        else entry.added.add(id as RowId);
      }
    } else if (child === SheetKey.rows && rowId !== undefined) {
      const entry = sheetChanges(changes, sheetId);
      const set = entry.updated.get(rowId as RowId) ?? new Set<string>();
      for (const key of keys) set.add(key);
      if (keys.has(RowKey.cells)) {
        set.delete(RowKey.cells);
        for (const { key } of insertedCellChanges(event as Y.YMapEvent<unknown>)) set.add(key);
      }
      entry.updated.set(rowId as RowId, set);
    }
  }
  return changes;
}

/**
 * Calls `listener` after every transaction that changed the workbook, with what changed by id.
 * Returns a function that stops observing.
 */
export function observeWorkbook(ydoc: Y.Doc, listener: (changes: WorkbookChanges, transaction: Y.Transaction) => void): () => void {
  const sheets = sheetsMap(ydoc);
  const meta = metaMap(ydoc);
  const onSheets = (events: Y.YEvent<Y.AbstractType<unknown>>[], transaction: Y.Transaction) => {
    listener(describeSheetEvents(events), transaction);
  };
  const onMeta = (_event: Y.YMapEvent<unknown>, transaction: Y.Transaction) => {
    listener({ sheetsChanged: false, metaChanged: true, bySheet: new Map() }, transaction);
  };
  sheets.observeDeep(onSheets);
  meta.observe(onMeta);
  return () => {
    sheets.unobserveDeep(onSheets);
    meta.unobserve(onMeta);
  };
}

/** One changed key of a row, with the value before and after (for the audit log). */
export interface CellChange {
  readonly sheetId: SheetId;
  readonly rowId: RowId;
  /** A column id, or a `$` bookkeeping key (order, deletedAt, closedAt, purgedAt). */
  readonly key: string;
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * The cells whose value changed with the row's inserted cells (`$cells`, replaced by a purge):
 * those without a key of their own, before and after. A cell whose own key the same transaction
 * changed is not listed here; its key's change says it.
 */
function insertedCellChanges(event: Y.YMapEvent<unknown>): { key: string; before: unknown; after: unknown }[] {
  const row = event.target as YRow;
  const before = insertedCellsBefore(event);
  const after = insertedCells(row);
  const changed: { key: string; before: unknown; after: unknown }[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!isCellKey(key) || row.has(key) || event.keysChanged.has(key) || sameStoredValue(before[key], after[key])) continue;
    changed.push({ key, before: before[key], after: after[key] });
  }
  return changed;
}

/** The cells a row was inserted with, as they were before the event's transaction. */
function insertedCellsBefore(event: Y.YMapEvent<unknown>): Readonly<Record<string, unknown>> {
  const change = event.changes.keys.get(RowKey.cells);
  if (!change) return insertedCells(event.target as YRow);
  const old = change.oldValue;
  return typeof old === "object" && old !== null && !Array.isArray(old) ? (old as Record<string, unknown>) : {};
}

/** A new row's keys with their values, its inserted cells listed one by one. */
function newRowEntries(row: YRow): [string, unknown][] {
  const entries: [string, unknown][] = [];
  const inserted = insertedCells(row);
  for (const key of Object.keys(inserted)) if (isInsertedCell(inserted, key) && !row.has(key)) entries.push([key, inserted[key]]);
  row.forEach((value, key) => {
    if (key !== RowKey.cells) entries.push([key, value]);
  });
  return entries;
}

/**
 * Every row key a transaction changed, with old and new values as readers see them: a new row
 * lists all its cells and bookkeeping keys, a purged row is one change with key "" and `after`
 * undefined.
 */
export function describeCellChanges(events: readonly Y.YEvent<Y.AbstractType<unknown>>[]): CellChange[] {
  const out: CellChange[] = [];
  for (const event of events) {
    const [sheetId, child, rowId] = event.path as string[];
    if (sheetId === undefined || child !== SheetKey.rows) continue;
    const target = event.target as Y.Map<unknown>;
    const mapEvent = event as Y.YMapEvent<unknown>;
    if (rowId !== undefined) {
      const at = { sheetId: sheetId as SheetId, rowId: rowId as RowId };
      const insertedBefore = insertedCellsBefore(mapEvent);
      for (const [key, change] of mapEvent.changes.keys) {
        if (key === RowKey.cells) for (const cell of insertedCellChanges(mapEvent)) out.push({ ...at, ...cell });
        else {
          // A cell's first own key shadows the value it was inserted with: that was its value.
          const before = change.action === "add" && isInsertedCell(insertedBefore, key) ? insertedBefore[key] : change.oldValue;
          out.push({ ...at, key, before, after: storedCell(target, key) });
        }
      }
      continue;
    }
    for (const [key, change] of mapEvent.changes.keys) {
      const at = { sheetId: sheetId as SheetId, rowId: key as RowId };
      if (change.action === "delete") {
        out.push({ ...at, key: "", before: undefined, after: undefined });
        continue;
      }
      const row = asYMap(target.get(key));
      if (row) for (const [cellKey, value] of newRowEntries(row)) out.push({ ...at, key: cellKey, before: undefined, after: value });
    }
  }
  return out;
}

/**
 * Calls `listener` after every transaction that changed rows, with each changed row key and its
 * old and new value (`describeCellChanges`). Returns a function that stops observing.
 */
export function observeCellChanges(ydoc: Y.Doc, listener: (changes: CellChange[], transaction: Y.Transaction) => void): () => void {
  const sheets = sheetsMap(ydoc);
  const onSheets = (events: Y.YEvent<Y.AbstractType<unknown>>[], transaction: Y.Transaction) => {
    const changes = describeCellChanges(events);
    if (changes.length > 0) listener(changes, transaction);
  };
  sheets.observeDeep(onSheets);
  return () => sheets.unobserveDeep(onSheets);
}
