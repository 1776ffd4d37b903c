import { type ColumnDef, type OptionColor, type Row, rowTint } from "@huzhu/schema";

/** How an option colour is drawn: chip background, chip text, and the tint of a whole row. */
export interface Swatch {
  readonly background: string;
  readonly text: string;
  readonly row: string;
}

/** The palette for schema option colours; tints are light enough that black text stays readable. */
export const palette: Readonly<Record<OptionColor, Swatch>> = {
  none: { background: "#eef1f5", text: "#344054", row: "transparent" },
  red: { background: "#fde3e1", text: "#b42318", row: "#fff0ee" },
  orange: { background: "#ffe8d1", text: "#b54708", row: "#fff5eb" },
  yellow: { background: "#fdf3b4", text: "#8a5a00", row: "#fffbe3" },
  green: { background: "#d9f5e3", text: "#067647", row: "#f0fbf4" },
  blue: { background: "#dde9fd", text: "#1d4ed8", row: "#f0f5ff" },
  purple: { background: "#ece6fd", text: "#6d28d9", row: "#f6f2ff" },
  gray: { background: "#eceef2", text: "#475467", row: "#f6f7f9" },
};

/** The CSS class tinting a row, if its urgency has a colour. */
export function rowTintClass(tintColumn: ColumnDef | undefined, row: Row | undefined): string | undefined {
  if (!tintColumn || !row) return undefined;
  const color = rowTint(tintColumn, row.cells);
  return color !== "none" ? `hz-tint-${color}` : undefined;
}
