import { type ColumnDef, ColumnType, type OptionColor } from "../columns/column.ts";
import type { Row } from "../doc/read.ts";
import type { Workbook } from "../doc/workbook.ts";
import { findTintColumn } from "./card.ts";
import { type Sheet, SheetKind } from "./sheet.ts";

/** How many rows hold one option (or none: `id` null is 未填写). */
export interface OptionCount {
  readonly id: string | null;
  readonly label: string;
  readonly color: OptionColor;
  readonly count: number;
}

/** Counts of one status-like column. */
export interface ColumnCounts {
  readonly column: ColumnDef;
  readonly buckets: readonly OptionCount[];
}

/** The live figures of one sheet on the 首页 tab. */
export interface SheetCounts {
  readonly sheetId: string;
  readonly sheetName: string;
  readonly total: number;
  readonly columns: readonly ColumnCounts[];
}

/** The columns worth counting: the tint column (urgency) first, then every status column (verification, follow-up …). */
export function countedColumns(sheet: Pick<Sheet, "columns" | "tintColumn">): ColumnDef[] {
  const tint = findTintColumn(sheet);
  const statuses = sheet.columns.filter((c) => c.type === ColumnType.status && c.id !== tint?.id);
  return tint ? [tint, ...statuses] : statuses;
}

/** Counts rows per option of each counted column; every option is listed, even at zero. */
export function countSheet(sheet: Pick<Sheet, "id" | "name" | "columns" | "tintColumn">, rows: readonly Row[]): SheetCounts {
  const live = rows.filter((row) => row.deletedAt === null);
  const columns = countedColumns(sheet).map((column) => {
    const tally = new Map<string | null, number>();
    for (const row of live) {
      const value = row.cells[column.id];
      const key = typeof value === "string" && column.options.some((o) => o.id === value) ? value : null;
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
    const buckets: OptionCount[] = column.options.map((o) => ({ id: o.id, label: o.label, color: o.color, count: tally.get(o.id) ?? 0 }));
    const unset = tally.get(null) ?? 0;
    if (unset > 0) buckets.push({ id: null, label: "未填写", color: "none", count: unset });
    return { column, buckets };
  });
  return { sheetId: sheet.id, sheetName: sheet.name, total: live.length, columns };
}

/** Counts of every grid sheet that has counted columns, in tab order (the 首页 tab's figures). */
export function countWorkbook(workbook: Workbook): SheetCounts[] {
  return workbook
    .listSheets()
    .filter((info) => info.kind === SheetKind.grid)
    .map((info) => countSheet(workbook.readSheet(info.id), workbook.listRows(info.id)))
    .filter((counts) => counts.columns.length > 0);
}
