import type * as Y from "yjs";
import { type CellValue, type ColumnDef, OptionColor, type SelectOption, SystemField, isChoiceColumn } from "../columns/column.ts";
import { isColumnType, readCell } from "../columns/index.ts";
import { isIsoInstant } from "../columns/date-time.ts";
import type { ColumnId, RowId, SheetId } from "../ids.ts";
import { type PublicCondition, PublicMode, type PublicRule, type SheetInfo, SheetKind } from "../sheets/sheet.ts";
import { ColumnKey, RowKey, SheetKey, insertedCells, storedCell } from "./layout.ts";
import { isOrderKey } from "./order.ts";

// Readers tolerate: any peer can write anything, so every read fills a default instead of throwing
// (STYLE "writers validate; readers tolerate").

const FALLBACK_ORDER = "a0";

/** The order key a sheet, column or row map holds, or the fallback when it holds none valid. */
export function readOrderKey(map: Y.Map<unknown>, key: string): string {
  const order = map.get(key);
  return isOrderKey(order) ? (order as string) : FALLBACK_ORDER;
}

function str(value: unknown, fallback: string, max = 10_000): string {
  return typeof value === "string" && value.length <= max ? value : fallback;
}

function oneOf<T extends string>(value: unknown, allowed: Readonly<Record<string, T>>, fallback: T): T {
  return typeof value === "string" && Object.values(allowed).includes(value as T) ? (value as T) : fallback;
}

function readOptions(value: unknown): SelectOption[] {
  if (!Array.isArray(value)) return [];
  const seen = new Set<string>();
  const options: SelectOption[] = [];
  for (const raw of value) {
    if (typeof raw !== "object" || raw === null) continue;
    const { id, label, color } = raw as Record<string, unknown>;
    if (typeof id !== "string" || id === "" || seen.has(id)) continue;
    seen.add(id);
    options.push({ id, label: str(label, id, 200), color: oneOf(color, OptionColor, OptionColor.none) });
  }
  return options;
}

function readStringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : undefined;
}

/** A public rule as stored, with malformed conditions dropped. */
export function readPublicRule(value: unknown): PublicRule {
  const all = typeof value === "object" && value !== null ? (value as { all?: unknown }).all : undefined;
  if (!Array.isArray(all)) return { all: [] };
  const conditions: PublicCondition[] = [];
  for (const raw of all) {
    if (typeof raw !== "object" || raw === null) continue;
    const record = raw as Record<string, unknown>;
    if (typeof record.columnId !== "string") continue;
    const anyOf = readStringList(record.anyOf);
    const noneOf = readStringList(record.noneOf);
    conditions.push({ columnId: record.columnId, ...(anyOf ? { anyOf } : {}), ...(noneOf ? { noneOf } : {}) });
  }
  return { all: conditions };
}

export function readSheetInfo(id: string, sheet: Y.Map<unknown>): SheetInfo {
  return {
    id: id as SheetId,
    name: str(sheet.get(SheetKey.name), id, 100),
    kind: oneOf(sheet.get(SheetKey.kind), SheetKind, SheetKind.grid),
    order: readOrderKey(sheet, SheetKey.order),
    body: str(sheet.get(SheetKey.body), ""),
    publicMode: oneOf(sheet.get(SheetKey.publicMode), PublicMode, PublicMode.none),
    publicRule: readPublicRule(sheet.get(SheetKey.publicRule)),
  };
}

/** The column that tinted rows before a sheet could choose one (Sheet.tintColumn). */
const LEGACY_TINT_COLUMN = "urgency";

/**
 * The tint column a sheet names (`undefined`: it never named one, and its `urgency` column
 * tints; null: none), if it is one of `columns` that can tint.
 */
export function resolveTintColumn(named: unknown, columns: readonly ColumnDef[]): ColumnId | null {
  const id = named === undefined ? LEGACY_TINT_COLUMN : named;
  return columns.find((column) => column.id === id && isChoiceColumn(column))?.id ?? null;
}

/** A sheet's tint column among its columns (resolveTintColumn). */
export function readTintColumn(sheet: Y.Map<unknown>, columns: readonly ColumnDef[]): ColumnId | null {
  return resolveTintColumn(sheet.get(SheetKey.tintColumn), columns);
}

/** A column with its order key; undefined when its type is unknown (a newer peer's type). */
export function readColumn(id: string, column: Y.Map<unknown>): (ColumnDef & { order: string }) | undefined {
  const type = column.get(ColumnKey.type);
  if (!isColumnType(type)) return undefined;
  const width = column.get(ColumnKey.width);
  const system = column.get(ColumnKey.system);
  return {
    id: id as ColumnId,
    type,
    label: str(column.get(ColumnKey.label), id, 100),
    private: column.get(ColumnKey.private) === true,
    inForm: column.get(ColumnKey.inForm) === true,
    required: column.get(ColumnKey.required) === true,
    options: isChoiceColumn({ type }) ? readOptions(column.get(ColumnKey.options)) : [],
    system: Object.values(SystemField).includes(system as SystemField) ? (system as SystemField) : null,
    description: str(column.get(ColumnKey.description), "", 1000),
    width: typeof width === "number" && width >= 40 && width <= 2000 ? width : null,
    order: readOrderKey(column, ColumnKey.order),
  };
}

/** A row as readers see it: only cells of known columns, each valid or empty. */
export interface Row {
  readonly id: RowId;
  readonly order: string;
  readonly createdAt: string | null;
  /** Set when the row is in the trash; it can be restored (SPEC 4). */
  readonly deletedAt: string | null;
  /** Set by the server when the row's status entered a closed state (retention counts from here). */
  readonly closedAt: string | null;
  /** Set when the row's private cells were purged. */
  readonly purgedAt: string | null;
  readonly cells: Readonly<Record<string, CellValue>>;
}

export function readRow(id: string, row: Y.Map<unknown>, columns: readonly ColumnDef[]): Row {
  const cells: Record<string, CellValue> = {};
  const inserted = insertedCells(row);
  for (const column of columns) cells[column.id] = readCell(column, storedCell(row, column.id, inserted));
  const instant = (key: string) => {
    const value = row.get(key);
    return isIsoInstant(value) ? value : null;
  };
  return {
    id: id as RowId,
    order: readOrderKey(row, RowKey.order),
    createdAt: instant(RowKey.createdAt),
    deletedAt: instant(RowKey.deletedAt),
    closedAt: instant(RowKey.closedAt),
    purgedAt: instant(RowKey.purgedAt),
    cells,
  };
}
