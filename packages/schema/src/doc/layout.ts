import * as Y from "yjs";

/**
 * The Yjs layout of a workbook. This is the only file that knows key names; everything else goes
 * through `openWorkbook`.
 *
 * ```
 * ydoc
 * ├─ map "meta"    title, templateId, casePrefix, createdAt, formSheetId, retention, layoutVersion
 * └─ map "sheets"  sheetId → Y.Map
 *      ├─ name, kind ("grid" | "notice"), order, body (notice text), publicMode, publicRule
 *      ├─ columns  Y.Map  columnId → Y.Map { type, label, private, inForm, required, options, … , order }
 *      └─ rows     Y.Map  rowId    → Y.Map { $order, $createdAt, $deletedAt, $closedAt, $purgedAt,
 *                                            $cells: { <columnId>: value } (as inserted), <columnId>: value }
 * ```
 * Rows and columns are maps keyed by random ids with a fractional `order`, not Y.Arrays: a
 * concurrent move is one last-writer-wins key instead of a delete + insert that could duplicate the
 * row, and ids never carry personal data (Yjs keeps map keys forever).
 *
 * A row arrives whole (a form submission, an import, a paste) and is then edited a few cells at a
 * time, so its inserted cells are one plain object under `$cells` and each later edit is a key of
 * its own that shadows it. A key per cell costs Yjs an item per cell — a 30,000-row sheet took
 * three times as long to load, in over twice the memory (bench/README.md) — while edits still
 * merge per cell: two volunteers editing two cells of a row write two keys. `$cells` is written once, when
 * the row is inserted, and replaced only by a purge (which must take values out of it); a key is
 * never deleted to clear a cell (that would bring its inserted value back), it is set empty.
 */
export const LAYOUT_VERSION = 1;

/** Names of the document's root types. */
export const RootKey = { meta: "meta", sheets: "sheets" } as const;

export const MetaKey = {
  title: "title",
  templateId: "templateId",
  casePrefix: "casePrefix",
  createdAt: "createdAt",
  formSheetId: "formSheetId",
  retention: "retention",
  layoutVersion: "layoutVersion",
} as const;

export const SheetKey = {
  name: "name",
  kind: "kind",
  order: "order",
  body: "body",
  publicMode: "publicMode",
  publicRule: "publicRule",
  tintColumn: "tintColumn",
  columns: "columns",
  rows: "rows",
} as const;

export const ColumnKey = {
  type: "type",
  label: "label",
  private: "private",
  inForm: "inForm",
  required: "required",
  options: "options",
  system: "system",
  description: "description",
  width: "width",
  order: "order",
} as const;

/** Row bookkeeping keys start with `$`, which column ids (ID_PATTERN) never do. */
export const RowKey = {
  order: "$order",
  createdAt: "$createdAt",
  deletedAt: "$deletedAt",
  /** When the row's workflow status entered a closed state; stamped by the server. */
  closedAt: "$closedAt",
  /** When the row's private cells were purged. */
  purgedAt: "$purgedAt",
  /** The cells the row was inserted with, one plain object; a cell's own key shadows it. */
  cells: "$cells",
} as const;

export type YSheet = Y.Map<unknown>;
export type YColumn = Y.Map<unknown>;
export type YRow = Y.Map<unknown>;

export function metaMap(ydoc: Y.Doc): Y.Map<unknown> {
  return ydoc.getMap(RootKey.meta);
}

export function sheetsMap(ydoc: Y.Doc): Y.Map<YSheet> {
  return ydoc.getMap(RootKey.sheets);
}

/** A child map of a sheet, or undefined when a foreign peer stored something else there. */
export function childMap(sheet: YSheet, key: typeof SheetKey.columns | typeof SheetKey.rows): Y.Map<Y.Map<unknown>> | undefined {
  const child = sheet.get(key);
  return child instanceof Y.Map ? (child as Y.Map<Y.Map<unknown>>) : undefined;
}

export function asYMap(value: unknown): Y.Map<unknown> | undefined {
  return value instanceof Y.Map ? value : undefined;
}

export function createYMap(entries: Record<string, unknown>): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) map.set(key, value);
  return map;
}

/** Whether a row-map key is a cell (a column id) rather than bookkeeping. */
export function isCellKey(key: string): boolean {
  return !key.startsWith("$");
}

type StoredCells = Readonly<Record<string, unknown>>;

/** Whether two stored values are the same (plain values decoded twice are equal, not identical). */
export function sameStoredValue(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === "object" && a !== null && JSON.stringify(a) === JSON.stringify(b));
}

/** The cells a row was inserted with; empty when it has none or a foreign peer stored something else. */
export function insertedCells(row: YRow): StoredCells {
  const cells = row.get(RowKey.cells);
  return typeof cells === "object" && cells !== null && !Array.isArray(cells) ? (cells as StoredCells) : {};
}

/** A cell as stored: its own key if it has one, else what the row was inserted with. */
export function storedCell(row: YRow, columnId: string, inserted: StoredCells = insertedCells(row)): unknown {
  if (row.has(columnId)) return row.get(columnId);
  return isInsertedCell(inserted, columnId) ? inserted[columnId] : undefined;
}

/** Whether `inserted` holds the cell `key` (bookkeeping keys a foreign peer put there do not count). */
export function isInsertedCell(inserted: StoredCells, key: string): boolean {
  return isCellKey(key) && Object.hasOwn(inserted, key);
}

/** Whether a row holds a value for the cell, under its own key or among its inserted cells. */
export function holdsCell(row: YRow, columnId: string): boolean {
  return row.has(columnId) || isInsertedCell(insertedCells(row), columnId);
}
