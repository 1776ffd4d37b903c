import { generateKeyBetween, generateNKeysBetween } from "fractional-indexing";

/** Something placed in a list by a fractional order key; ties are broken by id (SPEC 3). */
export interface Ordered {
  readonly id: string;
  readonly order: string;
}

/** The total order every replica agrees on: by key, then by id. */
export function compareOrdered(a: Ordered, b: Ordered): number {
  if (a.order !== b.order) return a.order < b.order ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Whether a stored order key is one `fractional-indexing` can build on. */
export function isOrderKey(value: unknown): value is string {
  if (typeof value !== "string" || value.length === 0 || value.length > 200) return false;
  try {
    generateKeyBetween(value, null);
    return true;
  } catch {
    return false;
  }
}

/**
 * `count` keys that sort after `items[index - 1]` and before `items[index]` (items sorted by
 * `compareOrdered`). Equal neighbouring keys (two replicas inserted at one spot) are stepped over.
 */
export function orderKeysAt(items: readonly Ordered[], index: number, count = 1): string[] {
  const before = index > 0 ? (items[index - 1]?.order ?? null) : null;
  let afterIndex = index;
  while (afterIndex < items.length && before !== null && items[afterIndex]?.order === before) afterIndex++;
  const after = afterIndex < items.length ? (items[afterIndex]?.order ?? null) : null;
  return generateNKeysBetween(before, after, count);
}
