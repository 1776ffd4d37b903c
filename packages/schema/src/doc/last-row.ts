import type * as Y from "yjs";
import { RowKey, asYMap } from "./layout.ts";
import { type Ordered, compareOrdered } from "./order.ts";
import { readOrderKey } from "./read.ts";

/**
 * The highest row position a sheet's rows map has held, so appending a row (the request form,
 * an import) needs no scan of the sheet: one scan when first asked, then kept by an observer
 * and by `raiseLastRow` for writes in a transaction still under way. It only ever rises: when
 * the last row moves up or is purged, the mark stays above it, and a new row still goes after
 * every existing one.
 */
type RowsMap = Y.Map<Y.Map<unknown>>;

const marks = new WeakMap<RowsMap, Ordered>();

function scan(rows: RowsMap): Ordered | undefined {
  let last: Ordered | undefined;
  rows.forEach((value, id) => {
    const row = asYMap(value);
    const candidate = row && { id, order: readOrderKey(row, RowKey.order) };
    if (candidate && (!last || compareOrdered(candidate, last) > 0)) last = candidate;
  });
  return last;
}

/** Records a row position written now (insert, move), so later appends go after it. */
export function raiseLastRow(rows: RowsMap, position: Ordered): void {
  const mark = marks.get(rows);
  if (mark && compareOrdered(position, mark) > 0) marks.set(rows, position);
}

/** The last position in the sheet (trash included), or undefined for an empty sheet. */
export function lastRowPosition(rows: RowsMap): Ordered | undefined {
  const mark = marks.get(rows);
  if (mark) return mark;
  const found = scan(rows);
  if (!found) return undefined;
  marks.set(rows, found);
  // Positions written by other peers (arriving rows, moves) raise the mark after their transaction.
  rows.observeDeep((events) => {
    for (const event of events as Y.YMapEvent<unknown>[]) {
      if (event.target === rows) {
        for (const key of event.keysChanged) {
          const row = asYMap(rows.get(key));
          if (row) raiseLastRow(rows, { id: key, order: readOrderKey(row, RowKey.order) });
        }
      } else if (event.target.parent === rows && event.keysChanged.has(RowKey.order)) {
        const id = event.target._item?.parentSub;
        if (id) raiseLastRow(rows, { id, order: readOrderKey(event.target, RowKey.order) });
      }
    }
  });
  return found;
}
