import * as Y from "yjs";
import type { CellValue } from "./columns/column.ts";
import { ColumnKey, RowKey, SheetKey, asYMap, createYMap, metaMap, sheetsMap } from "./doc/layout.ts";
import type { Row } from "./doc/read.ts";
import type { Workbook } from "./doc/workbook.ts";
import { PublicMode, type PublicRule, type Sheet, type SheetColumn } from "./sheets/sheet.ts";

/** A sheet as the public may see it: public columns only, published rows only. */
export interface PublicSheet extends Omit<Sheet, "publicRule" | "publicMode"> {
  readonly rows: readonly Pick<Row, "id" | "order" | "cells">[];
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
    const rows = workbook
      .listRows(info.id)
      .filter((row) => info.publicMode === PublicMode.all || isRowPublic(info.publicRule, sheet.columns, row))
      .map((row) => ({ id: row.id, order: row.order, cells: pick(row.cells, columns) }));
    const { publicRule: _rule, publicMode: _mode, ...rest } = sheet;
    sheets.push({ ...rest, columns, rows });
  }
  return { title: workbook.readMeta().title, sheets };
}

function pick(cells: Readonly<Record<string, CellValue>>, columns: readonly SheetColumn[]): Record<string, CellValue> {
  const out: Record<string, CellValue> = {};
  for (const column of columns) out[column.id] = cells[column.id] ?? null;
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === "object" && a !== null && JSON.stringify(a) === JSON.stringify(b));
}

/** Sets `key` only when the value differs, so re-applying an unchanged projection writes nothing. */
function put(map: Y.Map<unknown>, key: string, value: unknown): void {
  if (!sameValue(map.get(key), value)) map.set(key, value);
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
  target.transact(() => {
    put(metaMap(target), "title", projection.title);
    const sheets = sheetsMap(target) as Y.Map<unknown>;
    removeOthers(sheets, new Set(projection.sheets.map((s) => s.id)));
    for (const sheet of projection.sheets) {
      const ySheet = ensureChild(sheets, sheet.id);
      put(ySheet, SheetKey.name, sheet.name);
      put(ySheet, SheetKey.kind, sheet.kind);
      put(ySheet, SheetKey.order, sheet.order);
      put(ySheet, SheetKey.body, sheet.body);
      put(ySheet, SheetKey.publicMode, PublicMode.all);
      const columns = ensureChild(ySheet, SheetKey.columns);
      removeOthers(columns, new Set(sheet.columns.map((c) => c.id)));
      for (const column of sheet.columns) writeColumn(ensureChild(columns, column.id), column);
      const rows = ensureChild(ySheet, SheetKey.rows);
      removeOthers(rows, new Set(sheet.rows.map((r) => r.id)));
      for (const row of sheet.rows) {
        const yRow = asYMap(rows.get(row.id)) ?? (rows.set(row.id, createYMap({})) as Y.Map<unknown>);
        put(yRow, RowKey.order, row.order);
        removeOthers(yRow, new Set([RowKey.order, ...Object.keys(row.cells)]));
        for (const [columnId, value] of Object.entries(row.cells)) put(yRow, columnId, value);
      }
    }
  }, origin);
}

function writeColumn(map: Y.Map<unknown>, column: SheetColumn): void {
  put(map, ColumnKey.type, column.type);
  put(map, ColumnKey.label, column.label);
  put(map, ColumnKey.order, column.order);
  put(map, ColumnKey.options, column.options);
  put(map, ColumnKey.system, column.system);
  put(map, ColumnKey.width, column.width);
}
