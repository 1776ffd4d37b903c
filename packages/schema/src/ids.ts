/** Branded identifiers: a RowId can't be passed where a ColumnId is expected. */
declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** A workbook's id: 16 lowercase base32 characters, also its document name. */
export type WorkbookId = Brand<string, "WorkbookId">;
/** A sheet (tab) id, stable across renames, e.g. `requests`. */
export type SheetId = Brand<string, "SheetId">;
/** A column id, stable across renames, e.g. `phone`. */
export type ColumnId = Brand<string, "ColumnId">;
/** A row id: random, never derived from the row's content (personal data never reaches Yjs keys). */
export type RowId = Brand<string, "RowId">;

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** Random base32 string from the platform CSPRNG (Web Crypto exists in browsers and Node). */
export function randomBase32(length: number): string {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  let out = "";
  for (const byte of bytes) out += BASE32[byte & 31];
  return out;
}

/** Ids we generate and accept for sheets and columns: short, ASCII, never personal. */
export const ID_PATTERN = /^[a-z][a-zA-Z0-9_]{0,39}$/;
/** Workbook ids, checked before any document name touches storage. */
export const WORKBOOK_ID_PATTERN = /^[a-z2-7]{16}$/;

export function isId(value: unknown): value is string {
  return typeof value === "string" && ID_PATTERN.test(value);
}

export function isWorkbookId(value: unknown): value is WorkbookId {
  return typeof value === "string" && WORKBOOK_ID_PATTERN.test(value);
}

export function createWorkbookId(): WorkbookId {
  return randomBase32(16) as WorkbookId;
}

export function createRowId(): RowId {
  return `r${randomBase32(11)}` as RowId;
}

export function createColumnId(): ColumnId {
  return `c${randomBase32(9)}` as ColumnId;
}

export function createSheetId(): SheetId {
  return `s${randomBase32(9)}` as SheetId;
}
