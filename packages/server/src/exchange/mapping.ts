import type { ColumnId, Sheet, SheetColumn } from "@huzhu/schema";
import type { ImportTable } from "./import-table.ts";
import { restoreNeutralised } from "./neutralise.ts";

/** File column index (0-based) → the sheet column it fills, or null to leave it out. */
export type ImportMapping = Readonly<Record<number, string | null>>;

/**
 * A header as compared: NFKC folds full-width letters, digits and punctuation to half-width
 * (ＡＧＥ → AGE, （ → (), then case, spaces and a trailing required-marker `*` or colon are ignored.
 */
export function normaliseHeader(text: string): string {
  return restoreNeutralised(text.trim())
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\s+/g, "")
    .replace(/[*:]+$/, "");
}

/** Whether a column can receive imported values: every column except those the server writes. */
export function isImportable(column: SheetColumn): boolean {
  return column.system === null;
}

/**
 * Proposes which sheet column each file column fills, by header: a column's label first, then its
 * id, compared after `normaliseHeader`. Each sheet column is proposed once (the leftmost file
 * column wins); system columns (case number, submitted at) and unmatched headers map to null.
 */
export function suggestMapping(table: ImportTable, sheet: Sheet): Record<number, ColumnId | null> {
  const byLabel = new Map<string, SheetColumn>();
  const byId = new Map<string, SheetColumn>();
  for (const column of sheet.columns) {
    if (!byLabel.has(normaliseHeader(column.label))) byLabel.set(normaliseHeader(column.label), column);
    byId.set(normaliseHeader(column.id), column);
  }
  const used = new Set<string>();
  const mapping: Record<number, ColumnId | null> = {};
  table.headers.forEach((header, index) => {
    const key = normaliseHeader(header);
    const column = key === "" ? undefined : (byLabel.get(key) ?? byId.get(key));
    if (column && isImportable(column) && !used.has(column.id)) {
      used.add(column.id);
      mapping[index] = column.id;
    } else {
      mapping[index] = null;
    }
  });
  return mapping;
}
