import { RootKey, RowKey, SheetKey } from "./layout.ts";

/**
 * Where something sits in a workbook document: the root type's name, then map keys, with `#` for
 * a position in a list. `["sheets", "requests", "rows", "r1", "phone"]` is one cell. The server's
 * write guard resolves every change an update would make to such a path and asks the functions
 * below whether an editor may make it.
 */
export type DocPath = readonly string[];

/** A path segment standing for a position in a list (the workbook layout has none). */
export const LIST_POSITION = "#";

function isUnderRows(path: DocPath): boolean {
  return path[0] === RootKey.sheets && path[2] === SheetKey.rows;
}

/** `sheets/<sheetId>/rows/<rowId>`: a row itself (its map, set when the row is inserted). */
export function isRowPath(path: DocPath): boolean {
  return path.length === 4 && isUnderRows(path);
}

/** `sheets/<sheetId>/rows/<rowId>/<key>`: a cell or a row's bookkeeping (`$order`, `$deletedAt`, …). */
export function isRowValuePath(path: DocPath): boolean {
  return path.length === 5 && isUnderRows(path);
}

/**
 * `sheets/<sheetId>/rows/<rowId>/$cells`: the cells a row was inserted with, one plain value
 * written with the row (and replaced only by a purge).
 */
export function isInsertedCellsPath(path: DocPath): boolean {
  return isRowValuePath(path) && path[4] === RowKey.cells;
}
