import type * as Y from "yjs";

// biome-ignore lint/suspicious/noExplicitAny: any shared type, whatever its events
type YType = Y.AbstractType<any>;

/**
 * Parsed column lists, per sheet's columns map, kept until a transaction touches that map or
 * anything under it. Reading a row needs its sheet's columns, and parsing them costs more than
 * reading the row: a server checking each edited row (case numbers, history, projection) would
 * otherwise re-parse every column for every edit.
 *
 * Invalidation is exact, without timers: a cached list is dropped in `beforeObserverCalls`, before
 * any observer of the transaction that changed it can read it, and is bypassed while a transaction
 * under way has already changed it (a template adding a column, then filling it).
 */
const caches = new WeakMap<Y.Doc, Map<YType, readonly unknown[]>>();

/** True when `type` is `root` or lies under it. */
function isWithin(type: YType, root: YType): boolean {
  for (let current: YType | null = type; current; current = (current._item?.parent as YType | undefined) ?? null) {
    if (current === root) return true;
  }
  return false;
}

function touches(transaction: Y.Transaction, root: YType): boolean {
  for (const type of transaction.changed.keys()) if (isWithin(type, root)) return true;
  return false;
}

/**
 * True when `type` or one of its ancestors was created in `transaction`: Yjs records changes only
 * to types that existed before it, so the changes of a new subtree are not in `changed`.
 */
function createdIn(transaction: Y.Transaction, type: YType): boolean {
  for (let item = type._item; item; item = (item.parent as YType | null)?._item ?? null) {
    if (item.id.clock >= (transaction.beforeState.get(item.id.client) ?? 0)) return true;
  }
  return false;
}

function cacheOf(doc: Y.Doc): Map<YType, readonly unknown[]> {
  let cache = caches.get(doc);
  if (cache) return cache;
  const created = new Map<YType, readonly unknown[]>();
  doc.on("beforeObserverCalls", (transaction: Y.Transaction) => {
    for (const root of created.keys()) if (touches(transaction, root)) created.delete(root);
  });
  caches.set(doc, created);
  cache = created;
  return cache;
}

/** `read()`'s result for `columns`, computed again only after `columns` (or a column in it) changed. */
export function cachedColumns<T>(columns: Y.Map<Y.Map<unknown>>, read: () => readonly T[]): readonly T[] {
  const doc = columns.doc;
  if (!doc) return read();
  const pending = doc._transaction;
  if (pending && (touches(pending, columns) || createdIn(pending, columns))) return read();
  const cache = cacheOf(doc);
  const hit = cache.get(columns);
  if (hit) return hit as readonly T[];
  const list = Object.freeze([...read()]);
  cache.set(columns, list);
  return list;
}
