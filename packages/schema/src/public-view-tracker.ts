import { observeWorkbook } from "./doc/changes.ts";
import { compareOrdered } from "./doc/order.ts";
import type { Workbook } from "./doc/workbook.ts";
import type { RowId, SheetId } from "./ids.ts";
import {
  type PublicRow,
  type PublicSheet,
  type PublicWorkbook,
  columnsKeyOf,
  isRowShown,
  publicProjection,
  publicRow,
} from "./projection.ts";

/** A workbook's public view, kept current as the document changes. */
export interface PublicViewTracker {
  /** The view now: equal to `publicProjection(workbook)`, built from the last one and what changed since. */
  view(): PublicWorkbook;
  /** Stops observing the document. */
  stop(): void;
}

/**
 * Follows a workbook's changes so its public view is rebuilt from the rows that changed, not from
 * every row: after a burst of edits to a 5,000-row sheet, reading and filtering every row again
 * stalled the server long enough to show in editors' latency (bench/README.md). Anything beyond
 * row changes (title, sheets, columns, public rules) rebuilds the whole view.
 */
export function trackPublicView(workbook: Workbook): PublicViewTracker {
  let last: PublicWorkbook | null = null;
  let whole = true;
  const touched = new Map<SheetId, Set<RowId>>();
  const stop = observeWorkbook(workbook.ydoc, (changes) => {
    if (whole) return;
    if (changes.sheetsChanged || changes.metaChanged || [...changes.bySheet.values()].some((sheet) => sheet.columnsChanged)) {
      whole = true;
      touched.clear();
      return;
    }
    for (const [sheetId, sheet] of changes.bySheet) {
      const ids = touched.get(sheetId) ?? new Set<RowId>();
      for (const id of sheet.added) ids.add(id);
      for (const id of sheet.updated.keys()) ids.add(id);
      for (const id of sheet.removed) ids.add(id);
      touched.set(sheetId, ids);
    }
  });
  return {
    view() {
      if (whole || !last) {
        last = publicProjection(workbook);
        whole = false;
      } else if (touched.size > 0) {
        const previous = last;
        last = { ...previous, sheets: previous.sheets.map((sheet) => withRows(workbook, sheet, touched.get(sheet.id as SheetId))) };
      }
      touched.clear();
      return last;
    },
    stop,
  };
}

/** Where each row of a view's sheet is, by id; shared by the sheets whose rows stay in place. */
const positions = new WeakMap<readonly PublicRow[], ReadonlyMap<string, number>>();

function positionsOf(rows: readonly PublicRow[]): ReadonlyMap<string, number> {
  let known = positions.get(rows);
  if (!known) {
    known = new Map(rows.map((row, i) => [row.id, i]));
    positions.set(rows, known);
  }
  return known;
}

/**
 * The rows with `next` in the places of those they replace, when every one replaces a row in
 * place (same order key, still shown); undefined when rows come, go or move.
 */
function replacedInPlace(rows: readonly PublicRow[], next: ReadonlyMap<string, PublicRow | null>): PublicRow[] | undefined {
  const at = positionsOf(rows);
  const replaced = rows.slice();
  for (const [id, row] of next) {
    const i = at.get(id);
    if (i === undefined) {
      if (row) return undefined;
      continue;
    }
    if (!row || row.order !== replaced[i]?.order) return undefined;
    replaced[i] = row;
  }
  positions.set(replaced, at);
  return replaced;
}

/** `sheet` with the rows `ids` read again (added, changed, gone, or in or out of the view). */
function withRows(workbook: Workbook, sheet: PublicSheet, ids: ReadonlySet<RowId> | undefined): PublicSheet {
  if (!ids || ids.size === 0) return sheet;
  const source = workbook.readSheet(sheet.id as SheetId);
  const columnsKey = columnsKeyOf(sheet.columns);
  const next = new Map<string, PublicRow | null>();
  for (const id of ids) {
    const row = workbook.findRow(sheet.id as SheetId, id);
    next.set(id, row && isRowShown(source, row) ? publicRow(row, sheet.columns, columnsKey) : null);
  }
  // Edits to rows in the view, the common case, leave every other row where it was.
  const inPlace = replacedInPlace(sheet.rows, next);
  if (inPlace) return { ...sheet, rows: inPlace };
  let reorder = false;
  const rows: PublicRow[] = [];
  for (const row of sheet.rows) {
    if (!next.has(row.id)) rows.push(row);
    else {
      const replacement = next.get(row.id);
      next.delete(row.id);
      if (!replacement) continue;
      if (replacement.order !== row.order) reorder = true;
      rows.push(replacement);
    }
  }
  // What is left are rows that were not in the view before.
  for (const row of next.values()) {
    if (!row) continue;
    rows.push(row);
    reorder = true;
  }
  if (reorder) rows.sort(compareOrdered);
  return { ...sheet, rows };
}
