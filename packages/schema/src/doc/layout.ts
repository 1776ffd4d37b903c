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
 *      └─ rows     Y.Map  rowId    → Y.Map { $order, $createdAt, $deletedAt, $closedAt, $purgedAt, <columnId>: value }
 * ```
 * Rows and columns are maps keyed by random ids with a fractional `order`, not Y.Arrays: a
 * concurrent move is one last-writer-wins key instead of a delete + insert that could duplicate the
 * row, and ids never carry personal data (Yjs keeps map keys forever).
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
