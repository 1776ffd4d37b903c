import type * as Y from "yjs";

// biome-ignore lint/suspicious/noExplicitAny: any shared type, whatever its events
type YType = Y.AbstractType<any>;

/**
 * Parsed reads (a sheet's column list, a row), per shared type, kept until a transaction changes
 * that type or anything under it. A server checks every edited row for case numbers, history and
 * the public view, and parsing a sheet's columns and rows again for each edit cost more than the
 * edit itself (bench/README.md).
 *
 * Invalidation is exact, without timers: Yjs lists every type a transaction changed
 * (`transaction.changed`), and `beforeObserverCalls` runs before any observer of that transaction,
 * so an entry is dropped before anyone can read it stale. Inside a transaction, a read of a type
 * the transaction has already changed (or created) is computed afresh and not kept.
 */
const caches = new WeakMap<Y.Doc, WeakMap<YType, CacheEntry>>();

const MAX_SCANNED_CHANGES = 64;

interface CacheEntry {
  /** What the value was computed from besides the type itself (e.g. the column list of a row). */
  readonly basis: unknown;
  readonly value: unknown;
}

function parentOf(type: YType): YType | null {
  return (type._item?.parent as YType | undefined) ?? null;
}

/**
 * True when `transaction` changed `root` or anything under it: by walking up from each changed
 * type while they are few, and down `root`'s own (small) subtree once they are many (an import
 * or a template changes thousands of rows in one transaction).
 */
function touches(transaction: Y.Transaction, root: YType): boolean {
  if (transaction.changed.size > MAX_SCANNED_CHANGES) return subtreeChanged(transaction.changed, root);
  for (const type of transaction.changed.keys()) {
    for (let current: YType | null = type; current; current = parentOf(current)) if (current === root) return true;
  }
  return false;
}

function subtreeChanged(changed: ReadonlyMap<YType, unknown>, type: YType): boolean {
  if (changed.has(type)) return true;
  for (const item of type._map.values()) if (!item.deleted && nestedChanged(changed, item)) return true;
  for (let item = type._start; item; item = item.right) if (!item.deleted && nestedChanged(changed, item)) return true;
  return false;
}

function nestedChanged(changed: ReadonlyMap<YType, unknown>, item: Y.Item): boolean {
  const nested = (item.content as { type?: unknown }).type;
  return nested instanceof Object && "_map" in nested && subtreeChanged(changed, nested as YType);
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

function cacheOf(doc: Y.Doc): WeakMap<YType, CacheEntry> {
  const existing = caches.get(doc);
  if (existing) return existing;
  const cache = new WeakMap<YType, CacheEntry>();
  doc.on("beforeObserverCalls", (transaction: Y.Transaction) => {
    for (const type of transaction.changed.keys()) {
      for (let current: YType | null = type; current; current = parentOf(current)) cache.delete(current);
    }
  });
  caches.set(doc, cache);
  return cache;
}

/**
 * `read()`'s result for `type`, computed again only after `type` (or anything under it) changed,
 * or when `basis` is not the one it was computed with. Results are shared between readers:
 * `read` must return a value nobody mutates (frozen).
 */
export function cachedRead<T>(type: YType, basis: unknown, read: () => T): T {
  const doc = type.doc;
  if (!doc) return read();
  const pending = doc._transaction;
  if (pending && (touches(pending, type) || createdIn(pending, type))) return read();
  const cache = cacheOf(doc);
  const hit = cache.get(type);
  if (hit && hit.basis === basis) return hit.value as T;
  const value = read();
  cache.set(type, { basis, value });
  return value;
}
