import type * as Y from "yjs";
import type { RowId, SheetId } from "../ids.ts";
import { SheetKey, metaMap, sheetsMap } from "./layout.ts";

/** What changed in one sheet during one transaction, by id. */
export interface SheetChanges {
  /** Rows created (or replaced wholesale by a foreign peer). */
  readonly added: Set<RowId>;
  /** Rows with changed keys: cell column ids, or `$order` / `$deletedAt` bookkeeping. */
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
 * Every row key a transaction changed, with old and new values: a new row lists all its keys, a
 * purged row is one change with key "" and `after` undefined.
 */
export function describeCellChanges(events: readonly Y.YEvent<Y.AbstractType<unknown>>[]): CellChange[] {
  const out: CellChange[] = [];
  for (const event of events) {
    const [sheetId, child, rowId] = event.path as string[];
    if (sheetId === undefined || child !== SheetKey.rows) continue;
    const target = event.target as Y.Map<unknown>;
    for (const [key, change] of (event as Y.YMapEvent<unknown>).changes.keys) {
      if (rowId !== undefined) {
        out.push({ sheetId: sheetId as SheetId, rowId: rowId as RowId, key, before: change.oldValue, after: target.get(key) });
      } else if (change.action === "delete") {
        out.push({ sheetId: sheetId as SheetId, rowId: key as RowId, key: "", before: undefined, after: undefined });
      } else {
        const row = target.get(key) as Y.Map<unknown> | undefined;
        row?.forEach((value, cellKey) => {
          out.push({ sheetId: sheetId as SheetId, rowId: key as RowId, key: cellKey, before: undefined, after: value });
        });
      }
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
