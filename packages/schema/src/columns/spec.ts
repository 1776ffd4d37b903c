import type { CellValue, ColumnDef, ColumnType } from "./column.ts";

/** The result of parsing input for a column: a canonical value or what would have been accepted. */
export type ParseResult<V extends CellValue = CellValue> =
  | { readonly ok: true; readonly value: V }
  | { readonly ok: false; readonly expected: string; readonly expectedZh: string };

/** How one column type parses, validates, formats and defaults its values. */
export interface ColumnTypeSpec<V extends CellValue = CellValue> {
  readonly type: ColumnType;
  /** The type's name in the UI. */
  readonly labelZh: string;
  /** The value of an empty cell. */
  readonly empty: V;
  /** Turns user or API input (often a string) into the stored value. Empty input gives `empty`. */
  parse(input: unknown, column: ColumnDef): ParseResult<V>;
  /** Whether a stored value is well formed; readers replace anything else with `empty`. */
  isValid(value: unknown, column: ColumnDef): value is V;
  /** Plain text for search, CSV and the server-rendered public page. */
  format(value: V, column: ColumnDef): string;
}

export function accept<V extends CellValue>(value: V): ParseResult<V> {
  return { ok: true, value };
}

export function reject(expected: string, expectedZh: string): ParseResult<never> {
  return { ok: false, expected, expectedZh };
}

/** Input that means "clear this cell". */
export function isBlankInput(input: unknown): boolean {
  return input === null || input === undefined || (typeof input === "string" && input.trim() === "");
}
