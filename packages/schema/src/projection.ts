import * as Y from "yjs";
import type { CellValue } from "./columns/column.ts";
import {
  ColumnKey,
  RowKey,
  SheetKey,
  asYMap,
  createYMap,
  insertedCells,
  metaMap,
  sameStoredValue,
  sheetsMap,
  storedCell,
} from "./doc/layout.ts";
import type { Row } from "./doc/read.ts";
import type { Workbook } from "./doc/workbook.ts";
import { PublicMode, type PublicRule, type Sheet, type SheetColumn } from "./sheets/sheet.ts";

/** A row as the public may see it: public cells only. */
export type PublicRow = Pick<Row, "id" | "order" | "cells">;

/** A sheet as the public may see it: public columns only, published rows only. */
export interface PublicSheet extends Omit<Sheet, "publicRule" | "publicMode"> {
  readonly rows: readonly PublicRow[];
}

/** Everything a public viewer may receive from a workbook. */
export interface PublicWorkbook {
  readonly title: string;
  readonly sheets: readonly PublicSheet[];
}

/** Whether a row passes a sheet's public rule (SPEC 9: a condition on an unknown column fails). */
export function isRowPublic(rule: PublicRule, columns: readonly SheetColumn[], row: Row): boolean {
  return rule.all.every((condition) => {
    if (!columns.some((c) => c.id === condition.columnId)) return false;
    const value = row.cells[condition.columnId];
    const text = typeof value === "string" ? value : null;
    if (condition.anyOf && (text === null || !condition.anyOf.includes(text))) return false;
    if (condition.noneOf && text !== null && condition.noneOf.includes(text)) return false;
    return true;
  });
}

/** Whether a row of `sheet` is in its public view: not in the trash, and passing the sheet's rule. */
export function isRowShown(sheet: Sheet, row: Row): boolean {
  if (row.deletedAt !== null || sheet.publicMode === PublicMode.none) return false;
  return sheet.publicMode === PublicMode.all || isRowPublic(sheet.publicRule, sheet.columns, row);
}

/** What a row's public part depends on besides the row: the ids of the public columns. */
export function columnsKeyOf(columns: readonly SheetColumn[]): string {
  return columns.map((c) => c.id).join("\n");
}

/**
 * What a public viewer may see of a workbook: sheets not public are absent, private columns are
 * absent, deleted rows and rows failing the sheet's rule are absent. Pure: same workbook state,
 * same result on every server instance.
 */
export function publicProjection(workbook: Workbook): PublicWorkbook {
  const sheets: PublicSheet[] = [];
  for (const info of workbook.listSheets()) {
    if (info.publicMode === PublicMode.none) continue;
    const sheet = workbook.readSheet(info.id);
    const columns = sheet.columns.filter((c) => !c.private);
    const columnsKey = columnsKeyOf(columns);
    const rows = workbook
      .listRows(info.id)
      .filter((row) => isRowShown(sheet, row))
      .map((row) => publicRow(row, columns, columnsKey));
    const { publicRule: _rule, publicMode: _mode, ...rest } = sheet;
    // Tinting by a private column would show its values as colours.
    const tintColumn = columns.some((c) => c.id === sheet.tintColumn) ? sheet.tintColumn : null;
    sheets.push({ ...rest, tintColumn, columns, rows });
  }
  return { title: workbook.readMeta().title, sheets };
}

/**
 * Rows as read from a workbook are shared and unchanged until the row changes (doc/read-cache.ts),
 * so the public part of each is made once per change: recomputing a big sheet's view after an
 * edit then builds, hashes and applies only the rows that changed.
 */
const publicRows = new WeakMap<Row, { readonly columnsKey: string; readonly row: PublicRow }>();

/** The public part of `row`: the cells of `columns` (the sheet's public columns, keyed by columnsKeyOf). */
export function publicRow(row: Row, columns: readonly SheetColumn[], columnsKey: string): PublicRow {
  const known = publicRows.get(row);
  if (known?.columnsKey === columnsKey) return known.row;
  const cells: Record<string, CellValue> = {};
  for (const column of columns) cells[column.id] = row.cells[column.id] ?? null;
  const projected = Object.freeze({ id: row.id, order: row.order, cells: Object.freeze(cells) });
  publicRows.set(row, { columnsKey, row: projected });
  publicRowJson.set(projected, JSON.stringify(projected));
  return projected;
}

const publicRowJson = new WeakMap<PublicRow, string>();

/** `JSON.stringify(row)` for a row of a public view, made once per row change. */
export function publicRowText(row: PublicRow): string {
  return publicRowJson.get(row) ?? JSON.stringify(row);
}

/**
 * `JSON.stringify(view)`, built from each row's JSON made once per row change. Every instance
 * hashes this text, so it must stay byte-for-byte what JSON.stringify gives.
 */
export function publicViewJson(view: PublicWorkbook): string {
  const sheets = view.sheets.map((sheet) => {
    const rows = sheet.rows.map(publicRowText);
    const empty = JSON.stringify({ ...sheet, rows: [] });
    // `rows` is the sheet's last key (publicProjection builds it so): its "[]" ends the text.
    return `${empty.slice(0, -3)}[${rows.join(",")}]}`;
  });
  return `{"title":${JSON.stringify(view.title)},"sheets":[${sheets.join(",")}]}`;
}

/** Sets `key` only when the value differs, so re-applying an unchanged projection writes nothing. */
function put(map: Y.Map<unknown>, key: string, value: unknown): void {
  if (!sameStoredValue(map.get(key), value)) map.set(key, value);
}

function ensureChild(parent: Y.Map<unknown>, key: string): Y.Map<unknown> {
  const existing = asYMap(parent.get(key));
  if (existing) return existing;
  const created = new Y.Map<unknown>();
  parent.set(key, created);
  return created;
}

function removeOthers(map: Y.Map<unknown>, keep: ReadonlySet<string>): void {
  for (const key of [...map.keys()]) if (!keep.has(key)) map.delete(key);
}

/**
 * Makes `target` hold exactly `projection`, in the workbook layout (so the client reads it with the
 * same code). Keyed by the source's ids and idempotent: several instances applying the same
 * projection converge to one copy with no duplicated or reordered rows, and an unchanged
 * projection produces no update at all.
 */
export function applyProjection(projection: PublicWorkbook, target: Y.Doc, origin: unknown = null): void {
  const applied = appliedRowsOf(target);
  applying = true;
  try {
    target.transact(() => writeProjection(projection, target, applied), origin);
  } finally {
    applying = false;
  }
}

/** True while applyProjection writes: its own transactions leave the record of applied rows valid. */
let applying = false;

/** What applyProjection last wrote to a target: each sheet object, and each sheet's row objects by id. */
interface Applied {
  readonly sheets: Map<string, PublicSheet>;
  readonly rows: Map<string, Map<string, PublicRow>>;
}

/**
 * The sheet and row objects last written to each target. A sheet or row whose projection is the
 * very same object as last time is already there and is skipped (trackPublicView keeps the
 * objects of what did not change). Any transaction not made here (another instance's copy
 * arriving through Redis, say) may have changed the target, so it clears the record.
 */
const appliedRows = new WeakMap<Y.Doc, Applied>();

function appliedRowsOf(target: Y.Doc): Applied {
  let applied = appliedRows.get(target);
  if (applied) return applied;
  const created: Applied = { sheets: new Map(), rows: new Map() };
  target.on("afterTransaction", () => {
    if (applying) return;
    created.sheets.clear();
    created.rows.clear();
  });
  appliedRows.set(target, created);
  applied = created;
  return applied;
}

function rowsOf(applied: Applied, sheetId: string): Map<string, PublicRow> {
  let rows = applied.rows.get(sheetId);
  if (!rows) {
    rows = new Map();
    applied.rows.set(sheetId, rows);
  }
  return rows;
}

/** Deletes from the target's rows, and from the record, every row the view no longer has. */
function removeRowsNotIn(rows: Y.Map<unknown>, recorded: Map<string, PublicRow>, sheet: PublicSheet): void {
  const kept = new Set(sheet.rows.map((row) => row.id as string));
  removeOthers(rows, kept);
  for (const id of [...recorded.keys()]) if (!kept.has(id)) recorded.delete(id);
}

function writeProjection(projection: PublicWorkbook, target: Y.Doc, applied: Applied): void {
  put(metaMap(target), "title", projection.title);
  const sheets = sheetsMap(target) as Y.Map<unknown>;
  removeOthers(sheets, new Set(projection.sheets.map((s) => s.id)));
  for (const sheet of projection.sheets) {
    const previous = applied.sheets.get(sheet.id);
    if (previous === sheet && sheets.has(sheet.id)) continue;
    applied.sheets.set(sheet.id, sheet);
    const ySheet = ensureChild(sheets, sheet.id);
    put(ySheet, SheetKey.name, sheet.name);
    put(ySheet, SheetKey.kind, sheet.kind);
    put(ySheet, SheetKey.order, sheet.order);
    put(ySheet, SheetKey.body, sheet.body);
    put(ySheet, SheetKey.publicMode, PublicMode.all);
    put(ySheet, SheetKey.tintColumn, sheet.tintColumn);
    const rows = ensureChild(ySheet, SheetKey.rows);
    const recorded = rowsOf(applied, sheet.id);
    if (previous && previous.columns === sheet.columns) {
      // Only rows changed since `previous` (trackPublicView shares everything else), and the
      // target holds `previous` as written (any other transaction clears the record): write the
      // difference instead of walking every row of the target. A row at the same place as in
      // `previous` is known written without looking it up (12,000 lookups were 3 ms a batch).
      for (let i = 0; i < sheet.rows.length; i++) {
        const row = sheet.rows[i] as PublicRow;
        if (previous.rows[i] !== row && recorded.get(row.id) !== row) writeRow(rows, row, recorded);
      }
      // Every row of the view is recorded now; more recorded means some left the view.
      if (recorded.size > sheet.rows.length) removeRowsNotIn(rows, recorded, sheet);
      continue;
    }
    const columns = ensureChild(ySheet, SheetKey.columns);
    removeOthers(columns, new Set(sheet.columns.map((c) => c.id)));
    for (const column of sheet.columns) writeColumn(ensureChild(columns, column.id), column);
    removeRowsNotIn(rows, recorded, sheet);
    for (const row of sheet.rows) {
      if (recorded.get(row.id) === row && rows.has(row.id)) continue;
      writeRow(rows, row, recorded);
    }
  }
}

/**
 * Writes a row of the view in the workbook layout: a new row as its inserted cells (one value,
 * as light for viewers to receive as for the workbook to load), a changed cell as a key of its
 * own. A cell that left the view (its column turned private) must be gone from the inserted
 * cells too, not only shadowed: they are written again without it, and the keys dropped.
 */
function writeRow(rows: Y.Map<unknown>, row: PublicRow, recorded: Map<string, PublicRow>): void {
  recorded.set(row.id, row);
  const yRow = asYMap(rows.get(row.id));
  if (!yRow) {
    rows.set(row.id, createYMap({ [RowKey.order]: row.order, [RowKey.cells]: row.cells }));
    return;
  }
  put(yRow, RowKey.order, row.order);
  const inserted = insertedCells(yRow);
  if (!yRow.has(RowKey.cells) || Object.keys(inserted).some((columnId) => !Object.hasOwn(row.cells, columnId))) {
    put(yRow, RowKey.cells, row.cells);
    removeOthers(yRow, new Set([RowKey.order, RowKey.cells]));
    return;
  }
  removeOthers(yRow, new Set([RowKey.order, RowKey.cells, ...Object.keys(row.cells)]));
  for (const [columnId, value] of Object.entries(row.cells)) {
    if (!sameStoredValue(storedCell(yRow, columnId, inserted), value)) yRow.set(columnId, value);
  }
}

function writeColumn(map: Y.Map<unknown>, column: SheetColumn): void {
  put(map, ColumnKey.type, column.type);
  put(map, ColumnKey.label, column.label);
  put(map, ColumnKey.order, column.order);
  put(map, ColumnKey.options, column.options);
  put(map, ColumnKey.system, column.system);
  put(map, ColumnKey.width, column.width);
}
