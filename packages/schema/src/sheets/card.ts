import { type CellValue, type ColumnDef, ColumnType, type OptionColor, SystemField, isChoiceColumn } from "../columns/column.ts";
import { optionOf } from "../columns/select.ts";
import type { ColumnId } from "../ids.ts";

/** A sheet as tinting reads it: its columns and which of them tints rows (Sheet.tintColumn). */
export interface TintedSheet<C extends ColumnDef = ColumnDef> {
  readonly columns: readonly C[];
  readonly tintColumn: ColumnId | null;
}

/**
 * The column whose option colours tint whole rows, as the original sheet coloured its rows by
 * urgency (危急 red, 紧急 orange, 较急 yellow); the admin chooses it per sheet.
 */
export function findTintColumn<C extends ColumnDef>(sheet: TintedSheet<C>): C | undefined {
  return sheet.columns.find((c) => c.id === sheet.tintColumn);
}

/** The colour a row is tinted with: its tint column's option colour, or "none". */
export function rowTint(tintColumn: ColumnDef | undefined, cells: Readonly<Record<string, CellValue>>): OptionColor {
  return (tintColumn && optionOf(tintColumn, cells[tintColumn.id])?.color) ?? "none";
}

/** How a row shows as a card (public page and live view): its title column and up to four chips. */
export interface CardColumns<C extends ColumnDef = ColumnDef> {
  /** The case number, or else the first text column. */
  readonly title: C | undefined;
  /** The first four select and status columns, shown as coloured chips beside the title. */
  readonly chips: readonly C[];
  readonly tint: C | undefined;
}

export function cardColumns<C extends ColumnDef>(sheet: TintedSheet<C>): CardColumns<C> {
  return {
    title: sheet.columns.find((c) => c.system === SystemField.caseNumber) ?? sheet.columns.find((c) => c.type === ColumnType.text),
    chips: sheet.columns.filter(isChoiceColumn).slice(0, 4),
    tint: findTintColumn(sheet),
  };
}
