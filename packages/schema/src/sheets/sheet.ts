import type { ColumnDef, ColumnInput } from "../columns/column.ts";
import type { ColumnId, SheetId } from "../ids.ts";

/** A grid of rows, or a notice page (the 首页 tab: text plus live counts). */
export const SheetKind = { grid: "grid", notice: "notice" } as const;
export type SheetKind = (typeof SheetKind)[keyof typeof SheetKind];

/** Which rows of a sheet public viewers see. */
export const PublicMode = { none: "none", all: "all", rule: "rule" } as const;
export type PublicMode = (typeof PublicMode)[keyof typeof PublicMode];

/** One condition of a public rule on a select or status column. */
export interface PublicCondition {
  readonly columnId: string;
  /** The cell must hold one of these option ids. */
  readonly anyOf?: readonly string[];
  /** The cell must hold none of these option ids. */
  readonly noneOf?: readonly string[];
}

/** Rows are public when every condition holds. */
export interface PublicRule {
  readonly all: readonly PublicCondition[];
}

/** A sheet's own properties as readers see them. */
export interface SheetInfo {
  readonly id: SheetId;
  readonly name: string;
  readonly kind: SheetKind;
  readonly order: string;
  /** Notice text (for notice sheets); plain text with blank-line paragraphs. */
  readonly body: string;
  readonly publicMode: PublicMode;
  readonly publicRule: PublicRule;
}

/** A sheet with its ordered columns. */
export interface Sheet extends SheetInfo {
  readonly columns: readonly SheetColumn[];
  /**
   * The select or status column whose option colours tint whole rows (as the original sheet
   * coloured its rows by urgency), or null for none. A sheet that never set it uses its
   * `urgency` column, as every workbook did before it could be chosen.
   */
  readonly tintColumn: ColumnId | null;
}

/** A column as placed in its sheet. */
export type SheetColumn = ColumnDef & { readonly order: string };

/** What a template or caller supplies to create a sheet. */
export interface SheetInput {
  readonly id?: string;
  readonly name: string;
  readonly kind?: SheetKind;
  readonly body?: string;
  readonly publicMode?: PublicMode;
  readonly publicRule?: PublicRule;
  readonly columns?: readonly ColumnInput[];
  /** One of `columns`, a select or status column (Sheet.tintColumn). */
  readonly tintColumn?: string | null;
}

/** The properties of a sheet a caller may change after creation. */
export type SheetPatch = Partial<Pick<SheetInfo, "name" | "body" | "publicMode" | "publicRule"> & Pick<Sheet, "tintColumn">>;
