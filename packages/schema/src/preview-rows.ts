import type { CellValue, ColumnDef } from "./columns/column.ts";
import type { Row } from "./doc/read.ts";
import type { RowId } from "./ids.ts";

/**
 * A row of the editor preview on the wire: id, order key, creation, closing and purge instants,
 * then the cells in the order of the sheet's columns. As Row objects, every row repeated every
 * column id: 19 MB of JSON for 30,000 rows against 9 MB so, and the page took that much longer
 * to receive it (gzip hides the difference on the wire, not in the browser).
 */
export type PreviewRow = readonly [
  id: string,
  order: string,
  createdAt: string | null,
  closedAt: string | null,
  purgedAt: string | null,
  ...cells: CellValue[],
];

/** Rows out of the trash, as the preview sends them. */
export function toPreviewRows(columns: readonly ColumnDef[], rows: readonly Row[]): PreviewRow[] {
  return rows.map((row) => [row.id, row.order, row.createdAt, row.closedAt, row.purgedAt, ...columns.map((c) => row.cells[c.id] ?? null)]);
}

const FIXED = 5;

/** The preview's rows as rows again (none of them in the trash). */
export function fromPreviewRows(columns: readonly ColumnDef[], rows: readonly PreviewRow[]): Row[] {
  return rows.map((row) => {
    const cells: Record<string, CellValue> = {};
    for (const [i, column] of columns.entries()) cells[column.id] = row[FIXED + i] ?? null;
    return {
      id: row[0] as RowId,
      order: row[1],
      createdAt: row[2],
      deletedAt: null,
      closedAt: row[3],
      purgedAt: row[4],
      cells,
    };
  });
}
